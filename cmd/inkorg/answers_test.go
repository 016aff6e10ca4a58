package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAnswersSearch(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		env := baseEnv(t)
		// The first search seeds the bundled bank and builds the index.
		code, out := runCmd(t, env, "", "answers", "search", "Hur", "får", "jag", "ett", "bibliotekskort?")
		if code != exitOK || !strings.Contains(strings.SplitN(out, "\n", 3)[0], "Skaffa bibliotekskort") {
			t.Fatalf("got exit %d, output:\n%s\nwant Skaffa bibliotekskort first", code, out)
		}
		if _, err := os.Stat(filepath.Join(env["INKORG_DATA_DIR"], "answers.bleve")); err != nil {
			t.Fatalf("got %v, want the index in the data dir", err)
		}
	})
	t.Run("ErrUsage", func(t *testing.T) {
		if code, _ := runCmd(t, baseEnv(t), "", "answers", "search"); code != exitUsage {
			t.Fatalf("got exit %d, want %d", code, exitUsage)
		}
		if code, _ := runCmd(t, baseEnv(t), "", "answers", "bogus"); code != exitUsage {
			t.Fatalf("got exit %d, want %d", code, exitUsage)
		}
	})
}

func TestAnswersImport(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		env := baseEnv(t)
		file := writeFile(t, "bank.csv", "title,url,summary,keywords\n"+
			"Kanotuthyrning i Delsjön,https://goteborg.se/kanot,Hyr kanot vid Delsjöbadet,kanot|paddla\n"+
			",https://goteborg.se/utan-titel,,\n"+
			"Okrypterad,http://goteborg.se/http,,\n"+
			"Främmande,https://example.com/sida,,\n"+
			"Dubblett,https://goteborg.se/kanot,,\n")
		code, out := runCmd(t, env, "", "answers", "import", file)
		if code != exitOK {
			t.Fatalf("got exit %d, want %d", code, exitOK)
		}
		for _, want := range []string{"tillagda (added): 1,", "avvisade (rejected): 4", "rad (line) 3: title is required",
			"rad (line) 4: url", "must use https", "rad (line) 5: url", "not on the city's domains", "rad (line) 6: duplicate url"} {
			if !strings.Contains(out, want) {
				t.Errorf("got output:\n%s\nwant it to contain %q", out, want)
			}
		}
		_, out = runCmd(t, env, "", "answers", "search", "paddla kanot")
		if !strings.Contains(out, "https://goteborg.se/kanot") {
			t.Fatalf("got search output:\n%s\nwant the imported article (index rebuilt)", out)
		}
		code, out = runCmd(t, env, "", "answers", "import", file)
		if code != exitOK || !strings.Contains(out, "oförändrade (unchanged): 1") {
			t.Fatalf("got exit %d, output:\n%s\nwant the second import unchanged", code, out)
		}
	})
	t.Run("ErrFormat", func(t *testing.T) {
		if code, _ := runCmd(t, baseEnv(t), "", "answers", "import", writeFile(t, "bank.xml", "<a/>")); code != exitUsage {
			t.Fatalf("got exit %d, want %d", code, exitUsage)
		}
	})
	t.Run("ErrMissingFile", func(t *testing.T) {
		if code, _ := runCmd(t, baseEnv(t), "", "answers", "import", filepath.Join(t.TempDir(), "none.json")); code != exitFailure {
			t.Fatalf("got exit %d, want %d", code, exitFailure)
		}
	})
}

var rateRE = regexp.MustCompile(`: (\d+)/(\d+) = [\d.]+ %`)

func TestAnswersEvalAndRank(t *testing.T) {
	env := baseEnv(t)
	dev := writeFile(t, "dev.jsonl", `{"text": "Hur skaffar jag lånekort på biblioteket?", "urls": ["https://goteborg.se/wps/portal/enhetssida/vuxna-i-larande-/sa-har-lanar-du/skaffa-bibliotekskort/!ut/p/z0/04_Sj9CPykssy0xPLMnMz0vMAfIjo8ziTYzcDQy9TAy9DTwCzA0cnQxdHb1NAoyDAwz0C7IdFQErziZy/"]}`+"\n"+
		`{"text": "Utan länk", "administration": "x"}`+"\n")
	code, out := runCmd(t, env, "", "answers", "eval", dev)
	if m := rateRE.FindStringSubmatch(out); code != exitOK || !strings.HasPrefix(out, "link hit@3") || m == nil || m[1] != "1" || m[2] != "1" {
		t.Fatalf("got exit %d, output %q; want link hit@3: 1/1 (only the line with urls counts)", code, out)
	}
	faq := writeFile(t, "faq.jsonl", `{"category_id": 1, "question": "Hur lång är lånetiden för böcker?", "candidate_answers": ["Lånetiden för böcker är fyra veckor.", "Bibliotekskort får du i lånedisken."], "label": 0}`+"\n")
	code, out = runCmd(t, env, "", "answers", "rank", faq)
	if code != exitOK || !strings.HasPrefix(out, "accuracy@1: 1/1") {
		t.Fatalf("got exit %d, output %q; want accuracy@1: 1/1", code, out)
	}
}
