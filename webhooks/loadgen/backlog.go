package loadgen

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
)

// backlogMetric is the line of the target's /metrics that says how many
// deliveries wait for the ingest workers.
const backlogMetric = `inkorg_queue_length{queue="deliveries"}`

// backlog reads the deliveries queue's length from the target's
// /metrics. ok is false when the target does not expose it (another
// role split, or not inkorg): the report then leaves it out.
func backlog(client *http.Client, apiURL string) (n int64, ok bool) {
	resp, err := client.Get(strings.TrimSuffix(apiURL, "/") + "/metrics")
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, false
	}
	return parseBacklog(bufio.NewScanner(resp.Body))
}

func parseBacklog(sc *bufio.Scanner) (int64, bool) {
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		value, found := strings.CutPrefix(sc.Text(), backlogMetric+" ")
		if !found {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil {
			return 0, false
		}
		return int64(f), true
	}
	return 0, false
}
