package answers

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CSVColumns are the columns of the CSV format, in export order; an import
// needs a header naming at least title and url, in any order. List columns
// (keywords, tags, synonyms) separate items with "|" (written "\|" in an
// item, and a backslash "\\"); templates is a JSON object of reply drafts by
// language.
var CSVColumns = []string{"title", "url", "summary", "body", "administration", "language", "keywords", "tags", "synonyms", "topic", "active", "templates"}

// csvRows reads CSV separated by commas or, as Excel saves it in Swedish,
// by semicolons (whichever the header line has more of), with or without
// a byte order mark.
func csvRows(r io.Reader, p *Parsed) ([]row, error) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(len(utf8BOM)); bytes.Equal(head, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.Comma = csvDelimiter(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, refusal("CSV-filen är tom; den behöver en rubrikrad med minst kolumnerna title och url",
			"the CSV file is empty; it needs a header line naming at least title and url")
	}
	if err != nil {
		return nil, led("rubrikraden i CSV-filen kan inte läsas: ", "csv header: ", err)
	}
	col, err := csvColumns(header)
	if err != nil {
		return nil, err
	}
	var given Fields
	for name := range col {
		given |= FieldsNamed(name)
	}
	var rows []row
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				p.Rejected = append(p.Rejected, unreadable(pe)...)
				continue
			}
			return nil, fmt.Errorf("answers: csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if blankRecord(rec) {
			// Excel saves the empty rows under a table as ";;;;".
			continue
		}
		if reason := cellsOff(rec, header, cr.Comma); reason != "" {
			p.Rejected = append(p.Rejected, Rejection{Line: line, Reason: reason})
			continue
		}
		if !allUTF8(rec) {
			p.Rejected = append(p.Rejected, Rejection{Line: line, Reason: refusal("raden är inte UTF-8-text: spara filen som UTF-8 (i Excel: CSV UTF-8)",
				"the line is not UTF-8 text: save the file as UTF-8 (in Excel: CSV UTF-8)").Error()})
			continue
		}
		a, g, reason := fromCSV(rec, col, given)
		if reason != "" {
			p.Rejected = append(p.Rejected, Rejection{Line: line, URL: a.URL, Reason: reason})
			continue
		}
		rows = append(rows, row{line: line, article: a, given: g})
	}
}

// csvColumns maps the header's column names (trimmed, in any case) to
// their index. An empty name is a column Excel saves right of a table and
// is ignored; a name twice or one that is no CSVColumns refuses the file,
// since its cells would be lost without a word: the file's author meant
// something by them.
func csvColumns(header []string) (map[string]int, error) {
	col := map[string]int{}
	var twice, unknown [2][]string // in Swedish and English
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch first, dup := col[name]; {
		case name == "":
		case dup:
			twice[0] = append(twice[0], fmt.Sprintf("%q (kolumn %d och %d)", name, first+1, i+1))
			twice[1] = append(twice[1], fmt.Sprintf("%q (columns %d and %d)", name, first+1, i+1))
		case !slices.Contains(CSVColumns, name):
			unknown[0] = append(unknown[0], fmt.Sprintf("%q (kolumn %d)", strings.TrimSpace(h), i+1))
			unknown[1] = append(unknown[1], fmt.Sprintf("%q (column %d)", strings.TrimSpace(h), i+1))
		default:
			col[name] = i
		}
	}
	for _, need := range []string{"title", "url"} {
		if _, ok := col[need]; !ok {
			return nil, refusal("rubrikraden i CSV-filen har ingen kolumn %q (kolumner skiljs med , eller ;)", "csv header has no %q column (columns separated by , or ;)", need)
		}
	}
	if len(twice[0]) > 0 {
		return nil, &reason{
			"rubrikraden i CSV-filen har en kolumn två gånger: " + strings.Join(twice[0], ", ") + "; behåll en av varje",
			"csv header names a column twice: " + strings.Join(twice[1], ", ") + "; keep one of each",
		}
	}
	if len(unknown[0]) > 0 {
		columns := strings.Join(CSVColumns, ", ")
		return nil, &reason{
			"rubrikraden i CSV-filen har okända kolumner: " + strings.Join(unknown[0], ", ") + "; kolumnerna är " + columns,
			"csv header has unknown columns: " + strings.Join(unknown[1], ", ") + "; the columns are " + columns,
		}
	}
	return col, nil
}

