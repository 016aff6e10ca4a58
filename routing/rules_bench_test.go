package routing

import (
	"context"
	"fmt"
	"testing"
	"time"

	"inkorg/inbox"
)

// BenchmarkTriageWithRules is BenchmarkTriage with 30 admin-defined rules
// that do not match, the cost every message pays for rules.
func BenchmarkTriageWithRules(b *testing.B) {
	tr, err := NewTriager(bundled(b), nil, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	var rules []*inbox.Rule
	for i := range 10 {
		rules = append(rules,
			&inbox.Rule{ID: int64(3 * i), Name: "w", Enabled: true, Match: inbox.MatchWords, Pattern: fmt.Sprintf("ord%d, prefix%d*", i, i), Tags: []string{"t"}},
			&inbox.Rule{ID: int64(3*i + 1), Name: "p", Enabled: true, Match: inbox.MatchPhrase, Pattern: fmt.Sprintf("en fras %d", i), Tags: []string{"t"}},
			&inbox.Rule{ID: int64(3*i + 2), Name: "r", Enabled: true, Match: inbox.MatchRegex, Pattern: fmt.Sprintf(`\bkod%d-\d+`, i), Tags: []string{"t"}})
	}
	if err := tr.SetRules(rules); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := tr.TriageMessage(ctx, Message{Text: benchTexts[i%len(benchTexts)], Channel: inbox.ChannelFacebookComment}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDetectSpikes measures one detection over a crisis afternoon:
// 6 hours of ordinary traffic and 3,000 messages in the last 15 minutes,
// a third of them near-identical.
func BenchmarkDetectSpikes(b *testing.B) {
	cfg := DefaultSpikeConfig()
	end := time.Date(2026, 1, 14, 16, 0, 0, 0, time.UTC)
	msgs := traffic(1, 2000, end.Add(-cfg.Window-cfg.Baseline), cfg.Baseline, varied, "sophämtning")
	msgs = append(msgs, traffic(10000, 2000, end.Add(-cfg.Window), cfg.Window, varied, "nödläge")...)
	msgs = append(msgs, traffic(20000, 1000, end.Add(-cfg.Window), cfg.Window, func(i int) string {
		return fmt.Sprintf("Vattnet är avstängt på Hisingen igen, när kommer det tillbaka? (%d)", i)
	}, "kris")...)
	b.ReportAllocs()
	for b.Loop() {
		if len(DetectSpikes(msgs, end, time.Time{}, cfg)) == 0 {
			b.Fatal("no spike found")
		}
	}
}
