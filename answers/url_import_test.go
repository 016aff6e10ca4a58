package answers_test

import (
	"strings"
	"testing"

	"inkorg/answers"
)

// TestParseSpellingsOfOneURL imports four spellings of one page: they are
// one article, and the later lines are rejected as duplicates.
func TestParseSpellingsOfOneURL(t *testing.T) {
	spellings := []string{
		"https://goteborg.se/bygglov",
		"https://GOTEBORG.SE/bygglov",
		"https://goteborg.se:443/bygglov",
		"https://goteborg.se/bygglov#x",
	}
	var jsonl, csv strings.Builder
	csv.WriteString("title,url\n")
	for i, u := range spellings {
		jsonl.WriteString(`{"title":"Bygglov ` + string(rune('A'+i)) + `","url":"` + u + `"}` + "\n")
		csv.WriteString("Bygglov " + string(rune('A'+i)) + "," + u + "\n")
	}
	for format, file := range map[string]string{answers.FormatJSON: jsonl.String(), answers.FormatCSV: csv.String()} {
		t.Run(format, func(t *testing.T) {
			p, err := answers.Parse(strings.NewReader(file), format, answers.DefaultDomains)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Articles) != 1 || p.Articles[0].URL != "https://goteborg.se/bygglov" {
				t.Fatalf("got %d articles (%v), want one with https://goteborg.se/bygglov", len(p.Articles), p.Articles)
			}
			if len(p.Rejected) != 3 {
				t.Fatalf("got rejections %v, want the 3 later spellings", p.Rejected)
			}
			for _, r := range p.Rejected {
				if !says(r.Reason, `länken "https://goteborg.se/bygglov" finns två gånger (först på rad `, `duplicate url "https://goteborg.se/bygglov" (first on line `) {
					t.Errorf("got rejection %v, want a duplicate url", r)
				}
			}
		})
	}
}
