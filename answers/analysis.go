package answers

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/swedish"
)

//go:embed data/stopwords.txt
var bundledStopWords string

//go:embed data/synonyms.txt
var bundledSynonyms string

// Analyzer turns text into search terms: lower case, words split on
// anything but letters and digits (hyphenated words also kept joined, so
// "p-tillstånd" is one term), stop words dropped, Swedish stemming. Every
// adapter and the evaluation commands use the same Analyzer so a question
// is scored the same way everywhere.
type Analyzer struct {
	stop     map[string]bool
	synonyms *Synonyms
}

// NewAnalyzer returns the Swedish analyzer with the bundled stop words and
// the given synonyms (nil means none).
func NewAnalyzer(syn *Synonyms) *Analyzer {
	a := &Analyzer{stop: map[string]bool{}, synonyms: syn}
	for _, line := range strings.Split(bundledStopWords, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			a.stop[w] = true
		}
	}
	return a
}

// DefaultAnalyzer returns the analyzer with the bundled synonyms.
func DefaultAnalyzer() *Analyzer {
	syn, err := ParseSynonyms(strings.NewReader(bundledSynonyms))
	if err != nil {
		panic(fmt.Sprintf("answers: bundled synonyms: %v", err)) // the embedded file is part of the build
	}
	return NewAnalyzer(syn)
}

// Synonyms returns the analyzer's synonym groups (never nil).
func (a *Analyzer) Synonyms() *Synonyms {
	if a.synonyms == nil {
		return &Synonyms{}
	}
	return a.synonyms
}

// Words splits text into lower-case words, without stop words, unstemmed.
// Hyphenated words come as the joined word followed by their parts.
func (a *Analyzer) Words(text string) []string {
	var out []string
	for _, raw := range splitWords(strings.ToLower(text)) {
		parts := strings.Split(raw, "-")
		joined := strings.Join(parts, "")
		if joined == "" || a.stop[raw] || a.stop[joined] {
			continue
		}
		out = append(out, joined)
		if len(parts) < 2 {
			continue
		}
		for _, p := range parts {
			if len([]rune(p)) >= 3 && !a.stop[p] {
				out = append(out, p)
			}
		}
	}
	return out
}

// Terms returns the stemmed search terms of text, in order, with repeats.
func (a *Analyzer) Terms(text string) []string {
	words := a.Words(text)
	for i, w := range words {
		words[i] = Stem(w)
	}
	return words
}

// Stem returns the Swedish Snowball stem of a lower-case word. Words with
// digits are kept whole: "covid19" and "2025" mean what they say.
func Stem(word string) string {
	for _, r := range word {
		if unicode.IsDigit(r) {
			return word
		}
	}
	word = snowball(trimDefinite(word))
	// A genitive of a definite form ("barnets", "kvinnans") comes out of
	// Snowball as the definite form: trim that too.
	if t := trimDefinite(word); t != word {
		word = snowball(t)
	}
	// Short vowels double a final m before an ending ("hem", "hemmet",
	// "program", "programmen"): one m is the stem.
	if strings.HasSuffix(word, "mm") && utf8.RuneCountInString(word) >= 4 {
		word = word[:len(word)-1]
	}
	return word
}

// trimDefinite trims the two definite forms Snowball leaves alone: of
// words in -a ("soptunnan", "ansökan") and of neuter nouns in -et
// ("kortet", "kärlet"), so both stem like the indefinite form.
func trimDefinite(word string) string {
	switch {
	case strings.HasSuffix(word, "an") && utf8.RuneCountInString(word) >= 6:
		return word[:len(word)-1]
	case strings.HasSuffix(word, "et") && utf8.RuneCountInString(word) >= 6:
		if before, _ := utf8.DecodeLastRuneInString(word[:len(word)-2]); !isVowel(before) {
			return word[:len(word)-2]
		}
	}
	return word
}

func snowball(word string) string {
	env := snowballstem.NewEnv(word)
	swedish.Stem(env)
	return env.Current()
}

func isVowel(r rune) bool { return strings.ContainsRune("aeiouyåäö", r) }

// splitWords cuts s into runs of letters, digits and inner hyphens.
func splitWords(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		w := strings.Trim(b.String(), "-")
		if w != "" {
			words = append(words, w)
		}
		b.Reset()
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == '-' && b.Len() > 0:
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// Synonyms are editable groups of words that find each other: a query
// with "sopor" also finds articles that say "avfall".
type Synonyms struct {
	// Groups holds each group's entries as written.
	Groups [][]string
	index  map[string][]int // stemmed single-word entry → groups
}

// ParseSynonyms reads one group a line, entries separated by commas;
// lines starting with # are comments. A group needs two entries.
func ParseSynonyms(r io.Reader) (*Synonyms, error) {
	s := &Synonyms{index: map[string][]int{}}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var group []string
		for _, e := range strings.Split(line, ",") {
			if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
				group = append(group, e)
			}
		}
		if len(group) < 2 {
			return nil, fmt.Errorf("synonyms line %d: a group needs at least two words, got %q", n, line)
		}
		s.add(group)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("synonyms: %w", err)
	}
	return s, nil
}

func (s *Synonyms) add(group []string) {
	if s.index == nil {
		s.index = map[string][]int{}
	}
	g := len(s.Groups)
	s.Groups = append(s.Groups, group)
	for _, e := range group {
		if key := entryKey(e); key != "" {
			s.index[key] = append(s.index[key], g)
		}
	}
}

// EntryStem is the stem of a one-word synonym entry ("p-tillstånd" counts
// as one word), or "" for phrases.
func EntryStem(entry string) string { return entryKey(entry) }

// StopTerms lists the stop words, sorted.
func (a *Analyzer) StopTerms() []string {
	out := make([]string, 0, len(a.stop))
	for w := range a.stop {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// entryKey is the stem of a one-word entry ("p-tillstånd" counts as one
// word), or "" for phrases.
func entryKey(entry string) string {
	words := splitWords(entry)
	if len(words) != 1 {
		return ""
	}
	return Stem(strings.ReplaceAll(words[0], "-", ""))
}

// Expand returns the stems that term's groups add, without term itself.
func (s *Synonyms) Expand(term string) []string {
	if s == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{term: true}
	for _, g := range s.index[term] {
		for _, e := range s.Groups[g] {
			for _, w := range splitWords(e) {
				st := Stem(strings.ReplaceAll(w, "-", ""))
				if !seen[st] {
					seen[st] = true
					out = append(out, st)
				}
			}
		}
	}
	return out
}

// String renders the groups in the file format ParseSynonyms reads.
func (s *Synonyms) String() string {
	var b strings.Builder
	for _, g := range s.Groups {
		b.WriteString(strings.Join(g, ", "))
		b.WriteByte('\n')
	}
	return b.String()
}
