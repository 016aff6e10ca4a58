package routing

import (
	"strings"
	"unicode"
)

// words splits text into lower-case words of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// fold replaces Swedish and other accented letters with their plain Latin
// letter, so "sophamtning" typed without å, ä and ö still matches.
func fold(w string) string {
	if isASCII(w) {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		if f, ok := foldMap[r]; ok {
			b.WriteRune(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldMap = map[rune]rune{
	'å': 'a', 'ä': 'a', 'á': 'a', 'à': 'a', 'â': 'a',
	'ö': 'o', 'ø': 'o', 'ó': 'o', 'ò': 'o', 'ô': 'o',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'ü': 'u', 'ú': 'u', 'í': 'i', 'ï': 'i', 'æ': 'a',
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// swedishSuffixes are inflection endings removed by stem, longest first:
// definite forms, plurals and genitives of nouns, and common verb endings.
var swedishSuffixes = []string{
	"arnas", "ernas", "ornas", "andet", "andes", "heten", "arna", "erna", "orna",
	"ende", "ande", "aste", "ades", "ning", "ens", "ets", "het", "are", "ade",
	"ast", "en", "et", "na", "ar", "er", "or", "ad", "at", "as", "es", "a", "e", "s",
}

// stem strips one inflection ending from a Swedish word, keeping at least
// three letters, so "sopkärlen", "sopkärlet" and "sopkärl" meet.
func stem(w string) string {
	for _, suf := range swedishSuffixes {
		if strings.HasSuffix(w, suf) && len([]rune(w))-len([]rune(suf)) >= 3 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// stopwords are frequent function words in Swedish and English that say
// nothing about where a question belongs.
var stopwords = toSet(`
och i att det som en på är av för med till den har de inte om ett han men
vi var jag sig från så kan man när år här där vad hur vem vilken vilka varför
du ni dig er oss mig min mitt mina din ditt dina vår vårt våra er ert era
hans hennes deras dem denna detta dessa då nu ska skall skulle kunde vill
får fick blir blev bli vara varit ha hade göra gör gjorde finns fanns någon
något några ingen inget inga alla allt mycket mer mest även också bara redan
tycker tänkte gärna igen efter före under över vid mot utan genom eller samt hej tack snälla
hallå undrar fråga frågor behöver måste kommer sedan ju väl nog just
är än åt ut upp in ner hit dit ja nej vet veta tror the a an and or of to in
on at for with is are was be it this that my our your we you i me can do does
how what when where who why which please hi hello thanks there have has
`)

func toSet(list string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}

// Feature kinds; their weights say how much one feature of the kind counts
// against the others.
const (
	weightWord  = 1.0
	weightStem  = 1.0
	weightGram  = 0.35
	minGramLen  = 3
	maxGramLen  = 5
	minWordRune = 2
)

// feature is one classifier input with its weight.
type feature struct {
	key    string
	weight float64
}

// features turns text into classifier features: the content words, their
// stems, and character n-grams of the folded words. The n-grams are what
// let compounds ("bygglovsansökan"), unseen inflections and typos share
// features with the words the classifier was trained on.
func features(text string) []feature {
	var out []feature
	for _, w := range words(text) {
		if stopwords[w] || len([]rune(w)) < minWordRune || isNumber(w) {
			continue
		}
		out = append(out, feature{"w:" + w, weightWord})
		if s := stem(w); s != w {
			out = append(out, feature{"s:" + s, weightStem})
		}
		out = appendGrams(out, fold(w))
	}
	return out
}

// appendGrams adds the character n-grams of w, marked at the word's edges.
func appendGrams(out []feature, w string) []feature {
	r := []rune("<" + w + ">")
	for n := minGramLen; n <= maxGramLen; n++ {
		for i := 0; i+n <= len(r); i++ {
			out = append(out, feature{"g:" + string(r[i:i+n]), weightGram})
		}
	}
	return out
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
