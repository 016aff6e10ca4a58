package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/slawatch"
)

// The report benchmarks run over a year of generated data: 1,000,000
// messages on PostgreSQL, 100,000 on SQLite. The data is seeded once and
// kept (PostgreSQL schema bench_reports, SQLite file in the temporary
// directory), so repeated runs measure only the reports:
//
//	go test ./inbox/sqlstore/ -run '^$' -bench Reports -benchtime 5x
//
// INKORG_BENCH_RESEED=1 seeds again. Besides the wall time they report
// the CPU time per report of the benchmark process (cpu-ms/op) and, when
// PostgreSQL runs on this machine, of its backend (db-cpu-ms/op).

var benchYear = time.Date(2025, 1, 1, 0, 0, 0, 0, businesstime.Default().Location())

func BenchmarkReportsPostgres(b *testing.B) {
	base := os.Getenv("INKORG_TEST_DATABASE_URL")
	if base == "" {
		base = inboxtest.DefaultDatabaseURL
	}
	raw, err := sql.Open("pgx", base)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := raw.Exec("CREATE SCHEMA IF NOT EXISTS bench_reports"); err != nil {
		inboxtest.Unavailable(b, "PostgreSQL at %s: %v", base, err)
	}
	raw.Close()
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", "bench_reports")
	// All of a query's work in the one backend whose CPU time is measured.
	q.Set("max_parallel_workers_per_gather", "0")
	u.RawQuery = q.Encode()
	benchReports(b, u.String(), 1_000_000)
}

func BenchmarkReportsSQLite(b *testing.B) {
	benchReports(b, filepath.Join(os.TempDir(), "inkorg-bench-reports", "inkorg.db"), 100_000)
}

