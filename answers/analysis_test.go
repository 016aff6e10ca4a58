package answers

import (
	"slices"
	"strings"
	"testing"
)

func TestTerms(t *testing.T) {
	an := DefaultAnalyzer()
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"StopWords", "Hur byter jag och vad är det?", []string{"byt"}},
		{"Stemming", "parkeringstillstånden", []string{"parkeringstillstånd"}},
		{"Indefinite", "soptunna", []string{"soptun"}},
		{"DefinitePlural", "soptunnorna", []string{"soptun"}},
		{"DefiniteA", "soptunnan", []string{"soptun"}},
		{"DefiniteNeuter", "kärlet", []string{"kärl"}},
		{"Hyphen", "P-tillstånd", []string{"ptillstånd", "tillstånd"}},
		{"Digits", "covid-19 2025", []string{"covid19", "covid", "2025"}},
		{"Empty", "  ?! ", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := an.Terms(tc.text); !slices.Equal(got, tc.want) {
				t.Errorf("Terms(%q): got %v, want %v", tc.text, got, tc.want)
			}
		})
	}
}

func TestSynonyms(t *testing.T) {
	syn, err := ParseSynonyms(strings.NewReader("# kommentar\nsopor, avfall, soptunna\np-tillstånd, parkeringstillstånd\nbygglov, anmäla bygge\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, word string
		want       []string
	}{
		{"OK", "sopor", []string{Stem("avfall"), Stem("soptunna")}},
		{"OKHyphen", "p-tillstånd", []string{Stem("parkeringstillstånd")}},
		{"OKPhraseAdded", "bygglov", []string{Stem("anmäla"), Stem("bygge")}},
		{"Unknown", "bibliotek", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := syn.Expand(EntryStem(tc.word)); !slices.Equal(got, tc.want) {
				t.Errorf("Expand(%q): got %v, want %v", tc.word, got, tc.want)
			}
		})
	}
	t.Run("ErrSingleWord", func(t *testing.T) {
		if _, err := ParseSynonyms(strings.NewReader("sopor\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Fatalf("got %v, want an error naming line 1", err)
		}
	})
}

func TestPlan(t *testing.T) {
	an := DefaultAnalyzer()
	plan := an.Plan("sopor sopor")
	if len(plan) < 2 || plan[0].Term != Stem("sopor") || plan[0].Weight != 2 || plan[0].Synonym {
		t.Fatalf("got %+v, want sopor first with weight 2, then synonyms", plan)
	}
	for _, q := range plan[1:] {
		if !q.Synonym || q.Weight != SynonymWeight {
			t.Errorf("got %+v, want a synonym with weight %v", q, SynonymWeight)
		}
	}
}

func TestMatchedTerms(t *testing.T) {
	an := DefaultAnalyzer()
	art := &Article{Title: "Regler för boendeparkering", Summary: "Parkeringstillstånd nära hemmet."}
	got := an.MatchedTerms("Hur får jag p-tillstånd för parkering, tack?", art)
	if want := []string{"p-tillstånd", "parkering"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestBundledArticlesActive(t *testing.T) {
	arts, err := BundledArticles()
	if err != nil || len(arts) < 70 {
		t.Fatalf("got %d articles, %v; want the bundled bank", len(arts), err)
	}
	for _, a := range arts {
		if !a.Active {
			t.Fatalf("got %s inactive, want articles without an active field active", a.URL)
		}
	}
}
