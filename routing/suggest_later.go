package routing

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"inkorg/inbox"
)

// SuggestionFiller looks up the answer-bank links of triages that ingest
// stored without them (see WithSuggestionsLater), one at a time, outside
// the path that makes a citizen's message visible to staff. Searching the
// answer bank costs more than the rest of triage together, and more the
// larger the bank grows; ingest should not slow down with it. An agent
// never waits for the filler: the conversation view and the suggestions
// endpoint search live.
//
// Work that does not fit the queue is shed, not waited for: under a burst
// the filler keeps what it can and those triages stay SuggestionsPending,
// which the editors' "questions without a good answer" list leaves out
// rather than counting as unanswerable.
type SuggestionFiller struct {
	t      *Triager
	store  inbox.TriageStore
	jobs   chan suggestionJob
	done   *prometheus.CounterVec
	logger *slog.Logger
	busy   func() bool
}

// yieldPause is how long the filler waits before it looks again whether
// the work it gives way to is still busy.
const yieldPause = 10 * time.Millisecond

// GiveWayTo makes the filler wait while busy reports true before each
// triage: with ingest's load as busy, links are looked up in the time
// ingest leaves over, and during a burst the queue fills and the rest is
// shed rather than slowing down what makes messages visible. Call it
// before Run.
func (f *SuggestionFiller) GiveWayTo(busy func() bool) { f.busy = busy }

type suggestionJob struct {
	conversationID int64
	text           string
	r              *Result
}

// Outcomes of a triage handed to the filler, the label of
// inkorg_triage_suggestions_total.
const (
	// SuggestionsFilled: the links were stored.
	SuggestionsFilled = "filled"
	// SuggestionsStale: a newer triage of the message (an edit, a
	// redelivery) had replaced the one handed over; that one was queued too.
	SuggestionsStale = "stale"
	// SuggestionsShed: the queue was full; the triage stays pending.
	SuggestionsShed = "shed"
	// SuggestionsFailed: the search or the store failed; the triage stays
	// pending.
	SuggestionsFailed = "failed"
)

// DefaultSuggestionQueue is how many triages may wait for their links:
// about half a minute of a heavy burst.
const DefaultSuggestionQueue = 10000

// NewSuggestionFiller returns a filler for t's triages stored in store,
// holding up to capacity waiting triages. Its counter is registered with
// reg when reg is not nil; logger may be nil.
func NewSuggestionFiller(t *Triager, store inbox.TriageStore, capacity int, reg prometheus.Registerer, logger *slog.Logger) *SuggestionFiller {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if capacity < 1 {
		capacity = 1
	}
	f := &SuggestionFiller{t: t, store: store, jobs: make(chan suggestionJob, capacity), logger: logger,
		done: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "inkorg_triage_suggestions_total",
			Help: "Triages whose answer-bank links were looked up after ingest, by outcome (filled, stale: replaced by a newer triage, shed: queue full, failed).",
		}, []string{"outcome"})}
	for _, o := range []string{SuggestionsFilled, SuggestionsStale, SuggestionsShed, SuggestionsFailed} {
		f.done.WithLabelValues(o)
	}
	if reg != nil {
		reg.MustRegister(f.done)
	}
	return f
}

// Metric is the filler's counter, inkorg_triage_suggestions_total.
func (f *SuggestionFiller) Metric() *prometheus.CounterVec { return f.done }

// Offer queues r, the stored triage of text in the conversation, for its
// links without waiting, and reports whether it was queued. The caller
// must not touch r afterwards.
func (f *SuggestionFiller) Offer(conversationID int64, text string, r *Result) bool {
	select {
	case f.jobs <- suggestionJob{conversationID: conversationID, text: text, r: r}:
		return true
	default:
		f.done.WithLabelValues(SuggestionsShed).Inc()
		return false
	}
}

// maxSuggestionBatch is how many triages with their links found the
// filler stores in one statement at most.
const maxSuggestionBatch = 32

// Run fills queued triages until ctx ends; what is still queued then, or
// found but not yet stored, stays pending. The links it finds are stored
// together: when no triage waits any more, when the work it gives way to
// becomes busy, or when maxSuggestionBatch are found, so a burst costs a
// statement per batch instead of one per message.
func (f *SuggestionFiller) Run(ctx context.Context) {
	found := make([]suggestionJob, 0, maxSuggestionBatch)
	for {
		var job suggestionJob
		select {
		case <-ctx.Done():
			return
		case job = <-f.jobs:
		default:
			if len(found) > 0 {
				found = f.save(ctx, found)
				continue
			}
			select {
			case <-ctx.Done():
				return
			case job = <-f.jobs:
			}
		}
		if len(found) > 0 && f.busy != nil && f.busy() {
			found = f.save(ctx, found)
		}
		if !f.waitIdle(ctx) {
			return
		}
		if f.search(ctx, job) {
			found = append(found, job)
		}
		if len(found) == maxSuggestionBatch {
			found = f.save(ctx, found)
		}
	}
}

// waitIdle waits until busy reports false, and reports whether ctx is
// still going.
func (f *SuggestionFiller) waitIdle(ctx context.Context) bool {
	for f.busy != nil && f.busy() {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(yieldPause):
		}
	}
	return ctx.Err() == nil
}

// search fills in job's links and reports whether it found them.
func (f *SuggestionFiller) search(ctx context.Context, job suggestionJob) bool {
	if err := f.t.Suggest(ctx, job.text, job.r); err != nil {
		f.done.WithLabelValues(SuggestionsFailed).Inc()
		f.logger.Warn("answer-bank links not found for a triage; it stays pending",
			"conversation_id", job.conversationID, "message_id", job.r.MessageID, "error", err)
		return false
	}
	return true
}

// save stores the triages of jobs with their links, counts each outcome,
// and returns jobs emptied for reuse.
func (f *SuggestionFiller) save(ctx context.Context, jobs []suggestionJob) []suggestionJob {
	ts := make([]*Result, len(jobs))
	for i, job := range jobs {
		ts[i] = job.r
	}
	saved, err := f.store.SaveTriageSuggestions(ctx, ts)
	if err != nil {
		f.done.WithLabelValues(SuggestionsFailed).Add(float64(len(jobs)))
		f.logger.Warn("answer-bank links of triages not stored; they stay pending",
			"triages", len(jobs), "conversation_id", jobs[0].conversationID, "message_id", jobs[0].r.MessageID, "error", err)
		clear(jobs)
		return jobs[:0]
	}
	for _, ok := range saved {
		if ok {
			f.done.WithLabelValues(SuggestionsFilled).Inc()
		} else {
			f.done.WithLabelValues(SuggestionsStale).Inc()
		}
	}
	clear(jobs)
	return jobs[:0]
}
