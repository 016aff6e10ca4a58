package main

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"inkorg/answers"
)

// TestAnswersExport exports the bank in each format and imports it back:
// into the same bank it changes nothing, and into a fresh data dir every
// article comes back as it was, multi-line text, list items holding "|"
// and templates included.
func TestAnswersExport(t *testing.T) {
	env := baseEnv(t)
	file := writeFile(t, "bank.json", `{"articles": [
		{"title": "Kanotuthyrning", "url": "https://goteborg.se/kanot", "summary": "Hyr kanot, \"Delsjön\"\nvid badet.\n", "keywords": ["kanot", "paddla|ro", "a\\b"],
		 "body": "Så här:\n\n  1. Boka.\n  2. Paddla.\n\n", "tags": ["|"],
		 "templates": {"sv": "Hej! Läs mer: {{url}}\n", "en": "Hi! Read more: {{url}}"}},
		{"title": "Från webben", "url": "https://goteborg.se/webb", "body": "Skrivet i webbformuläret\r\nmed CR LF.", "language": "en"},
		{"title": "Vilande sida", "url": "https://goteborg.se/vilande", "active": false}
	]}`)
	if code, out := runCmd(t, env, "", "answers", "import", file); code != exitOK {
		t.Fatalf("import: got exit %d, output:\n%s", code, out)
	}
	bank := exportedBank(t, env)
	for _, format := range []string{"json", "csv"} {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "export."+format)
			if code, got := runCmd(t, env, "", "answers", "export", "--out", out); code != exitOK {
				t.Fatalf("export: got exit %d, output:\n%s", code, got)
			}
			// Into the same bank: nothing to change, templates included.
			code, got := runCmd(t, env, "", "answers", "import", out)
			if code != exitOK || !strings.Contains(got, "tillagda (added): 0, uppdaterade (updated): 0,") || !strings.Contains(got, "avvisade (rejected): 0") {
				t.Fatalf("re-import: got exit %d, output:\n%s\nwant nothing added, updated or rejected", code, got)
			}
			fresh := baseEnv(t)
			if code, got := runCmd(t, fresh, "", "answers", "import", out); code != exitOK || !strings.Contains(got, "tillagda (added): 3,") {
				t.Fatalf("import into a fresh bank: got exit %d, output:\n%s\nwant 3 added", code, got)
			}
			want := exportedBank(t, env)
			if format == "csv" { // CSV reads CR LF in a cell as LF
				w := want["https://goteborg.se/webb"]
				w.Body = "Skrivet i webbformuläret\nmed CR LF."
				want[w.URL] = w
			}
			if got := exportedBank(t, fresh); !reflect.DeepEqual(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
	if got := exportedBank(t, env); !reflect.DeepEqual(got, bank) {
		t.Fatalf("got %v after the re-imports, want %v", got, bank)
	}
	t.Run("Stdout", func(t *testing.T) {
		code, out := runCmd(t, env, "", "answers", "export", "--format", "csv")
		// As Excel in Swedish opens it: a byte order mark, semicolons.
		if code != exitOK || !strings.HasPrefix(out, "\ufefftitle;url;") || !strings.Contains(out, "https://goteborg.se/vilande") {
			t.Fatalf("got exit %d, output:\n%s\nwant CSV for Excel with every article", code, out)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		if code, _ := runCmd(t, env, "", "answers", "export", "--format", "xml"); code != exitUsage {
			t.Fatalf("got exit %d, want %d", code, exitUsage)
		}
	})
}

// exportedBank is `inkorg answers export` by URL, without the times.
func exportedBank(t *testing.T, env map[string]string) map[string]answers.Article {
	t.Helper()
	code, out := runCmd(t, env, "", "answers", "export", "--format", "json")
	var bank struct{ Articles []answers.Article }
	if err := json.Unmarshal([]byte(out), &bank); code != exitOK || err != nil {
		t.Fatalf("export: got exit %d, %v", code, err)
	}
	byURL := map[string]answers.Article{}
	for _, a := range bank.Articles {
		a.UpdatedAt = time.Time{}
		byURL[a.URL] = a
	}
	return byURL
}
