package routing

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

var spikeEnd = time.Date(2026, 1, 14, 16, 0, 0, 0, time.UTC)

// traffic generates n messages, one conversation each from id on, spread
// evenly over [from, from+span), with tags and texts from text(i).
func traffic(id int64, n int, from time.Time, span time.Duration, text func(i int) string, tags ...string) []inbox.TriagedMessage {
	out := make([]inbox.TriagedMessage, n)
	for i := range n {
		out[i] = inbox.TriagedMessage{MessageID: id + int64(i), ConversationID: id + int64(i), Text: text(i),
			Tags: tags, TriagedAt: from.Add(time.Duration(i) * span / time.Duration(n))}
	}
	return out
}

// varied returns the i:th of many different questions.
func varied(i int) string {
	vocabulary := strings.Fields(`bygglov förskoleplats parkering bibliotek simhall sophämtning hemtjänst
		gatubelysning snöröjning lekplats cykelbana busshållplats ekonomiskt bistånd äldreboende fritidsgård
		vattenmätare tomtkö friluftsbad evenemang skolskjuts hyresrätt vigsel kolonilott brandvarnare hundrastgård
		konstgräs återvinningscentral trafikbuller förskoleavgift elevhälsa föreningsbidrag grillplats kommunalskatt`)
	pick := func(k int) string { return vocabulary[(i*(7+k*4)+k*13+i*i*k)%len(vocabulary)] }
	return fmt.Sprintf("%s %s %s %s %s?", pick(1), pick(2), pick(3), pick(4), pick(5))
}

func topics(spikes []Spike) []string {
	var out []string
	for _, s := range spikes {
		out = append(out, string(s.Kind)+":"+s.Topic)
	}
	return out
}

func TestDetectSpikes(t *testing.T) {
	cfg := DefaultSpikeConfig()
	windowStart := spikeEnd.Add(-cfg.Window)
	baseStart := windowStart.Add(-cfg.Baseline)
	usual := traffic(1, 48, baseStart, cfg.Baseline, varied, "sophämtning") // 2 per window
	tests := []struct {
		name string
		msgs []inbox.TriagedMessage
		want []string
	}{
		{"OK/TagBurst", append(slices.Clone(usual), traffic(1000, 20, windowStart, cfg.Window, varied, "sophämtning")...),
			[]string{"spike:sophämtning"}},
		{"OK/NoSpikeAtUsualRate", append(slices.Clone(usual), traffic(1000, 2, windowStart, cfg.Window, varied, "sophämtning")...),
			nil},
		{"OK/BelowMinimum", traffic(1000, cfg.MinCount-1, windowStart, cfg.Window, varied, "översvämning"), nil},
		{"OK/BelowFactor", append(traffic(1, 240, baseStart, cfg.Baseline, varied, "sophämtning"),
			traffic(1000, 30, windowStart, cfg.Window, varied, "sophämtning")...), nil},
		{"OK/PraiseIsNoCrisis", traffic(1000, 40, windowStart, cfg.Window, varied, "beröm"), nil},
		{"OK/OldBurstIgnored", traffic(1000, 40, baseStart.Add(-time.Hour), cfg.Window, varied, "storm"), nil},
		{"OK/NearDuplicates", traffic(1000, 25, windowStart, cfg.Window, func(i int) string {
			return fmt.Sprintf("Vattnet är avstängt på Hisingen igen sedan i morse, när kommer det tillbaka? %d", i) +
				[]string{"", " Hjälp!", " Vi har barn hemma.", " Ring 070-123 45 67"}[i%4]
		}), []string{"duplicates:vattnet-avstängt-hisingen"}},
		{"OK/SpamWaveIsNoCrisis", traffic(1000, 25, windowStart, cfg.Window, func(i int) string {
			return fmt.Sprintf("Tjäna pengar snabbt med krypto, klicka här nu %d", i)
		}, "spam"), nil},
		{"OK/SamePersonIsOneConversation", func() []inbox.TriagedMessage {
			msgs := traffic(1000, 30, windowStart, cfg.Window, varied, "storm")
			for i := range msgs {
				msgs[i].ConversationID = 7
			}
			return msgs
		}(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := topics(DetectSpikes(tt.msgs, spikeEnd, time.Time{}, cfg))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDetectSpikesConversations(t *testing.T) {
	cfg := DefaultSpikeConfig()
	burst := traffic(100, 12, spikeEnd.Add(-cfg.Window), cfg.Window, varied, "storm")
	spikes := DetectSpikes(burst, spikeEnd, time.Time{}, cfg)
	if len(spikes) != 1 || spikes[0].Count != 12 || len(spikes[0].ConversationIDs) != 12 || spikes[0].ConversationIDs[0] != 100 {
		t.Fatalf("got %+v, want one spike of the 12 conversations", spikes)
	}
	if got := CrisisTag(spikes[0].Topic); got != "kris:storm" {
		t.Errorf("got tag %q, want kris:storm", got)
	}
}

// TestDetectSpikesHistory checks the usual rate when inkorg has less
// history than the baseline span: measured over the history there is, and
// no tag spike at all below MinHistory, while a burst of near-identical
// messages is still raised.
func TestDetectSpikesHistory(t *testing.T) {
	cfg := DefaultSpikeConfig()
	windowStart := spikeEnd.Add(-cfg.Window)
	burst := traffic(1000, 12, windowStart, cfg.Window, varied, "storm")
	same := traffic(2000, 12, windowStart, cfg.Window, func(i int) string {
		return fmt.Sprintf("Vattnet är avstängt på Hisingen igen sedan i morse, när kommer det tillbaka? %d", i)
	})
	// 32 in the two hours before the window: 4 per window over those two
	// hours (12 is less than 4 times that), 1.33 over six.
	twoHours := traffic(1, 32, windowStart.Add(-2*time.Hour), 2*time.Hour, varied, "storm")
	tests := []struct {
		name    string
		msgs    []inbox.TriagedMessage
		history time.Time
		want    []string
	}{
		{"OK/FullHistory", append(slices.Clone(twoHours), burst...), time.Time{}, []string{"spike:storm"}},
		{"OK/RateOverTheHistoryThereIs", append(slices.Clone(twoHours), burst...), windowStart.Add(-2 * time.Hour), nil},
		{"OK/NewDatabase", slices.Concat(burst, same), windowStart.Add(-10 * time.Minute),
			[]string{"duplicates:vattnet-avstängt-hisingen"}},
		{"OK/JustEnoughHistory", burst, windowStart.Add(-cfg.MinHistory), []string{"spike:storm"}},
		{"OK/HistoryInTheWindow", burst, windowStart.Add(time.Minute), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := topics(DetectSpikes(tt.msgs, spikeEnd, tt.history, cfg))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