func benchReports(b *testing.B, dbURL string, messages int) {
	ctx := context.Background()
	db, err := Open(ctx, dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	dbCPU := func() (time.Duration, bool) { return 0, false }
	if db.Dialect() == DialectPostgres {
		// One connection, so one backend process does every query.
		db.sql.SetMaxOpenConns(1)
		var pid int
		if err := db.gorm.Raw("SELECT pg_backend_pid()").Scan(&pid).Error; err != nil {
			b.Fatal(err)
		}
		dbCPU = func() (time.Duration, bool) { return processCPU(pid) }
	}
	s := NewStore(db)
	if os.Getenv("INKORG_BENCH_RESEED") != "" || seededMessages(b, s) != messages {
		seedYear(b, db, messages)
	} else if _, err := db.Migrate(ctx); err != nil {
		// Data seeded by an older schema gets the newer migrations.
		b.Fatal(err)
	}
	now := benchYear.AddDate(1, 0, 0)
	svc := &inbox.ReportService{Store: s, Location: benchYear.Location(), Now: func() time.Time { return now }}
	sup := &inbox.User{Role: inbox.RoleSupervisor}
	for _, kind := range []inbox.ReportKind{inbox.ReportSummary, inbox.ReportBacklog, inbox.ReportHours} {
		for _, g := range []inbox.GroupBy{inbox.GroupNone, inbox.GroupAdministration, inbox.GroupChannel, inbox.GroupAccount, inbox.GroupAgent, inbox.GroupTag, inbox.GroupLanguage} {
			name := string(kind) + "/" + string(g)
			if g == inbox.GroupNone {
				name += "none"
			}
			b.Run(name, func(b *testing.B) {
				req := inbox.ReportRequest{Kind: kind, From: benchYear, To: now, GroupBy: g}
				// CPU time per report, as well as wall time: on a shared
				// machine the wall time mostly measures the neighbours.
				cpu := cpuTime()
				dbStart, _ := dbCPU()
				for b.Loop() {
					rep, err := svc.Report(ctx, sup, req)
					if err != nil {
						b.Fatal(err)
					}
					_ = rep.Table()
				}
				b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
				if dbEnd, ok := dbCPU(); ok {
					b.ReportMetric(float64((dbEnd-dbStart).Milliseconds())/float64(b.N), "db-cpu-ms/op")
				}
			})
		}
	}
	// The dashboard's breakdown of its longest period by day.
	b.Run("summary-by-day/93days", func(b *testing.B) {
		req := inbox.ReportRequest{From: now.AddDate(0, 0, -inbox.MaxSummaryDays), To: now}
		cpu := cpuTime()
		for b.Loop() {
			if _, err := svc.SummaryByDay(ctx, sup, req); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms/op")
	})
}

func seededMessages(b *testing.B, s *Store) int {
	var n int64
	if err := s.db.gorm.Raw("SELECT COUNT(*) FROM messages").Scan(&n).Error; err != nil {
		return -1
	}
	return int(n)
}

// seedYear replaces the database's contents with a year of conversations
// of about five messages each, then measures them with the SLA watcher.
func seedYear(b *testing.B, db *DB, messages int) {
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	g := db.gorm
	// Rows get ids 1, 2, … in the order they are inserted, which the
	// generator relies on.
	tables := []string{"conversation_metrics", "conversation_status_changes", "message_triage", "audit_entries", "notes", "messages", "conversations", "contacts", "api_tokens", "users", "accounts", "answer_articles"}
	if db.Dialect() == DialectPostgres {
		if err := g.Exec("TRUNCATE " + strings.Join(tables, ", ") + " RESTART IDENTITY CASCADE").Error; err != nil {
			b.Fatal(err)
		}
	}
	for _, table := range tables {
		if err := g.Exec("DELETE FROM " + table).Error; err != nil {
			b.Fatalf("clear %s: %v", table, err)
		}
	}
	start := time.Now()
	gen := newYearGen(messages)
	gen.write(b, db)
	seeded := time.Since(start)
	start = time.Now()
	w := &slawatch.Watcher{Store: NewStore(db), SLA: businesstime.DefaultSLA(), Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return benchYear.AddDate(1, 0, 0) }, BatchSize: 2000}
	if err := w.Tick(ctx); err != nil {
		b.Fatal(err)
	}
	if db.Dialect() == DialectPostgres {
		// Statistics of the measured metrics, as autovacuum would gather.
		db.gorm.Exec("ANALYZE")
	}
	b.Logf("seeded %d messages in %d conversations in %s; measured them in %s", gen.messages, len(gen.convs), seeded.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// yearGen generates a year of conversations.
type yearGen struct {
	rng      *rand.Rand
	messages int
	accounts []accountRow
	users    []userRow
	contacts []contactRow
	convs    []conversationRow
	msgs     []messageRow
	changes  []statusChangeRow
	audits   []auditRow
	urls     []string
}

var (
	benchChannels = []inbox.Channel{inbox.ChannelFacebookComment, inbox.ChannelFacebookComment, inbox.ChannelMessenger, inbox.ChannelMessenger, inbox.ChannelInstagramComment, inbox.ChannelInstagramDirect}
	benchAdmins   = []string{"", "trafikkontoret", "kulturforvaltningen", "socialforvaltningen-centrum", "stadsmiljoforvaltningen", "idrott-och-forening", "park-och-natur", "utbildningsforvaltningen", "fastighetskontoret", "kretslopp-och-vatten"}
	benchTags     = []string{"badhus", "parkering", "snö", "sophämtning", "beröm", "klagomål", "bibliotek", "skola", "buss", "evenemang"}
)

func newYearGen(messages int) *yearGen {
	g := &yearGen{rng: rand.New(rand.NewPCG(2025, 11))}
	at := toDBTime(benchYear)
	g.accounts = []accountRow{{Platform: "facebook", ExternalID: "page_1", Name: "Göteborgs Stad", CreatedAt: at},
		{Platform: "instagram", ExternalID: "ig_1", Name: "goteborgsstads", CreatedAt: at}}
	for i := range 64 {
		role := inbox.RoleAgent
		if i < 4 {
			role = inbox.RoleSupervisor
		}
		g.users = append(g.users, userRow{Name: fmt.Sprintf("bench-user-%d", i), Role: string(role), CreatedAt: at})
	}
	for i := range 20 {
		g.urls = append(g.urls, fmt.Sprintf("https://goteborg.se/wps/portal/start/sida-%d", i))
	}
	for g.messages < messages {
		g.conversation(min(2+g.rng.IntN(7), messages-g.messages))
	}
	return g
}

// arrival returns a random time of the year, more often in the day.
func (g *yearGen) arrival() time.Time {
	day := benchYear.AddDate(0, 0, g.rng.IntN(365))
	hour := 7 + g.rng.IntN(16)
	if g.rng.IntN(10) == 0 {
		hour = g.rng.IntN(24)
	}
	return day.Add(time.Duration(hour)*time.Hour + time.Duration(g.rng.IntN(3600))*time.Second)
}

// conversation adds one conversation of n messages (at least 1).
func (g *yearGen) conversation(n int) {
	id := int64(len(g.convs) + 1)
	ch := benchChannels[g.rng.IntN(len(benchChannels))]
	acc := int64(1)
	if ch.Platform() == inbox.PlatformInstagram {
		acc = 2
	}
	first := g.arrival()
	g.contacts = append(g.contacts, contactRow{Platform: string(ch.Platform()), ExternalID: fmt.Sprintf("c%d", id), Name: "Medborgare", CreatedAt: toDBTime(first), UpdatedAt: toDBTime(first)})
	at, firstResponse := first, time.Time{}
	for i := range n {
		dir := inbox.DirectionInbound
		text := "En fråga om stadens service, nummer " + fmt.Sprint(id)
		if i%2 == 1 {
			dir = inbox.DirectionOutbound
			text = "Hej! Tack för din fråga."
			if g.rng.IntN(3) == 0 {
				text += " Läs mer på " + g.urls[g.rng.IntN(len(g.urls))]
			}
			if firstResponse.IsZero() {
				firstResponse = at
			}
		}
		g.msgs = append(g.msgs, messageRow{ConversationID: id, Platform: string(ch.Platform()), ExternalID: fmt.Sprintf("m%d_%d", id, i),
			Direction: string(dir), Text: text, SentAt: toDBTime(at), CreatedAt: toDBTime(at), Delivery: initialDelivery(dir)})
		at = at.Add(time.Duration(5+g.rng.IntN(30*60)) * time.Minute / 10)
	}
	g.messages += n
	conv := conversationRow{AccountID: &acc, AccountExternalID: g.accounts[acc-1].ExternalID, Platform: string(ch.Platform()), Channel: string(ch),
		ThreadKey: fmt.Sprintf("c%d", id), ContactID: id, Status: string(inbox.StatusOpen), MessageCount: n,
		AdministrationID: benchAdmins[g.rng.IntN(len(benchAdmins))], FirstMessageAt: toDBTime(first), LastMessageAt: toDBTime(at),
		FirstResponseAt: toDBTime(firstResponse), StaffTags: encodeTags(g.tags()), CreatedAt: toDBTime(first), UpdatedAt: toDBTime(at)}
	g.changes = append(g.changes, statusChangeRow{ConversationID: id, Status: string(inbox.StatusNew), At: toDBTime(first)})
	if g.rng.IntN(8) == 0 {
		g.changes = append(g.changes, statusChangeRow{ConversationID: id, Status: string(inbox.StatusRouted), At: toDBTime(first.Add(20 * time.Minute))},
			statusChangeRow{ConversationID: id, Status: string(inbox.StatusOpen), At: toDBTime(first.Add(time.Duration(1+g.rng.IntN(48)) * time.Hour))})
	}
	assignee := int64(5 + g.rng.IntN(60)) // users are numbered from 1 as inserted
	conv.AssigneeID = &assignee
	g.audits = append(g.audits, auditRow{Action: inbox.ActionClaim, ConversationID: &id, ActorID: &assignee, CreatedAt: toDBTime(first),
		Detail: fmt.Sprintf(`{"before":{"status":"new"},"after":{"status":"new","assignee_id":%d}}`, assignee)})
	if g.rng.IntN(10) < 9 && at.Before(benchYear.AddDate(1, 0, 0)) {
		resolved := at.Add(time.Duration(g.rng.IntN(120)) * time.Minute)
		conv.Status, conv.ResolvedAt, conv.UpdatedAt = string(inbox.StatusResolved), toDBTime(resolved), toDBTime(resolved)
		g.changes = append(g.changes, statusChangeRow{ConversationID: id, Status: string(inbox.StatusResolved), At: toDBTime(resolved)})
	}
	g.convs = append(g.convs, conv)
}

func (g *yearGen) tags() []string {
	var out []string
	for range g.rng.IntN(3) {
		out = append(out, benchTags[g.rng.IntN(len(benchTags))])
	}
	return out
}

// write inserts everything in batches, in one transaction per table.
func (g *yearGen) write(tb testing.TB, db *DB) {
	insert := func(name string, rows any, size int) {
		if err := db.gorm.CreateInBatches(rows, size).Error; err != nil {
			tb.Fatalf("insert %s: %v", name, err)
		}
	}
	insert("accounts", g.accounts, 100)
	insert("users", g.users, 100)
	now := toDBTime(benchYear)
	for _, u := range g.urls {
		if err := db.gorm.Exec(`INSERT INTO answer_articles (url, title, updated_at) VALUES (?, ?, ?)`, u, "Sida", now).Error; err != nil {
			tb.Fatal(err)
		}
	}
	insert("contacts", g.contacts, 1000)
	insert("conversations", g.convs, 500)
	insert("messages", g.msgs, 1000)
	insert("status changes", g.changes, 2000)
	insert("audit entries", g.audits, 1000)
	if db.Dialect() == DialectPostgres {
		db.gorm.Exec("ANALYZE")
	}
}

// processCPU returns the user and system CPU time of the process pid (the
// PostgreSQL backend, when the server runs on this machine), to 10 ms.
func processCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The fields after the command in parentheses; utime and stime are
	// the 14th and 15th of the line, in clock ticks of 1/100 s.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, true
}

// cpuTime returns the user and system CPU time this process has used,
// the database's included when it runs in the process (SQLite) and not
// when it is a server (PostgreSQL).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
