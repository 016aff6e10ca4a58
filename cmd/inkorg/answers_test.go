package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/inbox/inboxtest"
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
	// A hit found by typo tolerance says so instead of listing no word.
	t.Run("OKSimilarWordsOnly", func(t *testing.T) {
		code, out := runCmd(t, baseEnv(t), "", "answers", "search", "--limit", "1", "biblioteksort")
		if code != exitOK || !strings.Contains(out, "Skaffa bibliotekskort") || !strings.Contains(out, "matchade: – (bara liknande ord / similar words only)") {
			t.Errorf("got exit %d, output:\n%s\nwant Skaffa bibliotekskort, matched by similar words only", code, out)
		}
	})
	// Flags may follow the text, as people type them; after "--" all is
	// text.
	t.Run("OKFlagsAfterText", func(t *testing.T) {
		env := baseEnv(t)
		code, out := runCmd(t, env, "", "answers", "search", "bibliotekskort", "--limit", "1", "lånekort")
		if hits := strings.Count(out, "matchade:"); code != exitOK || hits != 1 || !strings.Contains(out, "Skaffa bibliotekskort") {
			t.Fatalf("got exit %d with %d hits, output:\n%s\nwant one hit, Skaffa bibliotekskort", code, hits, out)
		}
		if code, _ := runCmd(t, env, "", "answers", "search", "bibliotekskort", "--limit", "0"); code != exitUsage {
			t.Errorf("--limit 0 after the text: got exit %d, want %d", code, exitUsage)
		}
		if code, out := runCmd(t, env, "", "answers", "search", "--limit", "1", "--", "--bibliotekskort"); code != exitOK || strings.Count(out, "matchade:") != 1 {
			t.Errorf("text after --: got exit %d, output:\n%s\nwant one hit", code, out)
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
		for _, want := range []string{"tillagda (added): 1,", "avvisade (rejected): 4",
			"rad (line) 3: rubrik saknas / title is required\n",
			`rad (line) 4: länken "http://goteborg.se/http" måste börja med https / url "http://goteborg.se/http" must use https` + "\n",
			`rad (line) 5: länken "https://example.com/sida" ligger inte på stadens domäner (goteborg.se) / url "https://example.com/sida" is not on the city's domains (goteborg.se)` + "\n",
			`rad (line) 6: länken "https://goteborg.se/kanot" finns två gånger (först på rad 2) / duplicate url "https://goteborg.se/kanot" (first on line 2)` + "\n"} {
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

// TestAnswersImportEditorFiles imports files as editors make them, on
// both databases: a spreadsheet of some columns, Excel's Swedish CSV, a
// line that breaks the CSV quoting and text that is not UTF-8.
func TestAnswersImportEditorFiles(t *testing.T) {
	t.Run("SQLite", func(t *testing.T) { testAnswersImportEditorFiles(t, baseEnv(t)) })
	t.Run("Postgres", func(t *testing.T) {
		env := baseEnv(t)
		env["DATABASE_URL"] = inboxtest.PostgresURL(t)
		if code, _ := runCmd(t, env, "", "migrate"); code != exitOK {
			t.Fatalf("migrate: got exit %d, want 0", code)
		}
		testAnswersImportEditorFiles(t, env)
	})
}

func testAnswersImportEditorFiles(t *testing.T, env map[string]string) {
	t.Run("SomeColumns", func(t *testing.T) {
		full := &answers.Article{Title: "Båtplats", URL: "https://goteborg.se/batplats", Summary: "Hyr en båtplats.",
			Body: "Rad ett\nrad två\n", Administration: "idrott-forening", Language: "en", Keywords: []string{"båt"}, Topic: "fritid",
			Tags: []string{"hamn"}, Synonyms: []string{"brygga"}, Templates: map[string]string{"sv": "Hej! {{url}}"}, Active: false}
		b, _ := json.Marshal([]*answers.Article{full})
		if code, out := runCmd(t, env, "", "answers", "import", writeFile(t, "bank.json", string(b))); code != exitOK {
			t.Fatalf("import: got exit %d, output:\n%s", code, out)
		}
		// An editor fixes the summary in a spreadsheet of three columns.
		file := writeFile(t, "fix.csv", "title,url,summary\nBåtplats,https://goteborg.se/batplats,Hyr en båtplats för sommaren.\n")
		if code, out := runCmd(t, env, "", "answers", "import", file); code != exitOK || !strings.Contains(out, "uppdaterade (updated): 1,") {
			t.Fatalf("import: got exit %d, output:\n%s\nwant 1 updated", code, out)
		}
		want := *full
		want.Summary = "Hyr en båtplats för sommaren."
		if got := exportedBank(t, env)[full.URL]; !reflect.DeepEqual(got, want) {
			t.Fatalf("got %+v, want %+v: only the summary changed", got, want)
		}
	})
	t.Run("ExcelSwedish", func(t *testing.T) {
		file := writeFile(t, "excel.csv", "\ufefftitle;url;summary;active\r\n"+
			"Kanotuthyrning;https://goteborg.se/kanot;Hyr kanot, paddla;SANT\r\n"+
			"Vinterförvaring;https://goteborg.se/vinter;;FALSKT\r\n"+
			"Gr\xe4sklippning;https://goteborg.se/grasklippning;Windows-1252;ja\r\n"+
			"Grönytor;https://goteborg.se/gronytor;;Nej\r\n")
		code, out := runCmd(t, env, "", "answers", "import", file)
		if code != exitOK {
			t.Fatalf("got exit %d, output:\n%s", code, out)
		}
		for _, want := range []string{"tillagda (added): 3,", "avvisade (rejected): 1", "rad (line) 4: raden är inte UTF-8-text: spara filen som UTF-8 (i Excel: CSV UTF-8) / the line is not UTF-8 text: save the file as UTF-8"} {
			if !strings.Contains(out, want) {
				t.Errorf("got output:\n%s\nwant it to contain %q", out, want)
			}
		}
		bank := exportedBank(t, env)
		for url, active := range map[string]bool{"https://goteborg.se/kanot": true, "https://goteborg.se/vinter": false, "https://goteborg.se/gronytor": false} {
			if got, ok := bank[url]; !ok || got.Active != active || got.Language != "sv" {
				t.Errorf("got %+v, want %s active %v in Swedish", got, url, active)
			}
		}
		if got := bank["https://goteborg.se/kanot"]; got.Summary != "Hyr kanot, paddla" {
			t.Errorf("got %+v, want the summary with its comma", got)
		}
	})
	t.Run("LineNotUTF8", func(t *testing.T) {
		file := writeFile(t, "latin1.csv", "title,url\nOK,https://goteborg.se/ok\nGr\xe4sklippning,https://goteborg.se/gras\n")
		code, out := runCmd(t, env, "", "answers", "import", file)
		if code != exitOK || !strings.Contains(out, "tillagda (added): 1,") || !strings.Contains(out, "rad (line) 3: raden är inte UTF-8-text: spara filen som UTF-8 (i Excel: CSV UTF-8) / the line is not UTF-8 text") {
			t.Fatalf("got exit %d, output:\n%s\nwant line 3 rejected and the other added", code, out)
		}
	})
	t.Run("BareQuoteInTitle", func(t *testing.T) {
		file := writeFile(t, "quote.csv", "title,url\nHämta \"grovsopor\",https://goteborg.se/grovsopor\nGrovsopor,https://goteborg.se/grovsopor-hamtning\n")
		code, out := runCmd(t, env, "", "answers", "import", file)
		if code != exitOK || !strings.Contains(out, "tillagda (added): 1,") || !strings.Contains(out, `rad (line) 2: raden kan inte läsas: bare " in non-quoted-field / cannot read line: bare " in non-quoted-field`) {
			t.Fatalf("got exit %d, output:\n%s\nwant line 2 rejected and the other added", code, out)
		}
	})
	t.Run("ErrJSONNotUTF8", func(t *testing.T) {
		file := writeFile(t, "latin1.json", "[\n{\"title\": \"Gr\xe4sklippning\", \"url\": \"https://goteborg.se/gras\"}\n]")
		var stderr strings.Builder
		code := run(t.Context(), []string{"answers", "import", file}, envFrom(env), strings.NewReader(""), &strings.Builder{}, &stderr)
		if code != exitFailure || !strings.Contains(stderr.String(), "rad 2 är inte UTF-8-text: spara filen som UTF-8 / line 2 is not UTF-8 text: save the file as UTF-8") {
			t.Fatalf("got exit %d, stderr %q; want %d and the line that is not UTF-8", code, stderr.String(), exitFailure)
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
	// A file with no line to count (the key misspelt "url") is no
	// measurement of 0 %.
	for name, content := range map[string]string{
		"nourls.jsonl": `{"text": "Hur skaffar jag lånekort?", "url": ["https://goteborg.se/bibliotek"]}` + "\n",
		"empty.jsonl":  "",
	} {
		var stderr strings.Builder
		code := run(t.Context(), []string{"answers", "eval", writeFile(t, name, content)}, envFrom(env), strings.NewReader(""), &strings.Builder{}, &stderr)
		if code != exitFailure || !strings.Contains(stderr.String(), `has "urls", so there is nothing to measure`) {
			t.Errorf("eval %s: got exit %d, stderr %q; want %d and why nothing is measured", name, code, stderr.String(), exitFailure)
		}
	}
	var stderr strings.Builder
	code = run(t.Context(), []string{"answers", "rank", writeFile(t, "empty-faq.jsonl", "\n")}, envFrom(env), strings.NewReader(""), &strings.Builder{}, &stderr)
	if code != exitFailure || !strings.Contains(stderr.String(), "has no items, so there is nothing to measure") {
		t.Errorf("rank of an empty file: got exit %d, stderr %q; want %d and why nothing is measured", code, stderr.String(), exitFailure)
	}
	faq := writeFile(t, "faq.jsonl", `{"category_id": 1, "question": "Hur lång är lånetiden för böcker?", "candidate_answers": ["Lånetiden för böcker är fyra veckor.", "Bibliotekskort får du i lånedisken."], "label": 0}`+"\n")
	code, out = runCmd(t, env, "", "answers", "rank", faq)
	if code != exitOK || !strings.HasPrefix(out, "accuracy@1: 1/1") {
		t.Fatalf("got exit %d, output %q; want accuracy@1: 1/1", code, out)
	}
}
