package answers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"inkorg/inbox"
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
	Articles []Import
	Rejected []Rejection
}

// Import is a valid article of an import file with the fields the file
// gives for it (always title and url).
type Import struct {
	*Article
	Given Fields
	// Line is the line of the file the article starts on.
	Line int
}

// ActionArticleImport is the audit action of an article an import added
// or changed; such entries have no actor.
const ActionArticleImport = "article.import"

// Merge returns what importing im makes of stored, the article with the
// same URL already in the bank (nil when none): a new article as the file
// gives it, else stored with only the given fields replaced. A summary,
// body or template that differs from the stored one only in CR LF line
// ends (which an import reads as LF) leaves the stored text.
func (im Import) Merge(stored *Article) *Article {
	if stored == nil {
		return im.Article
	}
	out := *stored
	for i, name := range CSVColumns {
		if im.Given&(1<<i) != 0 {
			copyField[name](&out, im.Article)
		}
	}
	return &out
}

// copyField sets one field of dst, still holding the stored article, from
// the imported src.
var copyField = map[string]func(dst, src *Article){
	"title":          func(d, s *Article) { d.Title = s.Title },
	"url":            func(d, s *Article) { d.URL = s.URL },
	"summary":        func(d, s *Article) { d.Summary = keepCRLF(d.Summary, s.Summary) },
	"body":           func(d, s *Article) { d.Body = keepCRLF(d.Body, s.Body) },
	"administration": func(d, s *Article) { d.Administration = s.Administration },
	"language":       func(d, s *Article) { d.Language = s.Language },
	"keywords":       func(d, s *Article) { d.Keywords = s.Keywords },
	"tags":           func(d, s *Article) { d.Tags = s.Tags },
	"synonyms":       func(d, s *Article) { d.Synonyms = s.Synonyms },
	"topic":          func(d, s *Article) { d.Topic = s.Topic },
	"active":         func(d, s *Article) { d.Active = s.Active },
	"templates":      func(d, s *Article) { d.Templates = keepCRLFTemplates(d.Templates, s.Templates) },
}

// keepCRLF returns stored when given is stored with its CR LF line ends
// read as LF, else given.
func keepCRLF(stored, given string) string {
	if stored != given && strings.Contains(stored, "\r\n") && lineFeeds(stored) == given {
		return stored
	}
	return given
}

// sameText reports whether given is stored, or stored with its CR LF line
// ends read as LF.
func sameText(stored, given string) bool { return keepCRLF(stored, given) == stored }

// keepCRLFTemplates returns stored when given differs from it only in
// CR LF line ends read as LF, else given.
func keepCRLFTemplates(stored, given map[string]string) map[string]string {
	if len(stored) > 0 && maps.EqualFunc(stored, given, sameText) {
		return stored
	}
	return given
}

// Fields is a set of article fields, one bit per CSV column (CSVColumns).
type Fields uint16

// AllFields is every field: a whole article.
var AllFields = FieldsNamed(CSVColumns...)

// FieldsNamed is the set of the fields with these CSV column names; other
// names add nothing.
func FieldsNamed(names ...string) Fields {
	var f Fields
	for _, name := range names {
		if i := slices.Index(CSVColumns, name); i >= 0 {
			f |= 1 << i
		}
	}
	return f
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
	return "", refusal("det går inte att se vilket format %q har: ge filen ändelsen .json eller .csv", "cannot tell the format of %q: name it .json or .csv", name)
}

