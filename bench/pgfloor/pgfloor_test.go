// Package pgfloor_test checks that the floor scripts beside it still write
// to the schema inkorg migrate makes, so their figures can be measured
// again after the schema changes.
package pgfloor_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/sqlstore"
)

func TestScriptsWriteEvents(t *testing.T) {
	pgbench, err := exec.LookPath("pgbench")
	if err != nil {
		inboxtest.Unavailable(t, "pgbench not found (it comes with PostgreSQL's server package)")
	}
	ctx := context.Background()
	dbURL := inboxtest.PostgresURL(t)
	db, err := sqlstore.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	store := sqlstore.NewStore(db)
	if err := store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: "104937265871234", Name: "Göteborgs Stad"}); err != nil {
		t.Fatal(err)
	}
	// pgbench connects through libpq, which takes the schema as an option
	// rather than in the URL.
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path")
	q.Del("search_path")
	u.RawQuery = q.Encode()

	count := func(table string) int {
		t.Helper()
		var n int
		if err := db.Gorm().WithContext(ctx).Raw("SELECT count(*) FROM " + table).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	// tx10 is made by tx.sh, as run.sh makes it.
	tx10, err := exec.Command("bash", "tx.sh", "10").Output()
	if err != nil {
		t.Fatalf("tx.sh 10: %v", err)
	}
	tx10File := filepath.Join(t.TempDir(), "tx10.sql")
	if err := os.WriteFile(tx10File, tx10, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		script, file string
		events       int
	}{{"one.sql", "one.sql", 1}, {"tx10", tx10File, 10}, {"batch10.sql", "batch10.sql", 10}} {
		t.Run(c.script, func(t *testing.T) {
			before := []int{count("messages"), count("conversations"), count("conversation_status_changes")}
			cmd := exec.Command(pgbench, "-n", "-M", "prepared", "-t", "2", "-f", c.file, u.String())
			cmd.Env = append(os.Environ(), "PGOPTIONS=-c search_path="+schema)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("pgbench %s: %v\n%s", c.script, err, out)
			}
			for i, table := range []string{"messages", "conversations", "conversation_status_changes"} {
				if got, want := count(table)-before[i], 2*c.events; got != want {
					t.Errorf("%s: %d new rows in %s, want %d\n%s", c.script, got, table, want, out)
				}
			}
		})
	}
}