// cellsOff says why a line's cells do not line up with the header's
// columns, "" when they do: more cells than columns (a separator in a
// cell not in quotes), fewer (a separator missing), or text in a column
// without a name. Read anyway, such a line would put text in the wrong
// field, lose it, or clear the stored one.
func cellsOff(rec, header []string, comma rune) string {
	switch {
	case len(rec) > len(header):
		return refusal("raden har %d celler men rubrikraden %d kolumner: en cell som innehåller %c måste stå inom dubbla citattecken",
			"the line has %d cells but the header %d columns: a cell holding %c must be in double quotes", len(rec), len(header), comma).Error()
	case len(rec) < len(header):
		return refusal("raden har %d celler men rubrikraden %d kolumner: ett %c mellan två celler saknas",
			"the line has %d cells but the header %d columns: a %c between cells is missing", len(rec), len(header), comma).Error()
	}
	for i, h := range header {
		if strings.TrimSpace(h) == "" && strings.TrimSpace(rec[i]) != "" {
			return refusal("cell %d har text, men dess kolumn saknar namn i rubrikraden",
				"cell %d has text, but its column has no name in the header", i+1).Error()
		}
	}
	return ""
}

// blankRecord reports whether every field of rec is empty or spaces.
func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// unreadable rejects the lines a CSV error spans: a quoted field whose
// quote is not closed where it should be runs on over the lines after it,
// and every line it took is reported, none lost without a word.
func unreadable(pe *csv.ParseError) []Rejection {
	if pe.Line <= pe.StartLine {
		return []Rejection{{Line: pe.StartLine, Reason: led("raden kan inte läsas: ", "cannot read line: ", pe.Err).Error()}}
	}
	reason := refusal("raderna %d–%d kan inte läsas: citattecknet som öppnas på rad %d stängs aldrig där det borde (ett \" saknas eller är för mycket), så raderna efter det läses som ett enda fält",
		"cannot read lines %d–%d: the quote opened on line %d is never closed where it should be (a \" missing or extra), so the lines after it read as one field",
		pe.StartLine, pe.Line, pe.StartLine).Error()
	out := make([]Rejection, 0, pe.Line-pe.StartLine+1)
	for line := pe.StartLine; line <= pe.Line; line++ {
		out = append(out, Rejection{Line: line, Reason: reason})
	}
	return out
}

func allUTF8(rec []string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

// csvDelimiter is ';' when the first line ahead in br has more semicolons
// than commas, else ','.
func csvDelimiter(br *bufio.Reader) rune {
	head, _ := br.Peek(br.Size()) // all of the file up to the buffer's size
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	if bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		return ';'
	}
	return ','
}

// fromCSV makes an article of a CSV line; given is what the header names,
// less an empty active cell. Summary, body and templates are kept as they
// are, the other cells trimmed, after the apostrophe the export puts
// before a formula is taken off (see unneutralise).
func fromCSV(rec []string, col map[string]int, given Fields) (*Article, Fields, string) {
	cell := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return unneutralise(rec[i])
		}
		return ""
	}
	get := func(name string) string { return strings.TrimSpace(cell(name)) }
	a := &Article{
		Title: get("title"), URL: get("url"), Summary: cell("summary"), Body: cell("body"),
		Administration: get("administration"), Language: get("language"), Topic: get("topic"),
		Keywords: splitItems(cell("keywords")), Tags: splitItems(cell("tags")), Synonyms: splitItems(cell("synonyms")), Active: true,
	}
	if v := get("active"); v != "" {
		b, ok := parseBool(v)
		if !ok {
			return a, given, refusal("active %q är varken true eller false (eller sant/falskt, ja/nej)", "active %q is not true or false (nor sant/falskt, ja/nej)", v).Error()
		}
		a.Active = b
	} else {
		given &^= FieldsNamed("active")
	}
	if v := get("templates"); v != "" {
		if err := json.Unmarshal([]byte(v), &a.Templates); err != nil {
			return a, given, led("templates är inget JSON-objekt med utkast per språk: ", "templates is not a JSON object of drafts by language: ", err).Error()
		}
	}
	return a, given, ""
}

