package routing

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// langidMinimum is the share of each language's lines in
// testdata/langid.jsonl that must be detected right, and langidOverall
// that of all lines.
const (
	langidMinimum = 0.9
	langidOverall = 0.97
)

// TestDetectLanguageSet measures DetectLanguage on short, informal
// citizen messages in the city's common languages and reports accuracy by
// language and the confusions.
func TestDetectLanguageSet(t *testing.T) {
	f, err := os.Open("testdata/langid.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	total := map[string]int{}
	right := map[string]int{}
	confusions := map[string][]string{}
	n, hits := 0, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var line struct{ Text, Language string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		total[line.Language]++
		got := DetectLanguage(line.Text).Code
		if got == line.Language {
			right[line.Language]++
			hits++
			continue
		}
		pair := line.Language + "→" + got
		confusions[pair] = append(confusions[pair], line.Text)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no lines in testdata/langid.jsonl")
	}
	codes := make([]string, 0, len(total))
	for code := range total {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	var by []string
	for _, code := range codes {
		by = append(by, fmt.Sprintf("%s %d/%d", code, right[code], total[code]))
	}
	t.Logf("overall %d/%d (%.1f %%); %s", hits, n, 100*float64(hits)/float64(n), strings.Join(by, ", "))
	pairs := make([]string, 0, len(confusions))
	for pair := range confusions {
		pairs = append(pairs, pair)
	}
	sort.Strings(pairs)
	for _, pair := range pairs {
		t.Logf("%s %d: %q", pair, len(confusions[pair]), confusions[pair])
	}
	for _, code := range codes {
		if acc := float64(right[code]) / float64(total[code]); acc < langidMinimum {
			t.Errorf("%s: got %.2f (%d/%d), want at least %.2f", code, acc, right[code], total[code], langidMinimum)
		}
	}
	if acc := float64(hits) / float64(n); acc < langidOverall {
		t.Errorf("overall: got %.3f (%d/%d), want at least %.2f", acc, hits, n, langidOverall)
	}
}
