package routing_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"inkorg/inbox"
	"inkorg/inbox/storetest"
	"inkorg/routing"
)

// linkSuggester suggests one page for any text, and counts its calls.
type linkSuggester struct{ calls chan string }

func (s *linkSuggester) Suggest(_ context.Context, text, _ string, _ int) ([]routing.Suggestion, error) {
	s.calls <- text
	return []routing.Suggestion{{URL: "https://goteborg.se/sophamtning", Title: "Sophämtning", Score: 2}}, nil
}

func TestSuggestionsLater(t *testing.T) {
	for name, url := range storeURLs {
		t.Run(name+"/Filled", func(t *testing.T) { testSuggestionsFilled(t, openStore(t, url(t))) })
		t.Run(name+"/Stale", func(t *testing.T) { testSuggestionsStale(t, openStore(t, url(t))) })
		t.Run(name+"/Shed", func(t *testing.T) { testSuggestionsShed(t, openStore(t, url(t))) })
		t.Run(name+"/GiveWay", func(t *testing.T) { testSuggestionsGiveWay(t, openStore(t, url(t))) })
		t.Run(name+"/Together", func(t *testing.T) { testSuggestionsTogether(t, openStore(t, url(t))) })
		t.Run(name+"/SavedBeforeGivingWay", func(t *testing.T) { testSuggestionsSavedBeforeGivingWay(t, openStore(t, url(t))) })
	}
}

// laterScene is a triager with a suggester whose clock the test moves, a
// filler of capacity n for store s, and a hook using it.
type laterScene struct {
	now    time.Time
	tr     *routing.Triager
	sugg   *linkSuggester
	filler *routing.SuggestionFiller
	hook   inbox.EventHook
}

