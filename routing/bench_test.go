package routing

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

// benchTexts are typical citizen messages of different lengths.
var benchTexts = []string{
	"När töms soptunnan i Torslanda?",
	"Hej! Jag har sökt bygglov för ett attefallshus för tre månader sedan och har inte fått något besked. Mitt personnummer är 19821105-9954, ring mig på 070-123 45 67.",
	"Gatlyktan utanför Vasagatan 12 har varit släckt i två veckor och det är mörkt och otryggt att gå hem från spårvagnen på kvällen.",
	"How do I apply for a preschool place for my daughter?",
	"Tack för snabb hjälp med boendeparkeringen!",
}

// BenchmarkTriage measures triage throughput on one core; run with
// -cpu=1. It reports the 99th percentile latency per message as p99-ns.
func BenchmarkTriage(b *testing.B) {
	tr, err := NewTriager(bundled(b), nil, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	benchTriage(b, tr, benchTexts, inbox.ChannelFacebookComment)
}

// benchTriage triages texts in turn on channel and reports the 99th
// percentile latency per message as p99-ns and the throughput as msgs/s.
func benchTriage(b *testing.B, tr *Triager, texts []string, channel inbox.Channel) {
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := tr.Triage(ctx, texts[i%len(texts)], channel); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100]), "p99-ns")
		b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "msgs/s")
	}
}

// BenchmarkTriageHeldOut measures triage on the 292 held-out questions in
// turn: more varied words than BenchmarkTriage's five texts, so the first
// pass shows the cost of words the classifier has not seen yet.
func BenchmarkTriageHeldOut(b *testing.B) {
	texts := heldOutTexts(b)
	tr, err := NewTriager(bundled(b), nil, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	benchTriage(b, tr, texts, inbox.ChannelMessenger)
}

// BenchmarkLoadModel measures loading the bundled targets and training the
// classifier, which every process does at start.
func BenchmarkLoadModel(b *testing.B) {
	for b.Loop() {
		a, err := BundledAdministrations()
		if err != nil {
			b.Fatal(err)
		}
		NewClassifier(a)
	}
}

// BenchmarkTagsAndPriority measures the signal words' part of triage on
// the held-out questions.
func BenchmarkTagsAndPriority(b *testing.B) {
	texts := heldOutTexts(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		TagsAndPriority(texts[i%len(texts)])
	}
}

// heldOutTexts returns the texts of the held-out questions.
func heldOutTexts(b testing.TB) []string {
	var texts []string
	for _, file := range heldOutFiles {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			var l Labelled
			if err := json.Unmarshal([]byte(line), &l); err != nil {
				b.Fatalf("%s: %v", file, err)
			}
			texts = append(texts, l.Text)
		}
	}
	return texts
}
