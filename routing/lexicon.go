package routing

import (
	"strings"
	"unicode"
)

// token is one word of a text: lower-cased, with its byte offsets in the
// original text.
type token struct {
	word       string
	start, end int
}

// tokenize splits text into words of letters and digits, keeping where
// each word is.
func tokenize(text string) []token {
	var toks []token
	var b strings.Builder
	start := -1
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
				b.Reset()
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		if start >= 0 {
			toks = append(toks, token{b.String(), start, i})
			start = -1
		}
	}
	if start >= 0 {
		toks = append(toks, token{b.String(), start, len(text)})
	}
	return toks
}

// lexicon is a list of words and phrases to look for. Each word matches
// any word starting with it, so inflections and compounds are found
// ("sjukskriv" finds "sjukskrivningen"); a word ending in "=" matches
// only itself, and a word starting with "*" matches any word holding it,
// for languages that join prefixes to a word (Arabic "سأنتحر", "الحريق").
type lexicon [][]string

func newLexicon(entries ...string) lexicon {
	l := make(lexicon, len(entries))
	for i, e := range entries {
		l[i] = strings.Fields(strings.ToLower(e))
	}
	return l
}

// find returns the byte ranges where entries of the lexicon occur in toks.
func (l lexicon) find(toks []token) [][2]int {
	var out [][2]int
	for i := range toks {
		for _, phrase := range l {
			if n := matchAt(toks[i:], phrase); n > 0 {
				out = append(out, [2]int{toks[i].start, toks[i+n-1].end})
			}
		}
	}
	return out
}

// has reports whether any entry occurs in toks.
func (l lexicon) has(toks []token) bool {
	for i := range toks {
		for _, phrase := range l {
			if matchAt(toks[i:], phrase) > 0 {
				return true
			}
		}
	}
	return false
}

// matchAt returns how many tokens the phrase matches at the start of toks,
// or 0.
func matchAt(toks []token, phrase []string) int {
	if len(toks) < len(phrase) {
		return 0
	}
	for j, w := range phrase {
		if exact, ok := strings.CutSuffix(w, "="); ok {
			if toks[j].word != exact {
				return 0
			}
		} else if inner, ok := strings.CutPrefix(w, "*"); ok {
			if !strings.Contains(toks[j].word, inner) {
				return 0
			}
		} else if !strings.HasPrefix(toks[j].word, w) {
			return 0
		}
	}
	return len(phrase)
}
