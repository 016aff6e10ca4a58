package answers

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Rejection is one line of an import file that was not loaded, and why.
type Rejection struct {
	Line   int    `json:"line"`
	URL    string `json:"url,omitempty"`
	Reason string `json:"reason"`
}

func (r Rejection) String() string { return fmt.Sprintf("line %d: %s", r.Line, r.Reason) }

// Parsed is what an import file holds: the valid articles, in file order,
// and the lines rejected.
type Parsed struct {
	Articles []*Article
	Rejected []Rejection
}

// Import formats.
const (
	FormatJSON = "json"
	FormatCSV  = "csv"
)

// FormatOf guesses an import file's format from its name.
func FormatOf(name string) (string, error) {
	switch lower := strings.ToLower(name); {
	case strings.HasSuffix(lower, ".json"), strings.HasSuffix(lower, ".jsonl"):
		return FormatJSON, nil
	case strings.HasSuffix(lower, ".csv"):
		return FormatCSV, nil
	}
	return "", fmt.Errorf("cannot tell the format of %q: name it .json or .csv", name)
}

// Parse reads an import file and sorts its articles into valid ones and
// rejected lines: missing title, a URL that is not https or not on domains,
// a URL already seen earlier in the file, or a line that cannot be read.
// Only a file that cannot be read at all is an error.
func Parse(r io.Reader, format string, domains []string) (*Parsed, error) {
	var rows []row
	var p Parsed
	var err error
	switch format {
	case FormatJSON:
		rows, err = jsonRows(r, &p)
	case FormatCSV:
		rows, err = csvRows(r, &p)
	default:
		return nil, fmt.Errorf("answers: unknown import format %q (want json or csv)", format)
	}
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, rw := range rows {
		a := rw.article
		normalize(a)
		if err := a.Validate(domains); err != nil {
			p.Rejected = append(p.Rejected, Rejection{Line: rw.line, URL: a.URL, Reason: err.Error()})
			continue
		}
		if first, dup := seen[a.URL]; dup {
			p.Rejected = append(p.Rejected, Rejection{Line: rw.line, URL: a.URL, Reason: fmt.Sprintf("duplicate url %q (first on line %d)", a.URL, first)})
			continue
		}
		seen[a.URL] = rw.line
		p.Articles = append(p.Articles, a)
	}
	sortRejections(p.Rejected)
	return &p, nil
}

// normalize trims an article's text and defaults its language to Swedish.
func normalize(a *Article) {
	a.Title = strings.TrimSpace(a.Title)
	a.URL = strings.TrimSpace(a.URL)
	a.Administration = strings.TrimSpace(a.Administration)
	a.Language = strings.ToLower(strings.TrimSpace(a.Language))
	if a.Language == "" {
		a.Language = "sv"
	}
}

func sortRejections(rs []Rejection) {
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && rs[j].Line < rs[j-1].Line; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

type row struct {
	line    int
	article *Article
}

// jsonRows reads a JSON array of articles, an object with an "articles"
// array (the bundled bank's shape) or JSON Lines, and numbers every article
// by the line it starts on.
func jsonRows(r io.Reader, p *Parsed) ([]row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("answers: read: %w", err)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("answers: the file is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	switch trimmed[0] {
	case '[':
		if _, err := dec.Token(); err != nil {
			return nil, fmt.Errorf("answers: %w", err)
		}
		return jsonArray(dec, data, p)
	case '{':
		if isBankObject(trimmed) {
			if err := seekArticles(dec); err != nil {
				return nil, err
			}
			return jsonArray(dec, data, p)
		}
		return jsonLines(data, p), nil
	}
	return nil, errors.New("answers: a JSON import must be an array of articles, an object with \"articles\", or one article a line")
}

// isBankObject tells the bank file ({"articles": [...]}) from JSON Lines,
// whose first object is an article.
func isBankObject(b []byte) bool {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		return false
	}
	_, ok := probe["articles"]
	return ok
}

