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
// heldout4.jsonl holds questions in the city's other languages (English,
// Arabic, Persian, Somali, Finnish, Polish, Turkish, BKS, Spanish,
// Ukrainian, Tigrinya, Kurmanji), often with a Swedish word inside, written
// from the targets' topics without reading the examples and kept blind while
// the other-language examples were written. heldout5.jsonl holds Kurdish
// questions (Kurmanji and Sorani), written the same way before the Kurdish
// examples. heldout6.jsonl holds questions on topics the examples missed
// (youth clinics and sexual health, building-site noise) with near-by
// questions of other targets, written just before the examples for them;
// heldout7.jsonl the same for help to find work and school terms and
// holidays; heldout8.jsonl the same for Kurmanji questions about water,
// where "av" (water) is a Swedish stop word, with two near-by questions.
func TestHeldOut(t *testing.T) {
	tr, err := NewTriager(bundled(t), nil, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range heldOutFiles {
		t.Run(file, func(t *testing.T) {
			ev := evaluateFile(t, tr, file)
			want := heldOutMinimum(file)
			if top1, top3 := ratio(ev.Top1, ev.Total), ratio(ev.Top3, ev.Total); top1 < want[0] || top3 < want[1] {
				t.Errorf("got top-1 %.3f and top-3 %.3f on %d questions, want at least %.2f and %.2f", top1, top3, ev.Total, want[0], want[1])
			}
		})
	}
}

// heldOutFiles are the labelled questions no training example may be.
var heldOutFiles = []string{"testdata/heldout.jsonl", "testdata/heldout2.jsonl", "testdata/heldout3.jsonl",
	"testdata/heldout4.jsonl", "testdata/heldout5.jsonl", "testdata/heldout6.jsonl",
	"testdata/heldout7.jsonl", "testdata/heldout8.jsonl"}

// heldOutMinimum is the least top-1 and top-3 accuracy a held-out file must
// keep: the other languages' sets have their own, below the Swedish sets'
// (measured 0.895 and 0.939 for heldout4, 0.829 and 0.871 for heldout5,
// when they were added); heldout7 is small (14 questions), one question is
// 7 points of it (measured 0.857 and 1.0), heldout8 smaller still (8
// questions, measured 0.875 and 1.0).
func heldOutMinimum(file string) [2]float64 {
	switch file {
	case "testdata/heldout4.jsonl":
		return [2]float64{0.85, 0.90}
	case "testdata/heldout5.jsonl":
		return [2]float64{0.78, 0.82}
	case "testdata/heldout7.jsonl":
		return [2]float64{0.78, 0.92}
	case "testdata/heldout8.jsonl":
		return [2]float64{0.75, 0.87}
	}
	return [2]float64{0.90, 0.95}
}

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
