// Package loadgen generates realistic signed Meta webhook deliveries and
// sends them at a running inkorg to measure how fast it acknowledges them
// and how soon they are visible in the inbox API. It backs `inkorg loadgen`.
package loadgen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

// Kind names one shape of delivery in the generated mix.
type Kind string

// The kinds of delivery a Generator makes, with the shapes Meta sends.
const (
	KindFacebookComment  Kind = "facebook_comment"        // new top-level comment on a Page post
	KindFacebookReply    Kind = "facebook_reply"          // reply in an earlier comment's thread
	KindFacebookEdited   Kind = "facebook_comment_edited" // an earlier comment, edited
	KindMessengerText    Kind = "messenger_text"
	KindMessengerImage   Kind = "messenger_image"
	KindMessengerEdit    Kind = "messenger_edit" // message_edits of an earlier message
	KindMessengerBatch   Kind = "messenger_batch"
	KindInstagramDirect  Kind = "instagram_direct"
	KindInstagramComment Kind = "instagram_comment"
	// KindDuplicate is an earlier delivery sent again byte for byte, as
	// Meta redelivers; it must change nothing.
	KindDuplicate Kind = "duplicate"
)

// mix is the share of each kind, in percent; the rest of 100 is nothing.
var mix = []struct {
	kind    Kind
	percent int
}{
	{KindFacebookComment, 22},
	{KindFacebookReply, 14},
	{KindFacebookEdited, 4},
	{KindMessengerText, 22},
	{KindMessengerImage, 4},
	{KindMessengerEdit, 4},
	{KindMessengerBatch, 4},
	{KindInstagramDirect, 12},
	{KindInstagramComment, 9},
	{KindDuplicate, 5},
}

// Delivery is one generated webhook body.
type Delivery struct {
	Kind Kind
	Body []byte
	// Events is how many events the body holds.
	Events int
}

// GeneratorConfig says whose deliveries to make.
type GeneratorConfig struct {
	// PageID and InstagramID are the accounts the deliveries are for
	// (entry.id). Defaults DefaultPageID and DefaultInstagramID.
	PageID      string
	InstagramID string
	// RunID keeps this run's platform ids apart from earlier runs' against
	// the same database; digits only. Default: from the clock.
	RunID string
	// Stream keeps the ids of generators in one run apart (one per sender).
	Stream int
	// Citizens is how many distinct citizens write; default 5000.
	Citizens int
	// Seed makes the sequence repeatable.
	Seed uint64
}

// Default accounts: the demo Page and a made-up Instagram account.
const (
	DefaultPageID      = "104937265871234"
	DefaultInstagramID = "17841400000000777"
)

// history bounds what a Generator remembers to reply to, edit or resend.
const history = 256

// Generator makes a stream of deliveries. It is not safe for concurrent
// use; give each sender its own, with its own Stream.
type Generator struct {
	cfg      GeneratorConfig
	rnd      *rand.Rand
	seq      int
	comments ring[comment]  // top-level Facebook comments sent
	messages ring[message]  // Messenger messages sent
	bodies   ring[Delivery] // deliveries sent, for duplicates
}

type comment struct{ post, id, fromID, fromName string }

type message struct{ mid, sender string }

// NewGenerator returns a Generator for cfg.
func NewGenerator(cfg GeneratorConfig) *Generator {
	if cfg.PageID == "" {
		cfg.PageID = DefaultPageID
	}
	if cfg.InstagramID == "" {
		cfg.InstagramID = DefaultInstagramID
	}
	if cfg.RunID == "" {
		cfg.RunID = NewRunID(time.Now())
	}
	if cfg.Citizens <= 0 {
		cfg.Citizens = 5000
	}
	return &Generator{cfg: cfg, rnd: rand.New(rand.NewPCG(cfg.Seed, uint64(cfg.Stream)))}
}

// NewRunID returns a run id from the clock: digits, different each second.
func NewRunID(now time.Time) string {
	return fmt.Sprintf("%d", now.Unix()%100_000_000)
}

// Next returns the next delivery, with event times at.
func (g *Generator) Next(at time.Time) Delivery {
	g.seq++
	d := g.make(g.pick(), at)
	if d.Kind != KindDuplicate {
		g.bodies.add(d)
	}
	return d
}

func (g *Generator) pick() Kind {
	n := g.rnd.IntN(100)
	for _, m := range mix {
		if n < m.percent {
			return m.kind
		}
		n -= m.percent
	}
	return KindMessengerText
}

func (g *Generator) make(k Kind, at time.Time) Delivery {
	switch {
	case k == KindFacebookReply && !g.comments.empty():
		return g.facebookReply(at)
	case k == KindFacebookEdited && !g.comments.empty():
		return g.facebookEdited(at)
	case k == KindMessengerEdit && !g.messages.empty():
		return g.messengerEdit(at)
	case k == KindDuplicate && !g.bodies.empty():
		d := g.bodies.pick(g.rnd)
		d.Kind = KindDuplicate
		return d
	case k == KindMessengerImage:
		return g.messengerImage(at)
	case k == KindMessengerBatch:
		return g.messengerBatch(at)
	case k == KindInstagramDirect:
		return g.instagramDirect(at)
	case k == KindInstagramComment:
		return g.instagramComment(at)
	case k == KindMessengerText:
		return g.messengerText(at)
	}
	// Replies, edits and duplicates need something earlier; the first of
	// a run is a new comment instead.
	return g.facebookComment(at)
}

// id returns a platform id unique to this run, stream and sequence, all
// digits like Meta's; four digits hold every stream up to MaxConcurrency.
func (g *Generator) id() string {
	return fmt.Sprintf("%s%04d%07d", g.cfg.RunID, g.cfg.Stream, g.seq)
}

// citizen returns the page-scoped id of one of the citizens.
func (g *Generator) citizen(base int64) string {
	return fmt.Sprintf("%d", base+int64(g.rnd.IntN(g.cfg.Citizens)))
}

// ring keeps the last history values added.
type ring[T any] struct {
	items []T
	next  int
}

func (r *ring[T]) add(v T) {
	if len(r.items) < history {
		r.items = append(r.items, v)
		return
	}
	r.items[r.next] = v
	r.next = (r.next + 1) % history
}

// pick returns one of the values at random; the ring must not be empty.
func (r *ring[T]) pick(rnd *rand.Rand) T { return r.items[rnd.IntN(len(r.items))] }

func (r *ring[T]) empty() bool { return len(r.items) == 0 }

// encode marshals a delivery as Meta does: compact, non-ASCII escaped.
func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("loadgen: encode delivery: %v", err)) // maps of strings and numbers: cannot happen
	}
	return escapeNonASCII(b)
}
