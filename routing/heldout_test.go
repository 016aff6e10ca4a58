package routing

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"testing"
)

// TestHeldOut checks routing on questions written apart from the training
// examples in administrations.json, so a change to the classifier or the
// examples that routes worse shows here.
func TestHeldOut(t *testing.T) {
	f, err := os.Open("testdata/heldout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := NewTriager(bundled(t), nil, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	ev := NewEvaluation()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l Labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("heldout.jsonl: %v", err)
		}
		r, err := tr.Triage(context.Background(), l.Text, "")
		if err != nil {
			t.Fatal(err)
		}
		ev.Add(l, r)
	}
	if top1, top3 := ratio(ev.Top1, ev.Total), ratio(ev.Top3, ev.Total); top1 < 0.85 || top3 < 0.95 {
		t.Errorf("got top-1 %.3f and top-3 %.3f on %d questions, want at least 0.85 and 0.95", top1, top3, ev.Total)
	}
}