// Parse reads an import file and sorts its articles into valid ones and
// rejected lines: missing title, a URL that is not https or not on domains,
// a URL already seen earlier in the file, or a line that cannot be read
// (a CSV line that is not UTF-8 among them). Only a file that cannot be
// read at all is an error, a JSON file that is not UTF-8 among them.
//
// Each article comes with the fields the file gives: the CSV header's
// columns, or the keys of the article's JSON object. An empty language,
// or an empty cell in the active column, gives nothing.
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
		return nil, refusal("okänt importformat %q (json eller csv)", "unknown import format %q (want json or csv)", format)
	}
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, rw := range rows {
		a := rw.article
		if strings.TrimSpace(a.Language) == "" {
			rw.given &^= FieldsNamed("language") // the default, not a change
		}
		err := normalize(a)
		if err == nil {
			err = a.Validate(domains)
		}
		if err != nil {
			p.Rejected = append(p.Rejected, Rejection{Line: rw.line, URL: a.URL, Reason: err.Error()})
			continue
		}
		if hasNUL(a) {
			// PostgreSQL cannot store it and would fail the whole batch.
			p.Rejected = append(p.Rejected, Rejection{Line: rw.line, URL: a.URL, Reason: refusal("artikeln innehåller ett NUL-tecken", "the article contains a NUL character").Error()})
			continue
		}
		if first, dup := seen[a.URL]; dup {
			p.Rejected = append(p.Rejected, Rejection{Line: rw.line, URL: a.URL, Reason: refusal("länken %q finns två gånger (först på rad %d)", "duplicate url %q (first on line %d)", a.URL, first).Error()})
			continue
		}
		seen[a.URL] = rw.line
		p.Articles = append(p.Articles, Import{Article: a, Given: rw.given | FieldsNamed("title", "url"), Line: rw.line})
	}
	sortRejections(p.Rejected)
	return &p, nil
}

// RejectUnknownAdministrations rejects, with their lines, the articles
// whose administration known does not know, as the editor refuses them;
// an article stored with that administration (stored, matched by URL)
// may keep it, as the editor lets it.
func (p *Parsed) RejectUnknownAdministrations(stored []*Article, known func(id string) bool) {
	kept := make(map[string]string, len(stored))
	for _, a := range stored {
		kept[a.URL] = a.Administration
	}
	valid := p.Articles[:0]
	for _, im := range p.Articles {
		adm := im.Administration
		if im.Given&FieldsNamed("administration") == 0 || adm == "" || known(adm) || kept[im.URL] == adm {
			valid = append(valid, im)
			continue
		}
		p.Rejected = append(p.Rejected, Rejection{Line: im.Line, URL: im.URL,
			Reason: refusal("det finns ingen förvaltning %q (ingen mottagare i fördelningen har det id:t)",
				"there is no administration %q (no routing target has that id)", adm).Error()})
	}
	clear(p.Articles[len(valid):])
	p.Articles = valid
	sortRejections(p.Rejected)
}

// normalize trims an article's text, topic and list items (dropping empty
// items), reads the CR LF line ends of its summary, body and templates as
// LF, defaults its language to Swedish, drops empty templates (blank
// ones included: a draft of nothing) and lower-cases the languages of the
// others, so every way in (import, editor) stores one form. It refuses a
// template without a language, with one that is not a language code (as
// the article's own language must be) and two templates for one.
func normalize(a *Article) error {
	a.Title = strings.TrimSpace(a.Title)
	a.URL = strings.TrimSpace(a.URL)
	a.Administration = strings.TrimSpace(a.Administration)
	a.Topic = strings.TrimSpace(a.Topic)
	a.Language = strings.ToLower(strings.TrimSpace(a.Language))
	if a.Language == "" {
		a.Language = "sv"
	}
	// A browser's textarea sends CR LF; text is stored with LF.
	a.Summary, a.Body = lineFeeds(a.Summary), lineFeeds(a.Body)
	a.Keywords = trimItems(a.Keywords)
	a.Tags = trimItems(a.Tags)
	a.Synonyms = trimItems(a.Synonyms)
	if len(a.Templates) == 0 {
		a.Templates = nil
		return nil
	}
	keys := slices.Sorted(maps.Keys(a.Templates))
	templates := make(map[string]string, len(keys))
	given := map[string]string{}
	for _, k := range keys {
		if strings.TrimSpace(a.Templates[k]) == "" {
			continue
		}
		lang := strings.ToLower(strings.TrimSpace(k))
		if lang == "" {
			return refusal("mallarna har ett utkast utan språk", "templates has a draft without a language")
		}
		if !languageCode.MatchString(lang) {
			return refusal("mallarna har ett utkast på %q, som inte är en språkkod som sv eller en",
				"templates has a draft in %q, which is not a language code such as sv or en", k)
		}
		if other, dup := given[lang]; dup {
			return refusal("mallarna har två utkast på språket %q (%q och %q)", "templates has two drafts in language %q (%q and %q)", lang, other, k)
		}
		given[lang] = k
		templates[lang] = lineFeeds(a.Templates[k])
	}
	a.Templates = templates
	if len(templates) == 0 {
		a.Templates = nil
	}
	return nil
}