// parseBool reads a boolean cell in any case: true/false (also t/f, 1/0),
// Swedish Excel's SANT/FALSKT, and ja/nej.
func parseBool(s string) (v, ok bool) {
	switch strings.ToLower(s) {
	case "true", "t", "1", "sant", "ja":
		return true, true
	case "false", "f", "0", "falskt", "nej":
		return false, true
	}
	return false, false
}

// splitItems splits a list cell at every "|" that is not escaped as "\|",
// reads "\\" as a backslash, trims the items and drops empty ones.
func splitItems(cell string) []string {
	var out []string
	var item strings.Builder
	add := func() {
		if s := strings.TrimSpace(item.String()); s != "" {
			out = append(out, s)
		}
		item.Reset()
	}
	for i := 0; i < len(cell); i++ {
		switch c := cell[i]; {
		case c == '\\' && i+1 < len(cell) && (cell[i+1] == '|' || cell[i+1] == '\\'):
			i++
			item.WriteByte(cell[i])
		case c == '|':
			add()
		default:
			item.WriteByte(c)
		}
	}
	add()
	return out
}

// itemEscaper escapes a list item for a CSV list cell; see splitItems.
var itemEscaper = strings.NewReplacer(`\`, `\\`, `|`, `\|`)

func joinItems(items []string) string {
	escaped := make([]string, len(items))
	for i, s := range items {
		escaped[i] = itemEscaper.Replace(s)
	}
	return strings.Join(escaped, "|")
}

// formulaStart are the first characters that make a spreadsheet read a
// cell as a formula (=, +, -, @), with tab and carriage return, which
// OWASP's advice on CSV injection lists with them.
const formulaStart = "=+-@\t\r"

// neutralise prefixes an apostrophe to a cell a spreadsheet would run as
// a formula, so that Excel and LibreOffice show it as text. A cell that
// starts with apostrophes and then such a character gets one more, so
// that unneutralise, which takes one off exactly these cells, gives every
// text back unchanged:
//
//	=1+1    is written  '=1+1
//	'=1+1   is written  ''=1+1
//	'hej    stays       'hej
func neutralise(cell string) string {
	if startsFormula(strings.TrimLeft(cell, "'")) {
		return "'" + cell
	}
	return cell
}

// unneutralise undoes neutralise: it takes the first apostrophe off a cell
// that starts with apostrophes and then a formulaStart character.
func unneutralise(cell string) string {
	if rest, ok := strings.CutPrefix(cell, "'"); ok && startsFormula(strings.TrimLeft(rest, "'")) {
		return rest
	}
	return cell
}

func startsFormula(s string) bool {
	return s != "" && strings.IndexByte(formulaStart, s[0]) >= 0
}

// WriteCSV writes articles in the CSV import format, header first, as
// Excel in Swedish opens it: UTF-8 with a byte order mark, fields
// separated by semicolons (the import reads both separators). A cell that
// a spreadsheet would run as a formula starts with an apostrophe (see
// neutralise), which the import takes off again.
func WriteCSV(w io.Writer, arts []*Article) error {
	if _, err := w.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
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
			joinItems(a.Keywords), joinItems(a.Tags), joinItems(a.Synonyms),
			a.Topic, strconv.FormatBool(a.Active), templates}
		for i, c := range rec {
			rec[i] = neutralise(c)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
