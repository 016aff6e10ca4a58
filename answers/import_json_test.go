package answers

import (
	"fmt"
	"strings"
	"testing"
)

// bankWithMissingComma is a bank file of n articles, one a line from line
// 3 on, whose article on line broken lacks the comma after it.
func bankWithMissingComma(n, broken int) string {
	var b strings.Builder
	b.WriteString("{\n \"articles\": [\n")
	for i := range n {
		line := i + 3
		fmt.Fprintf(&b, "  {\"title\": \"Artikel %d\", \"url\": \"https://goteborg.se/artikel-%d\"}", i, i)
		if i < n-1 && line != broken {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(" ]\n}\n")
	return b.String()
}

// TestParseJSONDocumentSyntaxError: a file that is one JSON document (the
// bank's object or a plain array) with a syntax error is refused whole,
// naming the line of the error, and nothing in it loads; it is not read
// as JSON Lines, which would load the odd line that is valid by itself.
func TestParseJSONDocumentSyntaxError(t *testing.T) {
	for _, tc := range []struct{ name, input, want string }{
		// The comma is missing after line 51: the next article, on line
		// 52, is where the error is.
		{"ErrBankMissingComma", bankWithMissingComma(60, 51), "line 52: invalid character '{' after array element"},
		{"ErrBankAboutFirst", "\ufeff\n  {\"about\": \"x\",\n\"articles\": [\n{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"}\n{\"title\": \"B\", \"url\": \"https://goteborg.se/b\"}\n]}\n", "line 5:"},
		{"ErrArrayMissingComma", "[\n{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"},\n{\"title\": \"B\", \"url\": \"https://goteborg.se/b\"}\n{\"title\": \"C\", \"url\": \"https://goteborg.se/c\"}\n]\n", "line 4: invalid character '{' after array element"},
		{"ErrArrayBadValue", "[\n{\"title\": \"A\",\n \"url\": \"https://goteborg.se/a\",\n \"active\": nej}\n]\n", "line 4: invalid character 'e' in literal null"},
		{"ErrArrayTrailing", "[{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"}]\n\nx\n", "line 3: invalid character 'x' after top-level value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(tc.input), FormatJSON, DefaultDomains)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing is imported") {
				t.Fatalf("got %+v, %v; want the file refused with an error containing %q", p, err, tc.want)
			}
			if p != nil {
				t.Errorf("got %d articles and %d rejections, want none", len(p.Articles), len(p.Rejected))
			}
		})
	}
	t.Run("OKJSONLinesBrokenLine", func(t *testing.T) {
		// JSON Lines has one document a line: a broken line is rejected
		// alone.
		input := "{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"}\n{\"title\": \"B\" \"url\": \"https://goteborg.se/b\"}\n{\"title\": \"C\", \"url\": \"https://goteborg.se/c\"}\n"
		p, err := Parse(strings.NewReader(input), FormatJSON, DefaultDomains)
		if err != nil || len(p.Articles) != 2 || len(p.Rejected) != 1 || p.Rejected[0].Line != 2 {
			t.Fatalf("got %+v, %v; want lines 1 and 3 loaded and line 2 rejected", p, err)
		}
	})
}

// TestParseJSONObjectsOverLines: article objects written one after
// another, each over several lines as an editor or jq prints them, are
// read as articles numbered by the line they start on, not as JSON Lines
// with every line rejected; a syntax error in them refuses the file whole,
// naming its line.
func TestParseJSONObjectsOverLines(t *testing.T) {
	const pretty = "{\n  \"title\": \"A\",\n  \"url\": \"https://goteborg.se/a\"\n}\n" +
		"{\n  \"title\": \"B\",\n  \"url\": \"https://goteborg.se/b\",\n  \"active\": \"nej\"\n}\n" +
		"{\n  \"title\": \"C\",\n  \"url\": \"https://goteborg.se/c\"\n}\n"
	t.Run("OK", func(t *testing.T) {
		p, err := Parse(strings.NewReader(pretty), FormatJSON, DefaultDomains)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, im := range p.Articles {
			got = append(got, fmt.Sprintf("%d:%s", im.Line, im.Title))
		}
		if want := "[1:A 10:C]"; fmt.Sprint(got) != want {
			t.Errorf("got articles %v, want %s", got, want)
		}
		if len(p.Rejected) != 1 || p.Rejected[0].Line != 5 || !strings.Contains(p.Rejected[0].Reason, `"active" must be true or false`) {
			t.Errorf("got rejected %v, want line 5 for its active", p.Rejected)
		}
	})
	t.Run("ErrSyntax", func(t *testing.T) {
		broken := strings.Replace(pretty, "\"title\": \"C\",", "\"title\": \"C\"", 1)
		p, err := Parse(strings.NewReader(broken), FormatJSON, DefaultDomains)
		if err == nil || !strings.Contains(err.Error(), "line 12:") || !strings.Contains(err.Error(), "nothing is imported") {
			t.Fatalf("got %+v, %v; want the file refused naming line 12", p, err)
		}
	})
}

// TestParseJSONNull: a null where an article should be is named so, not
// rejected for a missing title.
func TestParseJSONNull(t *testing.T) {
	for name, input := range map[string]string{
		"Array":     "[{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"},\nnull]\n",
		"JSONLines": "{\"title\": \"A\", \"url\": \"https://goteborg.se/a\"}\nnull\n",
	} {
		t.Run(name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(input), FormatJSON, DefaultDomains)
			if err != nil {
				t.Fatal(err)
			}
			want := []Rejection{{Line: 2, Reason: "artikeln kan inte läsas: en artikel är ett JSON-objekt, inte null / cannot read article: an article is a JSON object, not null"}}
			if len(p.Articles) != 1 || fmt.Sprint(p.Rejected) != fmt.Sprint(want) {
				t.Errorf("got %d articles, rejected %v; want 1 and %v", len(p.Articles), p.Rejected, want)
			}
		})
	}
}
