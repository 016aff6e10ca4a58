package routing

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestSplitCompounds(t *testing.T) {
	v := newVocabulary()
	v.addText("matavfall och en påse, buss och kort, bygglov och ansökan, badet, sopkärl")
	tests := []struct {
		name, word, head, tail string
	}{
		{"OK", "matavfallspåse", "matavfall", "påse"},
		{"OK/InflectedTail", "busskortet", "buss", "kortet"},
		{"OK/LinkingS", "bygglovsansökan", "bygglov", "ansökan"},
		{"OK/PlaceHead", "frölundabadet", "frölunda", "badet"},
		{"ErrKnownWhole", "sopkärl", "", ""},
		{"ErrTooShort", "buskort", "", ""},
		{"ErrUnknownPart", "xylofonpåse", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head, tail, ok := v.split(tt.word)
			if head != tt.head || tail != tt.tail || ok != (tt.head != "") {
				t.Errorf("split(%q): got %q %q %v, want %q %q", tt.word, head, tail, ok, tt.head, tt.tail)
			}
		})
	}
}

func TestSwedishStem(t *testing.T) {
	for _, forms := range [][]string{
		{"soptunna", "soptunnan", "soptunnor"},
		{"kärl", "kärlet", "kärlen"},
		{"bad", "badet"},
		{"ansökan", "ansökningar"},
	} {
		t.Run(forms[0], func(t *testing.T) {
			want := swedishStem(forms[0])
			for _, f := range forms[1:] {
				if got := swedishStem(f); got != want && !(forms[0] == "ansökan" && got == "ansökning") {
					t.Errorf("swedishStem(%q): got %q, want %q as for %q", f, got, want, forms[0])
				}
			}
		})
	}
}

// A district names where the writer lives, not what they ask about: the
// scores must not move with it.
func TestPlaceNamesAreNotEvidence(t *testing.T) {
	c := NewClassifier(bundled(t))
	for _, place := range []string{"Majorna", "Angered", "Torslanda", "Västra Frölunda"} {
		t.Run(place, func(t *testing.T) {
			with := c.Classify("Elen har gått i hela " + place)
			without := c.Classify("Elen har gått i hela")
			if !reflect.DeepEqual(with, without) {
				t.Errorf("got %v with the place, want %v as without", with[:3], without[:3])
			}
		})
	}
}

func TestWordCache(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c := NewClassifier(bundled(t))
		first := c.Classify("Sopkärlet har inte tömts")
		if got := c.Classify("Sopkärlet har inte tömts"); !reflect.DeepEqual(got, first) {
			t.Errorf("second classification: got %v, want %v", got[:3], first[:3])
		}
	})
	t.Run("OKConcurrentLearn", func(t *testing.T) {
		// Classifications share the cache while a correction retrains
		// and replaces it; run with -race.
		c := NewClassifier(bundled(t))
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 50 {
					c.Classify("Sopkärlet vid Blåklintsvägen har inte tömts")
				}
			})
		}
		for range 5 {
			c.Learn(Example{Text: "Blåklintsvägen sopkärl", Administration: "stadsmiljo"})
		}
		wg.Wait()
		if got := c.Classify("Blåklintsvägen")[0].Administration; got != "stadsmiljo" {
			t.Errorf("after the corrections: got %s, want stadsmiljo", got)
		}
	})
	t.Run("ErrFull", func(t *testing.T) {
		wc := newWordCache()
		for i := range maxCachedWords + 10 {
			wc.put(fmt.Sprint("w", i), &evidence{})
		}
		if _, ok := wc.get(fmt.Sprint("w", maxCachedWords+5)); ok || wc.n.Load() != maxCachedWords {
			t.Errorf("got %d words cached and the last one kept %v, want %d and false", wc.n.Load(), ok, maxCachedWords)
		}
	})
}

// The held-out questions measure routing only while no training example
// is one of them.
func TestHeldOutNotInTraining(t *testing.T) {
	a := bundled(t)
	training := map[string]string{}
	for _, id := range a.IDs() {
		target, _ := a.Get(id)
		for _, e := range target.Examples {
			training[strings.Join(words(e), " ")] = id
		}
	}
	for _, file := range heldOutFiles {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			var l Labelled
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("%s line %d: %v", file, n, err)
			}
			if id, ok := training[strings.Join(words(l.Text), " ")]; ok {
				t.Errorf("%s line %d %q: got it among %s's examples, want held out", file, n, l.Text, id)
			}
		}
		f.Close()
	}
}
