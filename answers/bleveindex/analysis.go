package bleveindex

import (
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"inkorg/answers"
)

// Names of the analysis parts registered with bleve.
const (
	tokenizerName        = "inkorg_sv"
	analyzerName         = "inkorg_sv"
	prefixFilterName     = "inkorg_sv_prefix"
	prefixAnalyzerName   = "inkorg_sv_prefix"
	reversedAnalyzerName = "inkorg_sv_reversed"
)

// PrefixLen is how many leading characters of a stem the prefix fields
// keep: Swedish compounds share their first part ("matavfallspåse" and
// "matavfall"), so a shared prefix is evidence of a shared subject.
const PrefixLen = 6

// tokenizer hands bleve the terms answers.Analyzer makes, so the index and
// every other scorer of the answer bank agree on what a word is.
type tokenizer struct{ an *answers.Analyzer }

func (t tokenizer) Tokenize(input []byte) analysis.TokenStream {
	terms := t.an.Terms(string(input))
	out := make(analysis.TokenStream, len(terms))
	for i, term := range terms {
		out[i] = &analysis.Token{Term: []byte(term), Position: i + 1, Type: analysis.AlphaNumeric}
	}
	return out
}

// prefixFilter cuts every term to PrefixLen characters.
type prefixFilter struct{}

func (prefixFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = []byte(prefixOf(string(tok.Term)))
	}
	return input
}

func prefixOf(term string) string {
	if utf8.RuneCountInString(term) <= PrefixLen {
		return term
	}
	var b strings.Builder
	for i, r := range []rune(term) {
		if i == PrefixLen {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

func init() {
	// Stop words are fixed; synonyms are applied to queries, so the index
	// tokenizer needs none.
	an := answers.NewAnalyzer(nil)
	must(registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return tokenizer{an: an}, nil
	}))
	must(registry.RegisterTokenFilter(prefixFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return prefixFilter{}, nil
	}))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