// lineFeeds returns s with its CR LF line ends as LF.
func lineFeeds(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// trimItems trims list items and drops empty ones; nil when none is left.
func trimItems(items []string) []string {
	var out []string
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// hasNUL reports whether any text of a holds a NUL character.
func hasNUL(a *Article) bool {
	texts := slices.Concat([]string{a.Title, a.URL, a.Summary, a.Body, a.Administration, a.Language, a.Topic}, a.Keywords, a.Tags, a.Synonyms)
	for lang, t := range a.Templates {
		texts = append(texts, lang, t)
	}
	return slices.ContainsFunc(texts, func(s string) bool { return strings.IndexByte(s, 0) >= 0 })
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
	given   Fields
}

// utf8BOM starts files that Excel and Notepad save as UTF-8.
var utf8BOM = []byte("\ufeff")

// jsonRows reads a JSON array of articles, an object with an "articles"
// array (the bundled bank's shape), JSON Lines or article objects that
// span lines one after another, and numbers every article by the line it
// starts on.
func jsonRows(r io.Reader, p *Parsed) ([]row, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("answers: read: %w", err)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		return nil, refusal("rad %d är inte UTF-8-text: spara filen som UTF-8", "line %d is not UTF-8 text: save the file as UTF-8", lineAt(data, invalidUTF8At(data)))
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, refusal("filen är tom", "the file is empty")
	}
	bank := isBankObject(trimmed)
	if trimmed[0] == '[' || bank {
		// One JSON document: a syntax error anywhere leaves no telling
		// where the articles are, so none is loaded.
		if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
			return nil, jsonFileError(data, err, "filen är ett enda JSON-dokument", "the file is one JSON document")
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	switch {
	case trimmed[0] == '[':
		if _, err := dec.Token(); err != nil {
			return nil, fmt.Errorf("answers: %w", err)
		}
		return jsonArray(dec, data, p)
	case bank:
		if err := seekArticles(dec); err != nil {
			return nil, err
		}
		return jsonArray(dec, data, p)
	case trimmed[0] == '{' && firstSpansLines(data):
		return jsonObjects(data, p)
	case trimmed[0] == '{':
		return jsonLines(data, p), nil
	}
	return nil, refusal(`en JSON-import är en lista med artiklar, ett objekt med "articles" eller en artikel per rad`,
		`a JSON import must be an array of articles, an object with "articles", or one article a line`)
}

// bankKeys are the keys of the bank file's object; an article has none of
// them, so JSON Lines never starts with one.
var bankKeys = []string{"about", "articles"}

// isBankObject tells the bank file ({"articles": [...]}) from JSON Lines
// by the first key of the object b starts with, whatever follows it.
func isBankObject(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	key, err := dec.Token()
	k, ok := key.(string)
	return err == nil && ok && slices.Contains(bankKeys, k)
}

// jsonFileError refuses the whole file for a JSON syntax error: its line,
// the decoder's words, and why (sv, en) nothing is imported for it.
func jsonFileError(data []byte, err error, sv, en string) *reason {
	line, detail := errorLine(data, err), strings.TrimPrefix(err.Error(), "json: ")
	return &reason{
		fmt.Sprintf("rad %d: ogiltig JSON: %s; %s, så inget importeras", line, detail, sv),
		fmt.Sprintf("line %d: %s; %s, so nothing is imported", line, detail, en),
	}
}

// errorLine is the line of data a JSON decoding error is on: the line of
// the byte a syntax error stopped at, else the end of data.
func errorLine(data []byte, err error) int {
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return lineAt(data, int(syntaxErr.Offset)-1) // Offset counts the byte in error
	}
	return lineAt(data, len(data))
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
				return refusal(`"articles" måste vara en lista`, `"articles" must be an array`)
			}
			return nil
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("answers: %w", err)
		}
	}
	return refusal(`filen har ingen lista "articles"`, `no "articles" array`)
}

