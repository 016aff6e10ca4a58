package routing_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"inkorg/inbox"
	"inkorg/inbox/inboxtest"
	"inkorg/inbox/storetest"
	"inkorg/routing"
)

func TestSpikeDetector(t *testing.T) {
	forEachStore(t, testSpikeDetector)
}

// testSpikeDetector generates an ordinary afternoon and then a burst of
// flooding reports, triaged by the real hook, and runs detection as two
// instances.
func testSpikeDetector(t *testing.T, s inbox.Store) {
	ctx := t.Context()
	now := time.Date(2026, 1, 14, 15, 0, 0, 0, time.UTC)
	cfg := routing.DefaultConfig()
	cfg.Now = func() time.Time { return now }
	tr, err := routing.NewTriager(bundledTargets(t), nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hook := routing.Hook(tr, s, nil)
	send := func(i int, text string) int64 {
		e := storetest.Event(fmt.Sprintf("citizen-%d", i), fmt.Sprintf("mid-%d", i), now)
		e.Text = text
		a, err := s.ApplyEvent(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if err := hook(ctx, e, a); err != nil {
			t.Fatal(err)
		}
		return a.ConversationID
	}
	usual := []string{"Hur söker jag bygglov?", "När töms soptunnan?", "Var finns närmaste bibliotek?", "Hur ansöker jag om förskoleplats?"}
	for i := range 12 { // one every half hour
		send(i, usual[i%len(usual)])
		now = now.Add(30 * time.Minute)
	}
	var burst []int64
	streets := []string{"Kungsgatan", "Linnégatan", "Vasagatan", "Avenyn", "Järntorget", "Haga", "Majorna", "Frölunda"}
	for i := range 14 { // a minute apart: a storm floods the city
		burst = append(burst, send(100+i, fmt.Sprintf("Översvämning vid %s nu, vattnet står högt i källaren, vad gör vi?", streets[i%len(streets)])))
		now = now.Add(time.Minute)
	}

	reg := prometheus.NewRegistry()
	pub := &inboxtest.LiveRecorder{}
	clock := func() time.Time { return now }
	first := routing.NewSpikeDetector(s, pub, reg, routing.DefaultSpikeConfig(), clock, nil)
	second := routing.NewSpikeDetector(s, nil, nil, routing.DefaultSpikeConfig(), clock, nil)
	alerts, err := first.Detect(ctx)
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	var flood *inbox.Alert
	spikes := 0.0
	for _, a := range alerts {
		if a.Kind == inbox.AlertSpike {
			spikes++
		}
		if a.Kind == inbox.AlertSpike && a.Topic == "nödläge" {
			flood = a
		}
	}
	if flood == nil || flood.Count != len(burst) || flood.Tag != "kris:nödläge" {
		t.Fatalf("got alerts %+v, want a spike on nödläge with %d conversations", alerts, len(burst))
	}
	if got := testutil.ToFloat64(first.Metric().WithLabelValues("spike")); got != spikes {
		t.Errorf("inkorg_spike_alerts_total{kind=spike}: got %v, want %v", got, spikes)
	}
	if events := pub.Events(); len(events) != len(alerts) || events[0].Kind != inbox.LiveAlert {
		t.Errorf("published %+v, want one live alert per new alert", events)
	}
	for _, id := range append(burst[:1], burst[len(burst)-1]) {
		c, err := s.FindConversationByID(ctx, id)
		if err != nil || !slices.Contains(c.Tags, "kris:nödläge") {
			t.Errorf("conversation %d: got tags %v (%v), want kris:nödläge", id, c.Tags, err)
		}
	}

	// Another instance a minute later finds the same spike going on and
	// extends the alert; one more report joins it.
	now = now.Add(time.Minute)
	late := send(200, "Översvämning på Hisingen, källaren står under vatten")
	again, err := second.Detect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.FindAlerts(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(alerts) || len(again) == 0 {
		t.Errorf("got %d alerts stored after the second run, want still %d", len(stored), len(alerts))
	}
	if c, _ := s.FindConversationByID(ctx, late); !slices.Contains(c.Tags, "kris:nödläge") {
		t.Errorf("the late report: got tags %v, want kris:nödläge", c.Tags)
	}
	if got := testutil.ToFloat64(first.Metric().WithLabelValues("spike")) + testutil.ToFloat64(second.Metric().WithLabelValues("spike")); got != spikes {
		t.Errorf("metric after the second instance's run: got %v, want %v (each raised once)", got, spikes)
	}
}

func TestSpikeDetectorNewDatabase(t *testing.T) {
	forEachStore(t, testSpikeDetectorNewDatabase)
}

// testSpikeDetectorNewDatabase runs detection on a database that has just
// been started: nothing triaged finds nothing, and a first quarter of an
// hour's flooding reports raise their burst of near-identical texts but no
// tag spike, as there is no usual rate to compare with yet.
func testSpikeDetectorNewDatabase(t *testing.T, s inbox.Store) {
	ctx := t.Context()
	now := time.Date(2026, 1, 14, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	d := routing.NewSpikeDetector(s, nil, nil, routing.DefaultSpikeConfig(), clock, nil)
	if alerts, err := d.Detect(ctx); err != nil || len(alerts) != 0 {
		t.Fatalf("nothing triaged: got %+v, %v; want no alert", alerts, err)
	}
	cfg := routing.DefaultConfig()
	cfg.Now = clock
	tr, err := routing.NewTriager(bundledTargets(t), nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hook := routing.Hook(tr, s, nil)
	streets := []string{"Kungsgatan", "Linnégatan", "Vasagatan", "Avenyn", "Järntorget", "Haga", "Majorna", "Frölunda"}
	for i := range 14 {
		e := storetest.Event(fmt.Sprintf("citizen-%d", i), fmt.Sprintf("mid-%d", i), now)
		e.Text = fmt.Sprintf("Översvämning vid %s nu, vattnet står högt i källaren, vad gör vi?", streets[i%len(streets)])
		a, err := s.ApplyEvent(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if err := hook(ctx, e, a); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute)
	}
	alerts, err := d.Detect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []inbox.AlertKind
	for _, a := range alerts {
		kinds = append(kinds, a.Kind)
	}
	if !slices.Equal(kinds, []inbox.AlertKind{inbox.AlertDuplicates}) {
		t.Errorf("got alerts of kinds %v, want only the burst of near-identical reports", kinds)
	}
}

func TestSpikeDetectorBurstRenamed(t *testing.T) {
	forEachStore(t, testSpikeDetectorBurstRenamed)
}

// testSpikeDetectorBurstRenamed runs detection every 10 minutes over a
// burst of near-identical reports in two wordings: as the window moves on,
// the words naming the burst change (its oldest message changes), and yet
// it is one alert whose tag every conversation of the burst gets.
func testSpikeDetectorBurstRenamed(t *testing.T, s inbox.Store) {
	ctx := t.Context()
	now := time.Date(2026, 1, 14, 12, 0, 0, 0, time.UTC)
	cfg := routing.DefaultConfig()
	cfg.Now = func() time.Time { return now }
	tr, err := routing.NewTriager(bundledTargets(t), nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hook := routing.Hook(tr, s, nil)
	d := routing.NewSpikeDetector(s, nil, nil, routing.DefaultSpikeConfig(), func() time.Time { return now }, nil)
	var burst []int64
	var topics []string
	detect := func() {
		alerts, err := d.Detect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range alerts {
			topics = append(topics, a.Topic)
		}
	}
	for i := range 40 { // a minute apart, detection every 10 minutes from 12:15
		text := "Majorna har inget vatten sedan morgonen, vad händer?"
		if i >= 8 && i%3 != 0 {
			text = "Vatten borta i Majorna sedan morgonen?"
		}
		e := storetest.Event(fmt.Sprintf("citizen-%d", i), fmt.Sprintf("mid-%d", i), now)
		e.Text = text
		a, err := s.ApplyEvent(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if err := hook(ctx, e, a); err != nil {
			t.Fatal(err)
		}
		burst = append(burst, a.ConversationID)
		now = now.Add(time.Minute)
		if now.Minute()%10 == 5 && now.Minute() >= 15 {
			detect()
		}
	}
	now = now.Add(5 * time.Minute)
	detect()
	stored, err := s.FindAlerts(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 {
		t.Fatalf("got %d alerts (detections named %v), want one for the burst", len(stored), topics)
	}
	for _, id := range burst {
		c, err := s.FindConversationByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var kris []string
		for _, tag := range c.Tags {
			if strings.HasPrefix(tag, inbox.CrisisTagPrefix) {
				kris = append(kris, tag)
			}
		}
		if !slices.Equal(kris, []string{stored[0].Tag}) {
			t.Errorf("conversation %d: got crisis tags %v, want only %s", id, kris, stored[0].Tag)
		}
	}
}
