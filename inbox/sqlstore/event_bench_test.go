package sqlstore

import (
	"strconv"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/storetest"
)

// BenchmarkApplyStartPostgres applies, one after another, citizens' first
// messages (with their triage) to a managed account on PostgreSQL, the
// most common event: each starts a conversation. One at a time, the wall
// time per event is its round trips, its execution and its commit. It
// also reports the CPU time per event of the benchmark process (cpu-µs/op)
// and of its PostgreSQL backend (db-cpu-µs/op, when the server runs on this
// machine), to 10 ms over the run:
//
//	go test ./inbox/sqlstore/ -run '^$' -bench ApplyStart -benchtime 3000x
func BenchmarkApplyStartPostgres(b *testing.B) {
	db, err := Open(b.Context(), inboxtest.PostgresURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	// One connection, so one backend process does every statement.
	db.sql.SetMaxOpenConns(1)
	var pid int
	if err := db.gorm.Raw("SELECT pg_backend_pid()").Scan(&pid).Error; err != nil {
		b.Fatal(err)
	}
	if _, err := db.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	s := NewStore(db)
	a := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: storetest.PageID, Name: "Göteborgs Stad"}
	if err := s.CreateAccount(b.Context(), a); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := cpuTime()
	dbStart, dbOK := processCPU(pid)
	for i := range b.N {
		n := strconv.Itoa(i)
		e := triagedEvent("psid_"+n, "m_"+n, storetest.T0.Add(time.Duration(i)*time.Second))
		applied, err := s.ApplyEvent(b.Context(), e)
		if err != nil || !applied.NewConversation {
			b.Fatalf("applied %+v, error %v; want a new conversation", applied, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
	if dbEnd, ok := processCPU(pid); ok && dbOK {
		b.ReportMetric(float64((dbEnd-dbStart).Microseconds())/float64(b.N), "db-cpu-µs/op")
	}
}