func seekArticles(dec *json.Decoder) error {
	if _, err := dec.Token(); err != nil { // {
		return fmt.Errorf("answers: %w", err)
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return fmt.Errorf("answers: %w", err)
		}
		if key == "articles" {
			tok, err := dec.Token()
			if d, ok := tok.(json.Delim); err != nil || !ok || d != '[' {
				return errors.New("answers: \"articles\" must be an array")
			}
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("answers: %w", err)
		}
	}
	return errors.New("answers: no \"articles\" array")
}

func jsonArray(dec *json.Decoder, data []byte, p *Parsed) ([]row, error) {
	var rows []row
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("answers: line %d: %w", lineAt(data, int(dec.InputOffset())), err)
		}
		end := int(dec.InputOffset())
		line := lineAt(data, end-len(raw))
		var a Article
		if err := json.Unmarshal(raw, &a); err != nil {
			p.Rejected = append(p.Rejected, Rejection{Line: line, Reason: "cannot read article: " + err.Error()})
			continue
		}
		rows = append(rows, row{line: line, article: &a})
	}
	return rows, nil
}

func jsonLines(data []byte, p *Parsed) []row {
	var rows []row
	for i, ln := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(ln)) == 0 {
			continue
		}
		var a Article
		if err := json.Unmarshal(ln, &a); err != nil {
			p.Rejected = append(p.Rejected, Rejection{Line: i + 1, Reason: "cannot read article: " + err.Error()})
			continue
		}
		rows = append(rows, row{line: i + 1, article: &a})
	}
	return rows
}

// lineAt is the 1-based line of byte offset off in data.
func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// CSVColumns are the columns of the CSV format, in export order; an import
// needs a header naming at least title and url, in any order. List columns
// (keywords, tags, synonyms) separate items with "|"; templates is a JSON
// object of reply drafts by language.
var CSVColumns = []string{"title", "url", "summary", "body", "administration", "language", "keywords", "tags", "synonyms", "topic", "active", "templates"}

func csvRows(r io.Reader, p *Parsed) ([]row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("answers: csv header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, need := range []string{"title", "url"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("answers: csv header has no %q column", need)
		}
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				p.Rejected = append(p.Rejected, Rejection{Line: pe.StartLine, Reason: "cannot read line: " + pe.Err.Error()})
				continue
			}
			return nil, fmt.Errorf("answers: csv: %w", err)
		}
		a, reason := fromCSV(rec, col)
		if reason != "" {
			p.Rejected = append(p.Rejected, Rejection{Line: line, URL: a.URL, Reason: reason})
			continue
		}
		rows = append(rows, row{line: line, article: a})
	}
}

func fromCSV(rec []string, col map[string]int) (*Article, string) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	list := func(name string) []string {
		var out []string
		for _, s := range strings.Split(get(name), "|") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	a := &Article{
		Title: get("title"), URL: get("url"), Summary: get("summary"), Body: get("body"),
		Administration: get("administration"), Language: get("language"), Topic: get("topic"),
		Keywords: list("keywords"), Tags: list("tags"), Synonyms: list("synonyms"), Active: true,
	}
	if v := get("active"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return a, fmt.Sprintf("active %q is not true or false", v)
		}
		a.Active = b
	}
	if v := get("templates"); v != "" {
		if err := json.Unmarshal([]byte(v), &a.Templates); err != nil {
			return a, fmt.Sprintf("templates is not a JSON object of drafts by language: %v", err)
		}
	}
	return a, ""
}

// WriteCSV writes articles in the CSV import format, header first.
func WriteCSV(w io.Writer, arts []*Article) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	for _, a := range arts {
		templates := ""
		if len(a.Templates) > 0 {
			b, err := json.Marshal(a.Templates)
			if err != nil {
				return err
			}
			templates = string(b)
		}
		rec := []string{a.Title, a.URL, a.Summary, a.Body, a.Administration, a.Language,
			strings.Join(a.Keywords, "|"), strings.Join(a.Tags, "|"), strings.Join(a.Synonyms, "|"),
			a.Topic, strconv.FormatBool(a.Active), templates}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes articles in the bank file shape LoadArticles and Parse
// read.
func WriteJSON(w io.Writer, arts []*Article) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(struct {
		Articles []*Article `json:"articles"`
	}{arts})
}
