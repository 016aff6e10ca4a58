package bleveindex_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/answers/answerstest"
	"inkorg/answers/bleveindex"
)

func TestOpen(t *testing.T) {
	ctx := context.Background()
	an := answers.DefaultAnalyzer()
	path := filepath.Join(t.TempDir(), "answers.bleve")
	open := func(arts []*answers.Article) (*bleveindex.Index, bool) {
		t.Helper()
		x, rebuilt, err := bleveindex.Open(ctx, path, an, arts)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return x, rebuilt
	}
	count := func(x *bleveindex.Index) int {
		n, err := x.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	arts := answerstest.Articles()
	t.Run("OKMissing", func(t *testing.T) {
		x, rebuilt := open(arts)
		defer x.Close()
		if !rebuilt || count(x) != len(arts) {
			t.Fatalf("got rebuilt %v with %d articles, want a new index of %d", rebuilt, count(x), len(arts))
		}
	})
	t.Run("OKCurrent", func(t *testing.T) {
		x, rebuilt := open(arts)
		defer x.Close()
		if rebuilt {
			t.Fatal("got rebuilt, want the current index reused")
		}
	})
	t.Run("OKStale", func(t *testing.T) {
		x, rebuilt := open(arts[:2])
		defer x.Close()
		if !rebuilt || count(x) != 2 {
			t.Fatalf("got rebuilt %v with %d articles, want a rebuild with 2", rebuilt, count(x))
		}
	})
	t.Run("ErrInUse", func(t *testing.T) {
		x, _ := open(arts[:2])
		defer x.Close()
		_, _, err := bleveindex.Open(ctx, path, an, arts)
		if !errors.Is(err, bleveindex.ErrInUse) || !strings.Contains(err.Error(), "in use") {
			t.Fatalf("got %v, want an in-use error", err)
		}
		if count(x) != 2 {
			t.Fatalf("got %d articles, want the open index untouched", count(x))
		}
	})
}