func newLaterScene(t *testing.T, s inbox.Store, capacity int) *laterScene {
	t.Helper()
	targets, err := routing.BundledAdministrations()
	if err != nil {
		t.Fatal(err)
	}
	sc := &laterScene{now: storetest.T0, sugg: &linkSuggester{calls: make(chan string, 16)}}
	cfg := routing.DefaultConfig()
	cfg.Now = func() time.Time { return sc.now }
	tr, err := routing.NewTriager(targets, sc.sugg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sc.tr = tr
	sc.filler = routing.NewSuggestionFiller(tr, s, capacity, nil, nil)
	sc.hook = routing.Hook(tr, s, nil, routing.WithSuggestionsLater(sc.filler))
	return sc
}

// triage applies e and runs the hook on it.
func (sc *laterScene) triage(t *testing.T, s inbox.Store, e inbox.Event) inbox.Applied {
	t.Helper()
	a, err := s.ApplyEvent(t.Context(), e)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.hook(t.Context(), e, a); err != nil {
		t.Fatalf("hook: %v", err)
	}
	return a
}

func storedTriage(t *testing.T, s inbox.Store, conv int64) *inbox.Triage {
	t.Helper()
	tr, err := s.FindTriage(t.Context(), conv)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// waitOutcome runs the filler until its counter for outcome reaches n.
func (sc *laterScene) waitOutcome(t *testing.T, outcome string, n float64) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { sc.filler.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	sc.waitCount(t, outcome, n)
}

// waitCount waits until the filler's counter for outcome reaches n; a
// filler that never gets there fails the test instead of hanging it.
func (sc *laterScene) waitCount(t *testing.T, outcome string, n float64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); testutil.ToFloat64(sc.filler.Metric().WithLabelValues(outcome)) < n; {
		if time.Now().After(deadline) {
			t.Fatalf("%s: got %v, never reached %v", outcome, testutil.ToFloat64(sc.filler.Metric().WithLabelValues(outcome)), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// testSuggestionsFilled: the triage is stored at once without links and
// pending, without asking the answer bank; the filler adds them.
func testSuggestionsFilled(t *testing.T, s inbox.Store) {
	sc := newLaterScene(t, s, 4)
	e := storetest.Event("later-thread", "m1", storetest.T0)
	e.Text = "Soptunnan har inte tömts, mitt personnummer är 811218-9876"
	a := sc.triage(t, s, e)
	got := storedTriage(t, s, a.ConversationID)
	if !got.SuggestionsPending || len(got.Suggestions) != 0 || got.Administration != "kretslopp-vatten" || len(sc.sugg.calls) != 0 {
		t.Fatalf("stored triage %+v after %d searches; want it routed, pending, no links and no search yet", got, len(sc.sugg.calls))
	}
	sc.waitOutcome(t, routing.SuggestionsFilled, 1)
	got = storedTriage(t, s, a.ConversationID)
	if got.SuggestionsPending || len(got.Suggestions) != 1 || got.Suggestions[0].URL != "https://goteborg.se/sophamtning" ||
		got.Administration != "kretslopp-vatten" || len(got.Sensitive) != 1 {
		t.Errorf("filled triage %+v; want the same triage with the link, no longer pending", got)
	}
	if text := <-sc.sugg.calls; text == e.Text {
		t.Errorf("the answer bank got %q; want the question without the identity number", text)
	}
}

// testSuggestionsStale: the citizen edits the message before the filler
// gets to the first triage; the first triage's links are not stored over
// the newer triage, whose own links follow.
func testSuggestionsStale(t *testing.T, s inbox.Store) {
	sc := newLaterScene(t, s, 4)
	e := storetest.Event("stale-thread", "m1", storetest.T0)
	e.Text = "Soptunnan har inte tömts"
	a := sc.triage(t, s, e)
	edit := storetest.Event("stale-thread", "m1", storetest.T0.Add(time.Minute))
	edit.Kind, edit.Text = inbox.EventMessageEdited, "Var kan jag låna böcker på biblioteket?"
	sc.now = storetest.T0.Add(time.Minute)
	if _, err := s.ApplyEvent(t.Context(), edit); err != nil {
		t.Fatal(err)
	}
	if err := sc.hook(t.Context(), edit, a); err != nil {
		t.Fatal(err)
	}
	sc.waitOutcome(t, routing.SuggestionsFilled, 1)
	m := sc.filler.Metric()
	if stale := testutil.ToFloat64(m.WithLabelValues(routing.SuggestionsStale)); stale != 1 {
		t.Errorf("stale: got %v, want 1 (the first triage's links)", stale)
	}
	got := storedTriage(t, s, a.ConversationID)
	if got.Administration != "kultur" || got.SuggestionsPending || len(got.Suggestions) != 1 {
		t.Errorf("got triage %+v; want the edited text's (kultur), filled", got)
	}
}

// testSuggestionsShed: a full queue does not hold ingest up; the triage
// that did not fit stays pending and is counted.
func testSuggestionsShed(t *testing.T, s inbox.Store) {
	sc := newLaterScene(t, s, 1)
	first := sc.triage(t, s, storetest.Event("shed-1", "m1", storetest.T0))
	second := sc.triage(t, s, storetest.Event("shed-2", "m2", storetest.T0))
	if shed := testutil.ToFloat64(sc.filler.Metric().WithLabelValues(routing.SuggestionsShed)); shed != 1 {
		t.Fatalf("shed: got %v, want 1", shed)
	}
	sc.waitOutcome(t, routing.SuggestionsFilled, 1)
	if got := storedTriage(t, s, first.ConversationID); got.SuggestionsPending {
		t.Errorf("first triage %+v; want it filled", got)
	}
	if got := storedTriage(t, s, second.ConversationID); !got.SuggestionsPending || len(got.Suggestions) != 0 {
		t.Errorf("second triage %+v; want it left pending", got)
	}
}

// testSuggestionsGiveWay: while ingest is busy the filler looks nothing
// up; once it is not, the waiting triage gets its links.
func testSuggestionsGiveWay(t *testing.T, s inbox.Store) {
	sc := newLaterScene(t, s, 4)
	var busy atomic.Bool
	busy.Store(true)
	sc.filler.GiveWayTo(busy.Load)
	a := sc.triage(t, s, storetest.Event("giveway", "m1", storetest.T0))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { sc.filler.Run(ctx); close(done) }()
	select {
	case text := <-sc.sugg.calls:
		t.Fatalf("the answer bank was asked (%q) while ingest was busy", text)
	case <-time.After(100 * time.Millisecond):
	}
	if got := storedTriage(t, s, a.ConversationID); !got.SuggestionsPending {
		t.Fatalf("triage %+v filled while ingest was busy", got)
	}
	busy.Store(false)
	sc.waitCount(t, routing.SuggestionsFilled, 1)
	cancel()
	<-done
	if got := storedTriage(t, s, a.ConversationID); got.SuggestionsPending || len(got.Suggestions) != 1 {
		t.Errorf("triage %+v; want it filled once ingest was idle", got)
	}
}

// suggestionSaves is a store that records how many triages each
// SaveTriageSuggestions call stored together.
type suggestionSaves struct {
	inbox.Store
	mu    sync.Mutex
	sizes []int
}

func (s *suggestionSaves) SaveTriageSuggestions(ctx context.Context, ts []*inbox.Triage) ([]bool, error) {
	s.mu.Lock()
	s.sizes = append(s.sizes, len(ts))
	s.mu.Unlock()
	return s.Store.SaveTriageSuggestions(ctx, ts)
}

func (s *suggestionSaves) batches() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sizes)
}

// testSuggestionsTogether: triages waiting when the filler gets to them
// are stored in one statement, each with its own links.
func testSuggestionsTogether(t *testing.T, store inbox.Store) {
	s := &suggestionSaves{Store: store}
	sc := newLaterScene(t, s, 8)
	var convs []int64
	for i := range 5 {
		e := storetest.Event(fmt.Sprintf("together-%d", i), fmt.Sprintf("together-m%d", i), storetest.T0)
		e.Text = "Soptunnan har inte tömts"
		convs = append(convs, sc.triage(t, s, e).ConversationID)
	}
	sc.waitOutcome(t, routing.SuggestionsFilled, 5)
	if got := s.batches(); !slices.Equal(got, []int{5}) {
		t.Errorf("saves of %v triages; want the five in one", got)
	}
	for _, conv := range convs {
		if got := storedTriage(t, s, conv); got.SuggestionsPending || len(got.Suggestions) != 1 {
			t.Errorf("conversation %d: triage %+v; want it filled", conv, got)
		}
	}
}

// testSuggestionsSavedBeforeGivingWay: links already found are stored
// before the filler waits for busy ingest, not held until it is idle.
func testSuggestionsSavedBeforeGivingWay(t *testing.T, store inbox.Store) {
	s := &suggestionSaves{Store: store}
	sc := newLaterScene(t, s, 4)
	// Ingest turns busy once the first search is made, until the test
	// takes that search off the suggester's record.
	sc.filler.GiveWayTo(func() bool { return len(sc.sugg.calls) > 0 })
	first := sc.triage(t, s, storetest.Event("giveway-1", "giveway-m1", storetest.T0))
	second := sc.triage(t, s, storetest.Event("giveway-2", "giveway-m2", storetest.T0))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { sc.filler.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	sc.waitCount(t, routing.SuggestionsFilled, 1)
	if got := storedTriage(t, s, first.ConversationID); got.SuggestionsPending {
		t.Errorf("first triage %+v; want it stored while ingest is busy", got)
	}
	if got := storedTriage(t, s, second.ConversationID); !got.SuggestionsPending || len(sc.sugg.calls) != 1 {
		t.Fatalf("second triage %+v after %d searches; want it waiting for ingest, not searched", got, len(sc.sugg.calls))
	}
	<-sc.sugg.calls
	sc.waitCount(t, routing.SuggestionsFilled, 2)
	if got := s.batches(); !slices.Equal(got, []int{1, 1}) {
		t.Errorf("saves of %v triages; want one and one", got)
	}
}
