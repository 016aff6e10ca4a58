package answers

import (
	"math"
	"strings"
)

// Compound splitting. Swedish writes compounds as one word
// ("sophämtning", "parkeringstillstånd", "bygglovsansökan") where a
// citizen or an article may use the parts ("hämtning av sopor", "tillstånd
// för parkering", "ansökan om bygglov"). Decompound finds the parts a
// vocabulary knows, so a search can look for them too.
const (
	// MinCompoundPart is the shortest part a compound is split into:
	// Swedish has three-letter stems that head or start compounds ("sop",
	// "lov", "hem"), shorter ones are mostly noise.
	MinCompoundPart = 3
	// maxCompoundParts bounds the parts of one word.
	maxCompoundParts = 3
	// maxCompoundLen is the longest stem that is split: the cost of a
	// split grows with the square of the length, and a longer run of
	// letters (a held key, pasted data) is no word.
	maxCompoundLen = 64
)

// linkingLetters are the letters Swedish puts between the parts of a
// compound: parkering-s-tillstånd, kvinn-o-jour, gat-u-belysning,
// förskol-e-klass, gäst-a-bud.
const linkingLetters = "soeua"

// Decompound splits a stemmed word into parts that df knows (df returns
// how many documents hold a stem, 0 for an unknown one): "sophämtning" into
// "sop" and "hämtning", "bygglovsansök" into "bygglov" and "ansök". Of all
// splits into known parts (a linking letter between two parts may be
// dropped), it picks the one whose parts are most frequent by geometric
// mean, and splits only when that mean is higher than the whole word's own
// count, the rule of Koehn and Knight's splitter (2003): a compound that is
// common as it is says more than its parts. It returns nil for no split,
// and for a stem longer than maxCompoundLen without looking it up.
func Decompound(stem string, df func(string) int) []string {
	r := []rune(stem)
	if len(r) < 2*MinCompoundPart || len(r) > maxCompoundLen {
		return nil
	}
	s := splitter{r: r, df: df, known: map[string]int{}}
	parts, logSum := s.best(0, maxCompoundParts)
	if len(parts) < 2 {
		return nil
	}
	if mean := math.Exp(logSum / float64(len(parts))); mean <= float64(s.count(stem)) {
		return nil
	}
	return parts
}

type splitter struct {
	r     []rune
	df    func(string) int
	known map[string]int // df by stem, looked up once
}

func (s *splitter) count(stem string) int {
	if n, ok := s.known[stem]; ok {
		return n
	}
	n := s.df(stem)
	s.known[stem] = n
	return n
}

// best returns the best split of r[start:] into at most max known parts,
// and the sum of the logarithms of their counts; nil when there is none.
func (s *splitter) best(start, max int) ([]string, float64) {
	var bestParts []string
	bestMean := math.Inf(-1)
	bestSum := 0.0
	consider := func(parts []string, sum float64) {
		if mean := sum / float64(len(parts)); mean > bestMean {
			bestParts, bestMean, bestSum = parts, mean, sum
		}
	}
	rest := string(s.r[start:])
	if start > 0 {
		if n := s.count(rest); n > 0 {
			consider([]string{rest}, math.Log(float64(n)))
		}
	}
	if max < 2 {
		return bestParts, bestSum
	}
	for i := start + MinCompoundPart; i+MinCompoundPart <= len(s.r); i++ {
		mod, n := s.modifier(s.r[start:i])
		if n == 0 {
			continue
		}
		tail, sum := s.best(i, max-1)
		if tail == nil {
			continue
		}
		consider(append([]string{mod}, tail...), sum+math.Log(float64(n)))
	}
	return bestParts, bestSum
}

// modifier returns the known stem a compound's first part stands for, as
// written or without a linking letter, and its count (0: unknown).
func (s *splitter) modifier(m []rune) (string, int) {
	word := string(m)
	n := s.count(word)
	if last := m[len(m)-1]; len(m) > MinCompoundPart && strings.ContainsRune(linkingLetters, last) {
		if short := string(m[:len(m)-1]); s.count(short) > n {
			return short, s.count(short)
		}
	}
	return word, n
}
