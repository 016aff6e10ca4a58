package answers

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"time"

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
type UseRecorder struct {
	Store  UseStore
	Logger *slog.Logger
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

var linkPattern = regexp.MustCompile(`https://[^\s<>"]+`)

// LinksIn returns the https links in text, without the punctuation that
// ends a sentence, each also without a trailing slash so either spelling
// matches the stored URL.
func LinksIn(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, raw := range linkPattern.FindAllString(text, -1) {
		u := strings.TrimRight(raw, ".,;:!?)]}'")
		for _, v := range []string{u, strings.TrimSuffix(u, "/"), strings.TrimSuffix(u, "/") + "/"} {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}
