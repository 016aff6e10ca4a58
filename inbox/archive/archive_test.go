package archive_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

var dialects = []struct {
	name string
	open func(testing.TB) *sqlstore.DB
}{
	{"SQLite", sqlstoretest.SQLite},
	{"Postgres", sqlstoretest.Postgres},
}

// day is the scene's whole first day.
var from, to = recordtest.T0.Truncate(24 * time.Hour), recordtest.T0.Truncate(24 * time.Hour).Add(24 * time.Hour)

func TestExport(t *testing.T) {
	onEachDialect(t, func(t *testing.T, s *recordtest.Scene) {
		x := &archive.Exporter{Store: s.Store}
		dir1, dir2 := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
		r1 := export(t, x, dir1)
		r2 := export(t, x, dir2)
		if r1.ManifestSHA256 != r2.ManifestSHA256 {
			t.Errorf("got manifest checksums %s and %s from the same data, want the same", r1.ManifestSHA256, r2.ManifestSHA256)
		}
		sameTree(t, dir1, dir2)
		checkSums(t, dir1, r1)
		checkRecords(t, s, dir1)
		checkPages(t, s, dir1)
		if r1.Manifest.Conversations != 2 || r1.Manifest.Messages != 5 {
			t.Errorf("got %d conversations, %d messages, want 2, 5", r1.Manifest.Conversations, r1.Manifest.Messages)
		}
	})
}

func export(t *testing.T, x *archive.Exporter, dir string) *archive.Result {
	t.Helper()
	r, err := x.Export(context.Background(), from, to, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sameTree checks that two exports hold the same files with the same bytes.
func sameTree(t *testing.T, a, b string) {
	t.Helper()
	files := listFiles(t, a)
	if got := listFiles(t, b); strings.Join(got, ",") != strings.Join(files, ",") {
		t.Fatalf("got files %v and %v, want the same", files, got)
	}
	for _, f := range files {
		if !bytes.Equal(read(t, filepath.Join(a, f)), read(t, filepath.Join(b, f))) {
			t.Errorf("%s differs between two exports of the same data", f)
		}
	}
}

// checkSums recomputes every checksum SHA256SUMS and the manifest list.
func checkSums(t *testing.T, dir string, r *archive.Result) {
	t.Helper()
	listed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(read(t, filepath.Join(dir, archive.ChecksumsFile))))
	for sc.Scan() {
		sum, path, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("bad line %q in %s", sc.Text(), archive.ChecksumsFile)
		}
		if got := sha(read(t, filepath.Join(dir, path))); got != sum {
			t.Errorf("%s: got SHA-256 %s, SHA256SUMS says %s", path, got, sum)
		}
		listed[path] = true
	}
	for _, f := range listFiles(t, dir) {
		if !listed[f] && f != archive.ChecksumsFile && f != archive.ManifestFile {
			t.Errorf("%s is not in %s", f, archive.ChecksumsFile)
		}
	}
	manifest := read(t, filepath.Join(dir, archive.ManifestFile))
	if got := sha(manifest); got != r.ManifestSHA256 {
		t.Errorf("got manifest SHA-256 %s, export reported %s", got, r.ManifestSHA256)
	}
	var m archive.Manifest
	if err := json.Unmarshal(manifest, &m); err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		if got := sha(read(t, filepath.Join(dir, f.Path))); got != f.SHA256 {
			t.Errorf("manifest: %s has SHA-256 %s, manifest says %s", f.Path, got, f.SHA256)
		}
	}
	if !m.From.Equal(from) || !m.To.Equal(to) || m.TimeZone != "Europe/Stockholm" || m.Format != archive.Format {
		t.Errorf("got manifest %+v, want the period %s–%s in Europe/Stockholm", m, from, to)
	}
}