func jsonArray(dec *json.Decoder, data []byte, p *Parsed) ([]row, error) {
	var rows []row
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("answers: line %d: %w", errorLine(data, err), err)
		}
		end := int(dec.InputOffset())
		rows = appendArticle(rows, p, lineAt(data, end-len(raw)), raw)
	}
	return rows, nil
}

// appendArticle decodes the article raw that starts on line, appending it
// to rows, or its rejection to p when it cannot be read.
func appendArticle(rows []row, p *Parsed, line int, raw []byte) []row {
	if string(bytes.TrimSpace(raw)) == "null" {
		// encoding/json reads null as an empty article, which would be
		// rejected for its missing title.
		p.Rejected = append(p.Rejected, Rejection{Line: line, Reason: refusal("artikeln kan inte läsas: en artikel är ett JSON-objekt, inte null",
			"cannot read article: an article is a JSON object, not null").Error()})
		return rows
	}
	var a Article
	if err := json.Unmarshal(raw, &a); err != nil {
		p.Rejected = append(p.Rejected, Rejection{Line: line, Reason: articleReadError(err)})
		return rows
	}
	return append(rows, row{line: line, article: &a, given: jsonGiven(raw)})
}

// firstSpansLines reports whether data starts with a whole JSON value
// over more than one line: an article object as an editor or jq
// pretty-prints it, which JSON Lines, one article a line, cannot be.
func firstSpansLines(data []byte) bool {
	var first json.RawMessage
	err := json.NewDecoder(bytes.NewReader(data)).Decode(&first)
	return err == nil && bytes.ContainsRune(first, '\n')
}

// jsonObjects reads article objects written one after another, each over
// as many lines as it takes, and numbers each by the line it starts on.
// As in one JSON document, a syntax error leaves no telling where the
// articles after it start, so it refuses the file whole.
func jsonObjects(data []byte, p *Parsed) ([]row, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var rows []row
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, jsonFileError(data, err, "artiklarna sträcker sig över flera rader", "the articles span lines")
		}
		end := int(dec.InputOffset())
		rows = appendArticle(rows, p, lineAt(data, end-len(raw)), raw)
	}
}

// articleReadError says why a JSON article could not be read: the field
// of the wrong type by its JSON name (active is true or false, not "nej"
// as a CSV file may say), or the decoder's words after a lead-in.
func articleReadError(err error) string {
	return led("artikeln kan inte läsas: ", "cannot read article: ", articleReadProblem(err)).Error()
}

