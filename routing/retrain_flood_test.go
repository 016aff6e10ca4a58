package routing

import (
	"context"
	"fmt"
	"testing"
)

// wasteQuestions are citizens' questions about household waste, which
// the configuration routes to the waste and water administration.
var wasteQuestions = []string{
	"Vår soptunna blev inte tömd i morse, kan ni skicka bilen igen?",
	"Hur byter jag till ett mindre sopkärl för att få lägre avgift?",
	"När får vi de nya kärlen för hemsortering i Torslanda?",
	"Matavfallspåsarna är slut, var hämtar man nya bruna påsar?",
	"Sophämtningen väsnas klockan fem på morgonen, måste det vara så tidigt?",
	"Hi, when is household waste collected in Majorna? Our bin is full",
}

// A flood of corrections to one administration, the same one a thousand
// times or a thousand slightly different ones, sharpens it without
// making it forget its configured topics: waste questions still go there.
func TestRetrainCorrectionFloodKeepsBase(t *testing.T) {
	const admin = "kretslopp-vatten"
	floods := map[string]func(i int) string{
		"Identical": func(int) string { return "Vattenläcka på gatan utanför huset" },
		"Variants":  func(i int) string { return fmt.Sprintf("Vattenläcka på gatan utanför huset nummer %d", i) },
	}
	for name, text := range floods {
		t.Run(name, func(t *testing.T) {
			tr, err := NewTriager(bundled(t), nil, DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			ex := make([]Example, 1000)
			for i := range ex {
				ex[i] = Example{Text: text(i), Administration: admin}
			}
			if ignored := tr.Retrain(ex); ignored != 0 {
				t.Errorf("ignored: got %d, want 0", ignored)
			}
			for _, q := range append(wasteQuestions, text(0)) {
				r, err := tr.Triage(context.Background(), q, "")
				if err != nil {
					t.Fatal(err)
				}
				if r.Administration != admin {
					t.Errorf("%q: got %s (%.2f), want %s", q, r.Administration, r.Confidence, admin)
				}
			}
		})
	}
}

// Corrections that differ only in case, punctuation or accents count once.
func TestClassifierLearnCountsRepeatOnce(t *testing.T) {
	once := NewClassifier(bundled(t))
	once.Learn(Example{Text: "Blåklintsvägens lekplats vid förskolan", Administration: "stadsfastighet"})
	many := NewClassifier(bundled(t))
	for _, text := range []string{"Blåklintsvägens lekplats vid förskolan", "blaklintsvagens LEKPLATS, vid förskolan!"} {
		many.Learn(Example{Text: text, Administration: "stadsfastighet"})
	}
	text := "Blåklintsvägens lekplats"
	if got, want := many.Classify(text)[0], once.Classify(text)[0]; got != want {
		t.Errorf("got %+v, want %+v as after one correction", got, want)
	}
}