// checkRecords checks the JSON Lines by hand: everything is there,
// deleted and hidden content included.
func checkRecords(t *testing.T, s *recordtest.Scene, dir string) {
	t.Helper()
	var recs []inbox.ConversationRecord
	for _, line := range bytes.Split(bytes.TrimSpace(read(t, filepath.Join(dir, archive.RecordsFile))), []byte("\n")) {
		var r inbox.ConversationRecord
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 2 || recs[0].Conversation.ID != s.Comment || recs[1].Conversation.ID != s.Private {
		t.Fatalf("got %d records, want the comment thread %d then the private thread %d", len(recs), s.Comment, s.Private)
	}
	c, p := recs[0], recs[1]
	first, other := c.Messages[0], c.Messages[1]
	switch {
	case first.OriginalText != recordtest.CommentText || first.Text != recordtest.EditedText || len(first.Edits) != 1:
		t.Errorf("got first comment %q (original %q, %d edits), want the edit and the original", first.Text, first.OriginalText, len(first.Edits))
	case !other.Hidden || other.Text != recordtest.OtherText:
		t.Errorf("got reply hidden=%v text %q, want the hidden reply with its text", other.Hidden, other.Text)
	case len(c.Changes) != 3 || c.Changes[0].Kind != inbox.EventMessageEdited || c.Changes[1].Kind != inbox.EventMessageHidden:
		t.Errorf("got changes %+v, want edit, hide, reaction", c.Changes)
	case len(c.Triage) != 1 || c.Triage[0].Administration != "stadsbyggnad" || len(c.Triage[0].Sensitive) != 1:
		t.Errorf("got triage %+v, want the comment's", c.Triage)
	case c.Conversation.Contact == nil || c.Conversation.Contact.Name != "Erik Eriksson":
		t.Errorf("got contact %+v, want Erik Eriksson", c.Conversation.Contact)
	}
	deleted := p.Messages[2]
	switch {
	case deleted.DeletedAt == nil || deleted.Text != recordtest.DeletedText:
		t.Errorf("got deleted message %+v, want its deletion and its text kept", deleted)
	case len(p.Notes) != 1 || p.Notes[0].Text != recordtest.NoteText:
		t.Errorf("got notes %+v, want the agent's note", p.Notes)
	case len(p.Audit) != 2 || p.Audit[1].Action != inbox.ActionStatus || p.Users[s.Agent.ID] != "karin":
		t.Errorf("got audit %+v, users %v, want note and status by karin", p.Audit, p.Users)
	}
}

// checkPages checks the HTML by hand: escaped, Swedish, Stockholm time.
func checkPages(t *testing.T, s *recordtest.Scene, dir string) {
	t.Helper()
	comment := string(read(t, filepath.Join(dir, archive.PagePath(s.Comment))))
	private := string(read(t, filepath.Join(dir, archive.PagePath(s.Private))))
	index := string(read(t, filepath.Join(dir, archive.IndexFile)))
	for _, c := range []struct{ page, name, want string }{
		{comment, "comment", `&lt;script&gt;alert(1)&lt;/script&gt;`},
		{comment, "comment", "Dold för allmänheten"},
		{comment, "comment", "2026-03-02 10:00:00 CET"},
		{comment, "comment", "Redigerat / edited"},
		{comment, "comment", `lang="sv"`},
		{private, "private", "Borttaget av avsändaren"},
		{private, "private", recordtest.Email},
		{private, "private", recordtest.NoteText},
		{private, "private", "karin"},
		{index, "index", archive.PagePath(s.Private)},
	} {
		if !strings.Contains(c.page, c.want) {
			t.Errorf("%s page lacks %q", c.name, c.want)
		}
	}
	if strings.Contains(comment, "<script>") {
		t.Error("comment page holds an unescaped <script>")
	}
}

func TestExportPeriod(t *testing.T) {
	s := recordtest.New(t, sqlstoretest.SQLite(t))
	x := &archive.Exporter{Store: s.Store}
	r, err := x.Export(context.Background(), recordtest.T0.Add(time.Hour), recordtest.T0.Add(90*time.Minute), t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Manifest.Conversations != 1 {
		t.Errorf("got %d conversations, want only the private thread", r.Manifest.Conversations)
	}
	if _, err := os.Stat(filepath.Join(r.Dir, archive.PagePath(s.Private))); err != nil {
		t.Error(err)
	}
}

func TestExportErrNotEmpty(t *testing.T) {
	s := recordtest.New(t, sqlstoretest.SQLite(t))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := (&archive.Exporter{Store: s.Store}).Export(context.Background(), from, to, dir, false)
	if inbox.ErrorCode(err) != inbox.ECONFLICT {
		t.Errorf("got %v, want ECONFLICT for a directory that is not empty", err)
	}
}

func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestSchedule(t *testing.T) {
	s := recordtest.New(t, sqlstoretest.SQLite(t))
	dir := t.TempDir()
	sched := &archive.Schedule{
		Exporter: &archive.Exporter{Store: s.Store}, Dir: dir, Every: archive.Daily,
		Now: func() time.Time { return recordtest.T0.Add(50 * time.Hour) }, Logger: slog.New(slog.DiscardHandler),
	}
	n, err := sched.RunOnce(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("got %d exports, %v, want the two closed days", n, err)
	}
	for _, day := range []string{"2026-03-02", "2026-03-03"} {
		if _, err := os.Stat(filepath.Join(dir, day, archive.ManifestFile)); err != nil {
			t.Errorf("day %s: %v", day, err)
		}
	}
	if n, err := sched.RunOnce(context.Background()); err != nil || n != 0 {
		t.Errorf("second run: got %d exports, %v, want none: each day is written once", n, err)
	}
}

// onEachDialect runs fn on a fresh scene on SQLite and on PostgreSQL, in
// parallel.
func onEachDialect(t *testing.T, fn func(t *testing.T, s *recordtest.Scene)) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			fn(t, recordtest.New(t, d.open(t)))
		})
	}
}
