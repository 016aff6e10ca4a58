package answers

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"inkorg/inbox"
)

// UseStore records which answer-bank articles agents linked in replies and
// reports on it.
type UseStore interface {
	// RecordArticleUses records that reply message messageID linked the
	// articles among urls that the answer bank holds; recording the same
	// pair again changes nothing. It returns how many pairs were new.
	RecordArticleUses(ctx context.Context, conversationID, messageID int64, urls []string) (int, error)
	// ArticleStats reports the most used articles and the latest citizen
	// questions whose best suggestion scored below minScore.
	ArticleStats(ctx context.Context, f StatsFilter) (*Stats, error)
}

// StatsFilter selects what the editor statistics cover.
type StatsFilter struct {
	// Since, when set, counts only uses and questions from then on.
	Since time.Time
	// MinScore is the best suggestion's score below which a question
	// counts as having no good answer.
	MinScore float64
	// Limit caps each list.
	Limit int
}

// DefaultMinScore is the suggestion score below which a question has no
// good answer: less than one distinctive word in common with any article
// (a clear match such as "bibliotekskort" scores above 1).
const DefaultMinScore = 0.25

// Stats is what editors learn from use.
type Stats struct {
	MostUsed   []ArticleUse   `json:"most_used"`
	Unanswered []OpenQuestion `json:"unanswered"`
}

// ArticleUse is how often agents linked one article.
type ArticleUse struct {
	URL      string    `json:"url"`
	Title    string    `json:"title"`
	Uses     int       `json:"uses"`
	LastUsed time.Time `json:"last_used"`
}

// OpenQuestion is a citizen question the answer bank had no good answer
// for: no suggestion, or a best one scoring below the filter's MinScore.
type OpenQuestion struct {
	MessageID      int64     `json:"message_id"`
	ConversationID int64     `json:"conversation_id"`
	Text           string    `json:"text"`
	TopScore       float64   `json:"top_score"`
	TopURL         string    `json:"top_url,omitempty"`
	At             time.Time `json:"at"`
}

// CanReadAnswerStats reports whether u may read the editor statistics:
// the editors, supervisors and admins.
func CanReadAnswerStats(u *inbox.User) bool { return CanEditAnswers(u) }

// UseRecorder is the quality loop's first half: it records the
// answer-bank links in every reply an agent sends.
//
// Links are matched in canonical form. Articles stored before URLs were
// canonical (the bundled bank's trailing slashes, an upper-case host) keep
// their spelling until an editor saves them; when Store also lists the
// bank (a VersionStore), a link is recorded under those spellings too.
type UseRecorder struct {
	Store  UseStore
	Logger *slog.Logger

	mu     sync.Mutex
	legacy map[string][]string // canonical URL → stored non-canonical spellings
}

// ReplyHook records the links of reply m in conversation c; it fits
// inbox.Service.ReplyHooks. A failure is logged: the reply is already
// queued and must not fail for a statistic.
func (r *UseRecorder) ReplyHook(ctx context.Context, c *inbox.Conversation, m *inbox.Message) {
	if c == nil || m == nil || m.ID == 0 {
		return
	}
	urls := LinksIn(m.Text)
	if len(urls) == 0 {
		return
	}
	urls = r.withStoredSpellings(ctx, urls)
	if _, err := r.Store.RecordArticleUses(ctx, c.ID, m.ID, urls); err != nil && r.Logger != nil {
		r.Logger.Warn("recording answer-bank links failed", "conversation_id", c.ID, "message_id", m.ID, "err", err)
	}
}

// EventHook records the links of outbound messages that arrive from Meta:
// a reply sent from the web UI, or from Meta's own tools, comes back as an
// echo. It fits inbox.EventHook; a failure is logged, never retried.
func (r *UseRecorder) EventHook(ctx context.Context, e inbox.Event, a inbox.Applied) error {
	if e.Kind != inbox.EventMessageCreated || e.Direction != inbox.DirectionOutbound || a.MessageID == 0 {
		return nil
	}
	r.ReplyHook(ctx, &inbox.Conversation{ID: a.ConversationID}, &inbox.Message{ID: a.MessageID, Text: e.Text})
	return nil
}

// withStoredSpellings adds to the canonical urls the non-canonical
// spellings of the same pages that the store holds.
func (r *UseRecorder) withStoredSpellings(ctx context.Context, urls []string) []string {
	legacy, err := r.legacySpellings(ctx)
	if err != nil {
		r.log().Warn("listing answer-bank URLs failed; links match canonical URLs only", "err", err)
		return urls
	}
	out := urls
	for _, u := range urls {
		out = append(out, legacy[u]...)
	}
	return out
}

// legacySpellings maps canonical URLs to the stored articles' other
// spellings of them. It is read once: every article stored since through
// Validate (bundled bank, import, editor) has a canonical URL, so the map
// can only lose entries, and a stale entry matches no stored article.
func (r *UseRecorder) legacySpellings(ctx context.Context) (map[string][]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.legacy != nil {
		return r.legacy, nil
	}
	lister, ok := r.Store.(VersionStore)
	if !ok {
		return nil, nil
	}
	arts, err := lister.ListArticles(ctx)
	if err != nil {
		return nil, err
	}
	legacy := map[string][]string{}
	for _, a := range arts {
		if c, err := CanonicalURL(a.URL); err == nil && c != a.URL {
			legacy[c] = append(legacy[c], a.URL)
		}
	}
	r.legacy = legacy
	return legacy, nil
}

func (r *UseRecorder) log() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

// linkPattern finds https links; a link ends at white space, at < or >,
// and at the quotation marks inbox.LinkQuotes (the double quote and the
// typographic ones that cannot stand unencoded in a URL), as the SLA
// metrics' links do.
var linkPattern = regexp.MustCompile(`(?i)https://[^\s\p{Z}<>` + inbox.LinkQuotes + `]+`)

// linkEnd are the characters that end a sentence after a link rather than
// the link itself.
const linkEnd = ".,;:!?'*…"

// LinksIn returns the https links in text in canonical form (CanonicalURL),
// without the punctuation that ends a sentence or a quotation, once each.
func LinksIn(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, raw := range linkPattern.FindAllString(text, -1) {
		u, err := CanonicalURL(trimLinkEnd(raw))
		if err != nil || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, u)
	}
	return out
}

// trimLinkEnd drops trailing punctuation, and a closing bracket the link
// did not open: "(se https://goteborg.se/x)" ends before the ")".
func trimLinkEnd(s string) string {
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		open, isClosing := openingBracket[r]
		if !strings.ContainsRune(linkEnd, r) && (!isClosing || strings.Count(s, open) >= strings.Count(s, string(r))) {
			return s
		}
		s = s[:len(s)-size]
	}
	return s
}

var openingBracket = map[rune]string{')': "(", ']': "[", '}': "{"}
