package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"inkorg/inbox/httpapi"
)

// TestServeSeesImport imports articles on the command line while a server
// holds the embedded index, and waits for the server's search to find
// them without a restart.
func TestServeSeesImport(t *testing.T) {
	env := baseEnv(t)
	env["INKORG_ANSWER_REFRESH"] = "1s"
	in := startInkorg(t, env)
	file := writeFile(t, "bank.csv", "title,url,summary\nKanotuthyrning i Delsjön,https://goteborg.se/kanot,Hyr kanot vid Delsjöbadet\n")
	code, out := runCmd(t, env, "", "answers", "import", file)
	if code != exitOK || !strings.Contains(out, "tillagda (added): 1") {
		t.Fatalf("import: got exit %d, output:\n%s", code, out)
	}
	path := "/api/v1/answers/search?q=" + url.QueryEscape("hyra kanot")
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		var list httpapi.AnswerList
		if status := in.getJSON(path, &list); status != http.StatusOK {
			t.Fatalf("search: got status %d, want 200", status)
		}
		if len(list.Hits) > 0 && list.Hits[0].URL == "https://goteborg.se/kanot" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the server did not find the imported article within 15 s")
}
