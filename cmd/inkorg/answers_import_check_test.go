package main

import (
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/inbox/sqlstore"
)

// TestAnswersImportRefusals: an import refuses what the editor refuses.
// An administration that is no routing target rejects its line, with the
// line and the reason, unless the article is stored with it; a bank file
// with a syntax error is refused whole, naming the line, loading nothing.
func TestAnswersImportRefusals(t *testing.T) {
	env := baseEnv(t)
	t.Run("ErrUnknownAdministration", func(t *testing.T) {
		file := writeFile(t, "bank.csv", "title,url,administration\n"+
			"Parkering,https://goteborg.se/parkering,stadsmiljo\n"+
			"Gator,https://goteborg.se/gator,Stadsmiljo\n"+
			"Utan,https://goteborg.se/utan,\n")
		code, out := runCmd(t, env, "", "answers", "import", file)
		if code != exitOK || !strings.Contains(out, "tillagda (added): 2,") ||
			!strings.Contains(out, `rad (line) 3: det finns ingen förvaltning "Stadsmiljo" (ingen mottagare i fördelningen har det id:t) / there is no administration "Stadsmiljo"`) {
			t.Fatalf("got exit %d, output:\n%s\nwant 2 added and line 3 rejected for its administration", code, out)
		}
		if _, ok := exportedBank(t, env)["https://goteborg.se/gator"]; ok {
			t.Error("the article with the unknown administration was stored")
		}
	})
	t.Run("OKKeptAdministration", func(t *testing.T) {
		// Stored with an administration before it was checked, as the
		// editor would let it keep it.
		old := writeFile(t, "old.csv", "title,url,administration\nGator,https://goteborg.se/gator,Stadsmiljo\n")
		st := openTestStore(t, env).(*sqlstore.Store)
		stored := &answers.Article{Title: "Gator", URL: "https://goteborg.se/gator", Administration: "Stadsmiljo", Language: "sv", Active: true}
		if _, err := st.UpsertArticles(t.Context(), []*answers.Article{stored}); err != nil {
			t.Fatal(err)
		}
		code, out := runCmd(t, env, "", "answers", "import", old)
		if code != exitOK || !strings.Contains(out, "oförändrade (unchanged): 1, avvisade (rejected): 0") {
			t.Fatalf("got exit %d, output:\n%s\nwant the stored administration kept, nothing rejected", code, out)
		}
	})
	t.Run("ErrBankSyntax", func(t *testing.T) {
		file := writeFile(t, "bank.json", "{\"articles\": [\n"+
			"{\"title\": \"Kanot\", \"url\": \"https://goteborg.se/kanot\"},\n"+
			"{\"title\": \"Båt\", \"url\": \"https://goteborg.se/bat\"}\n"+
			"{\"title\": \"Cykel\", \"url\": \"https://goteborg.se/cykel\"}\n"+
			"]}\n")
		var stdout, stderr strings.Builder
		code := run(t.Context(), []string{"answers", "import", file}, envFrom(env), strings.NewReader(""), &stdout, &stderr)
		if code != exitFailure || !strings.Contains(stderr.String(), "line 4: invalid character '{' after array element") {
			t.Fatalf("got exit %d, stderr:\n%s\nwant a failure naming line 4", code, stderr.String())
		}
		if _, ok := exportedBank(t, env)["https://goteborg.se/kanot"]; ok {
			t.Error("an article of the refused file was stored")
		}
	})
}