func articleReadProblem(err error) error {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		if list, ok := articleFieldType(typeErr.Field); ok && list != typeErr.Type && (list.Kind() == reflect.Slice || list.Kind() == reflect.Map) {
			// encoding/json names the list, or the map, and the type
			// of its item: the item is what is wrong.
			return &reason{
				fmt.Sprintf("%q måste vara %s med %s, inte med %s", typeErr.Field, jsonKindSV[inbox.JSONKind(list)],
					jsonItemsSV[inbox.JSONKind(typeErr.Type)], jsonValueSV(typeErr.Value)),
				fmt.Sprintf("%q must be %s of %ss, not one with %s", typeErr.Field, inbox.JSONKind(list),
					strings.TrimPrefix(inbox.JSONKind(typeErr.Type), "a "), withArticle(typeErr.Value)),
			}
		}
		return &reason{
			fmt.Sprintf("%q måste vara %s, inte %s", typeErr.Field, jsonKindSV[inbox.JSONKind(typeErr.Type)], jsonValueSV(typeErr.Value)),
			fmt.Sprintf("%q must be %s, not %s", typeErr.Field, inbox.JSONKind(typeErr.Type), typeErr.Value),
		}
	case typeErr != nil:
		// An element of the list that is no object at all (5, "x").
		return &reason{"en artikel är ett JSON-objekt, inte " + jsonValueSV(typeErr.Value), "an article is a JSON object, not " + typeErr.Value}
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKindSV and jsonItemsSV are inbox.JSONKind's words in Swedish, and
// the plural of each, for the items of a list.
var (
	jsonKindSV = map[string]string{
		"true or false": "true eller false", "a string": "en textsträng", "a whole number": "ett heltal",
		"a number": "ett tal", "a list": "en lista", "an object": "ett objekt",
	}
	jsonItemsSV = map[string]string{
		"true or false": "true eller false", "a string": "textsträngar", "a whole number": "heltal",
		"a number": "tal", "a list": "listor", "an object": "objekt",
	}
)

// jsonValueSV is, in Swedish, the kind of JSON value encoding/json names
// in an UnmarshalTypeError ("string", "number", "number 1.5", "bool",
// "array", "object"); one it does not know is given as it is.
func jsonValueSV(value string) string {
	kind, detail, _ := strings.Cut(value, " ")
	sv, ok := map[string]string{"string": "en textsträng", "number": "ett tal", "bool": "true eller false",
		"array": "en lista", "object": "ett objekt", "null": "null"}[kind]
	switch {
	case !ok:
		return value
	case detail != "" && kind == "number":
		return "talet " + detail
	case detail != "":
		return sv + " " + detail
	}
	return sv
}

// articleFieldType is the type of the Article field with JSON key name.
func articleFieldType(name string) (reflect.Type, bool) {
	t := reflect.TypeFor[Article]()
	for i := range t.NumField() {
		f := t.Field(i)
		if key, _, _ := strings.Cut(f.Tag.Get("json"), ","); strings.EqualFold(key, name) {
			return f.Type, true
		}
	}
	return nil, false
}

// withArticle puts "a" or "an" before the JSON kind encoding/json names
// ("number", "object").
func withArticle(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

func jsonLines(data []byte, p *Parsed) []row {
	var rows []row
	for i, ln := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(ln)) == 0 {
			continue
		}
		rows = appendArticle(rows, p, i+1, ln)
	}
	return rows
}

// jsonGiven is the set of fields an article's JSON object has keys for,
// matched without case as encoding/json matches them; a key whose value
// is null counts as absent, as encoding/json leaves the field alone.
func jsonGiven(obj []byte) Fields {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(obj, &keys); err != nil {
		return AllFields // not reached: obj decoded as an article
	}
	var f Fields
	for k, v := range keys {
		if string(v) != "null" {
			f |= FieldsNamed(strings.ToLower(k))
		}
	}
	return f
}

// invalidUTF8At is the offset of the first byte in data that is not UTF-8.
func invalidUTF8At(data []byte) int {
	for off := 0; off < len(data); {
		r, n := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && n <= 1 {
			return off
		}
		off += n
	}
	return len(data)
}

// lineAt is the 1-based line of byte offset off in data.
func lineAt(data []byte, off int) int {
	off = min(max(off, 0), len(data))
	return bytes.Count(data[:off], []byte("\n")) + 1
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
