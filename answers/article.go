// Package answers is the answer bank: goteborg.se articles that agents link
// in their replies, and the search that suggests them.
package answers

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

//go:embed data/answers.json
var bundledArticles []byte

// Article is one page of the city's web that answers a citizen question.
type Article struct {
	// ID is the stored article's number; 0 for one not stored yet. Files
	// do not carry it: the URL is what identifies an article.
	ID      int64  `json:"id,omitempty"`
	Title   string `json:"title"`
	URL     string `json:"url"`
	Summary string `json:"summary"`
	// Administration is the routing target id that owns the answer.
	Administration string   `json:"administration"`
	Language       string   `json:"language"`
	Keywords       []string `json:"keywords,omitempty"`
	// Topic groups articles for evaluation and statistics.
	Topic string `json:"topic,omitempty"`
	// Body is the article's text beyond the summary, when known.
	Body string   `json:"body,omitempty"`
	Tags []string `json:"tags,omitempty"`
	// Synonyms are extra words this article should be found by.
	Synonyms []string `json:"synonyms,omitempty"`
	// Templates are reply drafts keyed by language ("sv", "en").
	Templates map[string]string `json:"templates,omitempty"`
	// Active articles are suggested; inactive ones are kept but hidden.
	Active    bool      `json:"active"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Questions are citizen messages agents answered with this article:
	// extra searchable text learnt from use, never written to files.
	Questions []string `json:"-"`
}

// UnmarshalJSON decodes an article; one without "active" is active.
func (a *Article) UnmarshalJSON(b []byte) error {
	type plain Article
	p := plain{Active: true}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*a = Article(p)
	return nil
}

// languageCode is an ISO 639 code in lower case (normalize lowers it).
var languageCode = regexp.MustCompile(`^[a-z]{2,3}$`)

// DefaultDomains are the sites an article may link to: the city's own.
var DefaultDomains = []string{"goteborg.se"}

// Validate reports the first reason a cannot be in the answer bank: it
// needs a title and an https URL on one of domains or their subdomains
// (see checkCityLink), and its language, when given, is a language code.
// A valid article's URL is set to its canonical form (CanonicalURL), so
// every way in (bundled bank, import, editor) stores one spelling a page.
func (a *Article) Validate(domains []string) error {
	if strings.TrimSpace(a.Title) == "" {
		return refusal("rubrik saknas", "title is required")
	}
	if a.Language != "" && !languageCode.MatchString(a.Language) {
		return refusal("språket %q är ingen språkkod som sv eller en", "language %q is not a language code such as sv or en", a.Language)
	}
	canon, err := CanonicalURL(a.URL)
	if err != nil {
		return err
	}
	if err := checkCityLink(a.URL, canon, domains); err != nil {
		return err
	}
	a.URL = canon
	return nil
}

// LoadArticles reads an answer bank file (a JSON object with an "articles"
// array) and validates every article against domains; two spellings of
// one URL are a duplicate.
func LoadArticles(r io.Reader, domains []string) ([]*Article, error) {
	var file struct {
		About    string     `json:"about"`
		Articles []*Article `json:"articles"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("answers: %w", err)
	}
	seen := make(map[string]int, len(file.Articles))
	for i, a := range file.Articles {
		if err := a.Validate(domains); err != nil {
			// The bundled bank's errors are for its maintainers, in English.
			_, en := halves(err)
			return nil, fmt.Errorf("answers: article %d: %s", i+1, en)
		}
		if first, dup := seen[a.URL]; dup {
			return nil, fmt.Errorf("answers: article %d: url %q is also article %d", i+1, a.URL, first)
		}
		seen[a.URL] = i + 1
	}
	return file.Articles, nil
}

// BundledArticles returns the answer bank shipped with inkorg.
func BundledArticles() ([]*Article, error) {
	return LoadArticles(bytes.NewReader(bundledArticles), DefaultDomains)
}
