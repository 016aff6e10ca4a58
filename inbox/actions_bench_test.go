package inbox_test

import (
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
)

// BenchmarkTakeover measures one audited action end to end: read the
// conversation, check, write the update guarded by its version and the
// audit entry in one transaction, read it back. Two agents take the
// conversation from each other, so every call changes it.
func BenchmarkTakeover(b *testing.B) {
	for name, url := range map[string]func(tb testing.TB) string{
		"sqlite":   func(tb testing.TB) string { return tb.TempDir() + "/inkorg.db" },
		"postgres": func(tb testing.TB) string { return inboxtest.PostgresURL(tb) },
	} {
		b.Run(name, func(b *testing.B) {
			w := newWorldAt(b, url(b))
			id := w.conversation(b)
			agents := []*inbox.User{w.agent, w.agent2}
			for i := 0; b.Loop(); i++ {
				if _, err := w.svc.Claim(b.Context(), agents[i%2], id, true); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
