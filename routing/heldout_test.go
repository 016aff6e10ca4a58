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
// examples that routes worse shows here. heldout2.jsonl and heldout3.jsonl
// were written from the topic descriptions, covering every target, before
// the examples that came with them; heldout3.jsonl was kept blind while
// those examples were written (only its total was looked at).
func TestHeldOut(t *testing.T) {
	tr, err := NewTriager(bundled(t), nil, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range heldOutFiles {
		t.Run(file, func(t *testing.T) {
			ev := evaluateFile(t, tr, file)
			if top1, top3 := ratio(ev.Top1, ev.Total), ratio(ev.Top3, ev.Total); top1 < 0.90 || top3 < 0.95 {
				t.Errorf("got top-1 %.3f and top-3 %.3f on %d questions, want at least 0.90 and 0.95", top1, top3, ev.Total)
			}
		})
	}
}

// heldOutFiles are the labelled questions no training example may be.
var heldOutFiles = []string{"testdata/heldout.jsonl", "testdata/heldout2.jsonl", "testdata/heldout3.jsonl"}

// evaluateFile triages every labelled line of file with tr.
func evaluateFile(t *testing.T, tr *Triager, file string) *Evaluation {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ev := NewEvaluation()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l Labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		r, err := tr.Triage(context.Background(), l.Text, "")
		if err != nil {
			t.Fatal(err)
		}
		ev.Add(l, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ev
}
