package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/answers/answerstest"
)

// BenchmarkAnswersImport5000 runs `inkorg answers import` of a 5,000-line
// CSV into a fresh embedded data dir: parse, validate, store in SQLite and
// build the search index.
func BenchmarkAnswersImport5000(b *testing.B) {
	file := filepath.Join(b.TempDir(), "bank.csv")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := answers.WriteCSV(f, answerstest.Generate(5000, 2)); err != nil {
		b.Fatal(err)
	}
	f.Close()
	for b.Loop() {
		b.StopTimer()
		env := map[string]string{"INKORG_DATA_DIR": b.TempDir()}
		b.StartTimer()
		var out strings.Builder
		code := run(b.Context(), []string{"answers", "import", file}, envFrom(env), strings.NewReader(""), &out, io.Discard)
		if code != exitOK || !strings.Contains(out.String(), "tillagda (added): 5000,") {
			b.Fatalf("got exit %d, output %q; want 5000 added", code, out.String())
		}
	}
}
