package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestAnswersExport exports the bank in each format and imports it into a
// fresh data dir: every article comes back, and a second import of the
// export into the first bank changes nothing.
func TestAnswersExport(t *testing.T) {
	env := baseEnv(t)
	file := writeFile(t, "bank.json", `{"articles": [
		{"title": "Kanotuthyrning", "url": "https://goteborg.se/kanot", "summary": "Hyr kanot, \"Delsjön\"", "keywords": ["kanot", "paddla"],
		 "templates": {"sv": "Hej! Läs mer: {{url}}", "en": "Hi! Read more: {{url}}"}},
		{"title": "Vilande sida", "url": "https://goteborg.se/vilande", "active": false}
	]}`)
	if code, out := runCmd(t, env, "", "answers", "import", file); code != exitOK {
		t.Fatalf("import: got exit %d, output:\n%s", code, out)
	}
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
		})
	}
	t.Run("Stdout", func(t *testing.T) {
		code, out := runCmd(t, env, "", "answers", "export", "--format", "csv")
		if code != exitOK || !strings.HasPrefix(out, "title,url,") || !strings.Contains(out, "https://goteborg.se/vilande") {
			t.Fatalf("got exit %d, output:\n%s\nwant CSV with every article", code, out)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		if code, _ := runCmd(t, env, "", "answers", "export", "--format", "xml"); code != exitUsage {
			t.Fatalf("got exit %d, want %d", code, exitUsage)
		}
	})
}
