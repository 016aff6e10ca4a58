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
//
// Every message is checked against a few thousand entries, so they are
// parsed once and indexed by the first byte of their first word: a word
// is only tried against the entries it could start.
type lexicon struct {
	phrases [][]pattern
	// byFirst holds, for each first byte of a word, the indexes of the
	// phrases that may start at it, in the order of the entries.
	byFirst [256][]int
}

// pattern is one word of an entry and how it matches.
type pattern struct {
	word string
	how  matchKind
}

type matchKind uint8

const (
	matchPrefix matchKind = iota
	matchExact
	matchInside
)

func newLexicon(entries ...string) *lexicon {
	l := &lexicon{phrases: make([][]pattern, 0, len(entries))}
	for _, e := range entries {
		var phrase []pattern
		for _, w := range strings.Fields(strings.ToLower(e)) {
			if exact, ok := strings.CutSuffix(w, "="); ok {
				phrase = append(phrase, pattern{exact, matchExact})
			} else if inner, ok := strings.CutPrefix(w, "*"); ok {
				phrase = append(phrase, pattern{inner, matchInside})
			} else {
				phrase = append(phrase, pattern{w, matchPrefix})
			}
		}
		if len(phrase) == 0 {
			continue
		}
		i := len(l.phrases)
		l.phrases = append(l.phrases, phrase)
		if first := phrase[0]; first.how != matchInside && first.word != "" {
			l.byFirst[first.word[0]] = append(l.byFirst[first.word[0]], i)
			continue
		}
		for b := range l.byFirst {
			l.byFirst[b] = append(l.byFirst[b], i)
		}
	}
	return l
}

// candidates returns the phrases that may match at the start of toks.
func (l *lexicon) candidates(toks []token) []int {
	if l == nil || len(toks) == 0 || toks[0].word == "" {
		return nil
	}
	return l.byFirst[toks[0].word[0]]
}

// find returns the byte ranges where entries of the lexicon occur in toks.
func (l *lexicon) find(toks []token) [][2]int {
	var out [][2]int
	for i := range toks {
		for _, p := range l.candidates(toks[i:]) {
			if n := matchAt(toks[i:], l.phrases[p]); n > 0 {
				out = append(out, [2]int{toks[i].start, toks[i+n-1].end})
			}
		}
	}
	return out
}

// has reports whether any entry occurs in toks.
func (l *lexicon) has(toks []token) bool {
	for i := range toks {
		for _, p := range l.candidates(toks[i:]) {
			if matchAt(toks[i:], l.phrases[p]) > 0 {
				return true
			}
		}
	}
	return false
}

// matchAt returns how many tokens the phrase matches at the start of toks,
// or 0.
func matchAt(toks []token, phrase []pattern) int {
	if len(toks) < len(phrase) {
		return 0
	}
	for j, p := range phrase {
		var ok bool
		switch p.how {
		case matchExact:
			ok = toks[j].word == p.word
		case matchInside:
			ok = strings.Contains(toks[j].word, p.word)
		default:
			ok = strings.HasPrefix(toks[j].word, p.word)
		}
		if !ok {
			return 0
		}
	}
	return len(phrase)
}
