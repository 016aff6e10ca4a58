package sqlstore

import (
	"testing"
	"time"

	"inkorg/answers"
)

// twoInstances returns two stores on one new, migrated PostgreSQL
// database, each with its own connections, as two instances have.
func twoInstances(t *testing.T) (*Store, *Store) {
	t.Helper()
	url := postgresURL(t)
	first := openDB(t, url)
	if _, err := first.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return NewStore(first), NewStore(openDB(t, url))
}

// waitForLockWait waits until a statement on s's database waits for a
// lock another transaction holds.
func waitForLockWait(t *testing.T, s *Store) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int64
		if err := s.conn(t.Context()).Raw("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").
			Scan(&waiting).Error; err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("nothing waited on the other transaction's rows")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestImportBesideAnotherImport: an import that adds an article another
// import adds at the same time, as two instances do when they seed a new
// database at start, finds the other's article once it is stored and
// succeeds, instead of failing with "Article already exists.".
// PostgreSQL only: SQLite writes one transaction at a time.
func TestImportBesideAnotherImport(t *testing.T) {
	s, other := twoInstances(t)
	ctx := t.Context()
	art := &answers.Article{Title: "Parkeringstillstånd", URL: "https://goteborg.se/parkering", Summary: "Ansök om parkeringstillstånd.",
		Language: "sv", Active: true}

	// The other instance's import has added the article but not committed.
	tx := other.conn(ctx).Begin()
	t.Cleanup(func() { tx.Rollback() })
	row, err := toArticleRow(art)
	if err != nil {
		t.Fatal(err)
	}
	row.UpdatedAt = other.now()
	if err := tx.Create(&row).Error; err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	var res answers.UpsertResult
	go func() {
		var err error
		res, err = s.UpsertArticles(ctx, []*answers.Article{art})
		done <- err
	}()
	// Wait until the import waits on the other's row, then let that commit.
	waitForLockWait(t, other)
	if err := tx.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("import beside another: %v; want it to find the other's article", err)
	}
	if res != (answers.UpsertResult{Unchanged: 1}) {
		t.Errorf("got %+v; want the article the other import stored, unchanged", res)
	}
	arts, err := s.ListArticles(ctx)
	if err != nil || len(arts) != 1 {
		t.Fatalf("got %d articles, %v; want the one", len(arts), err)
	}
}

// TestSeedBesideAnotherInstance: two instances starting on a new
// database both seed the answer bank; the one whose articles the other
// stored first starts too, and does not say it seeded the bank.
func TestSeedBesideAnotherInstance(t *testing.T) {
	s, other := twoInstances(t)
	ctx := t.Context()
	bundled, err := answers.BundledArticles()
	if err != nil {
		t.Fatal(err)
	}
	tx := other.conn(ctx).Begin()
	t.Cleanup(func() { tx.Rollback() })
	for _, a := range bundled {
		row, err := toArticleRow(a)
		if err != nil {
			t.Fatal(err)
		}
		row.UpdatedAt = other.now()
		if err := tx.Create(&row).Error; err != nil {
			t.Fatal(err)
		}
	}
	type seeded struct {
		arts   []*answers.Article
		seeded bool
		err    error
	}
	done := make(chan seeded, 1)
	go func() {
		arts, ok, err := answers.Seed(ctx, s)
		done <- seeded{arts, ok, err}
	}()
	waitForLockWait(t, other)
	if err := tx.Commit().Error; err != nil {
		t.Fatal(err)
	}
	got := <-done
	if got.err != nil {
		t.Fatalf("seed beside another instance: %v; want the other's articles", got.err)
	}
	if got.seeded || len(got.arts) != len(bundled) {
		t.Errorf("seeded %v with %d articles; want the other's %d, not seeded by this one", got.seeded, len(got.arts), len(bundled))
	}
}
