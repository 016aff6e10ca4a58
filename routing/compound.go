package routing

import "unicode/utf8"

// vocabulary is the words a classifier was trained on, used to split
// compounds it has not seen into parts it has: "matavfallspåsen" into
// "matavfall" and "påsen", "busskortet" into "buss" and "kortet".
type vocabulary struct {
	words map[string]bool
	stems map[string]bool
}

// Compound splitting: both parts have at least minPart letters, and only
// words of at least minCompound letters are tried.
const (
	minPart     = 3
	minCompound = 7
)

func newVocabulary() *vocabulary {
	return &vocabulary{words: make(map[string]bool), stems: make(map[string]bool)}
}

// addText adds the content words of text.
func (v *vocabulary) addText(text string) {
	for _, w := range words(text) {
		if stopwords[w] || placeNames[w] || utf8.RuneCountInString(w) < minPart || isNumber(w) {
			continue
		}
		v.words[w] = true
		v.stems[swedishStem(w)] = true
	}
}

// known reports whether w, or another form of it, is in the vocabulary.
func (v *vocabulary) known(w string) bool {
	return v.words[w] || v.stems[swedishStem(w)]
}

// split returns the parts of a compound w the vocabulary does not hold
// whole: the split with the longest known head whose tail is known too.
// The Swedish linking s ("bygglovsansökan") is dropped from the head. A
// head may be a place name ("Frölundabadet"); the caller drops it like the
// place name itself.
func (v *vocabulary) split(w string) (head, tail string, ok bool) {
	if v == nil || v.words[w] {
		return "", "", false
	}
	r := []rune(w)
	if len(r) < minCompound {
		return "", "", false
	}
	for i := len(r) - minPart; i >= minPart; i-- {
		h, t := string(r[:i]), string(r[i:])
		if !v.known(t) {
			continue
		}
		if v.words[h] || placeNames[h] {
			return h, t, true
		}
		if r[i-1] == 's' && i-1 >= minPart && (v.words[string(r[:i-1])] || placeNames[string(r[:i-1])]) {
			return string(r[:i-1]), t, true
		}
	}
	return "", "", false
}

// minGenitiveBase is the fewest letters of a word a genitive s is taken
// off: "hus" and "kris" keep theirs.
const minGenitiveBase = 4

// genitiveBase returns w without its final s when w is not in the
// vocabulary and the word without it is: the genitive of a name or a
// definite noun ("Energis", "Trafikkontorets"), or a passive ("hämtas"),
// whose s Swedish stemming keeps after a vowel or after the definite
// ending -et, so the name would not meet itself.
func (v *vocabulary) genitiveBase(w string) (string, bool) {
	if v == nil || v.words[w] || len(w) < 2 || w[len(w)-1] != 's' {
		return "", false
	}
	base := w[:len(w)-1]
	if utf8.RuneCountInString(base) < minGenitiveBase || !v.words[base] {
		return "", false
	}
	return base, true
}
