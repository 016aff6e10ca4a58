package routing

import (
	"slices"
	"strings"
	"testing"
)

// scanFind is find without the index: every entry tried at every word.
func scanFind(l *lexicon, toks []token) [][2]int {
	var out [][2]int
	for i := range toks {
		for _, phrase := range l.phrases {
			if n := matchAt(toks[i:], phrase); n > 0 {
				out = append(out, [2]int{toks[i].start, toks[i+n-1].end})
			}
		}
	}
	return out
}

// TestLexiconIndexFindsWhatEveryEntryFinds: looking up only the entries a
// word can start finds what trying every entry at every word finds, in
// the same order, for every signal's words and exceptions, on the
// held-out questions and texts made to hit the three kinds of word.
func TestLexiconIndexFindsWhatEveryEntryFinds(t *testing.T) {
	texts := append(heldOutTexts(t),
		"Jag vill inte leva längre och tänker hoppa från bron",
		"سأنتحر الليلة", "Han hotar att stänga förskolan", "Det brinner i huset, ring 112!",
		"Tack för hjälpen! 😊", "Vet var du bor", "")
	lexicons := map[string]*lexicon{"health": healthWords, "welfare": welfareWords, "personal": personalWords,
		"residence": residenceWords, "closing": closingVerbs, "objects": personObjects, "causes": threatCauses}
	for _, s := range signals {
		lexicons[s.tag] = s.words
		if s.except != nil {
			lexicons[s.tag+" except"] = s.except
		}
	}
	found := 0
	for name, l := range lexicons {
		for _, text := range texts {
			toks := tokenize(normalizeSignalText(strings.ToLower(text)))
			want := scanFind(l, toks)
			got := l.find(toks)
			if !slices.Equal(got, want) {
				t.Fatalf("%s in %q: index found %v, every entry %v", name, text, got, want)
			}
			if l.has(toks) != (len(want) > 0) {
				t.Fatalf("%s in %q: has %v, every entry found %v", name, text, l.has(toks), want)
			}
			for i := range toks {
				longest := 0
				for _, phrase := range l.phrases {
					longest = max(longest, matchAt(toks[i:], phrase))
				}
				if got := matchAny(toks[i:], l); got != longest {
					t.Fatalf("%s in %q at word %d: matchAny %d, longest entry %d", name, text, i, got, longest)
				}
			}
			found += len(want)
		}
	}
	if found < 100 {
		t.Fatalf("only %d matches in all: the texts do not exercise the lexicons", found)
	}
	for _, l := range lexicons {
		for _, phrase := range l.phrases {
			if phrase[0].how == matchInside {
				return
			}
		}
	}
	t.Fatal("no lexicon has an entry whose first word matches inside a word")
}
