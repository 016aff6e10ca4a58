package httpapi

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"inkorg/answers"
	"inkorg/inbox"
)

// maxAnswerQuery caps ?q=: a citizen message, not a document.
const maxAnswerQuery = 2000

// AnswerList is the body of GET /api/v1/answers/search.
type AnswerList struct {
	Hits []AnswerHit `json:"hits"`
}

// AnswerHit is one article found, with its score and the matched words.
type AnswerHit struct {
	Title          string   `json:"title"`
	URL            string   `json:"url"`
	Summary        string   `json:"summary"`
	Administration string   `json:"administration"`
	Language       string   `json:"language"`
	Score          float64  `json:"score"`
	Matched        []string `json:"matched"`
}

// searchAnswers serves GET /api/v1/answers/search?q=…[&administration=…]
// [&language=…][&limit=n].
func searchAnswers(search answers.Search) echo.HandlerFunc {
	return func(c echo.Context) error {
		q, err := answerQuery(c)
		if err != nil {
			return err
		}
		hits, err := search.Search(c.Request().Context(), q)
		if err != nil {
			return err
		}
		out := AnswerList{Hits: make([]AnswerHit, len(hits))}
		for i, h := range hits {
			a := h.Article
			matched := h.Matched
			if matched == nil {
				matched = []string{}
			}
			out.Hits[i] = AnswerHit{Title: a.Title, URL: a.URL, Summary: a.Summary, Administration: a.Administration,
				Language: a.Language, Score: h.Score, Matched: matched}
		}
		return c.JSON(http.StatusOK, out)
	}
}

func answerQuery(c echo.Context) (answers.Query, error) {
	q := answers.Query{
		Text:           c.QueryParam("q"),
		Administration: c.QueryParam("administration"),
		Language:       c.QueryParam("language"),
	}
	if utf8.RuneCountInString(q.Text) > maxAnswerQuery {
		return q, inbox.Errorf(inbox.EINVALID, "q is too long: at most %d characters.", maxAnswerQuery)
	}
	if q = q.Normalize(); q.Text == "" {
		return q, inbox.Errorf(inbox.EINVALID, "q is required: the text to find answers for.")
	}
	if raw := c.QueryParam("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > answers.MaxLimit {
			return q, inbox.Errorf(inbox.EINVALID, "limit must be a whole number from 1 to %d.", answers.MaxLimit)
		}
		q.Limit = n
	}
	return q, nil
}

// SuggestionList is the body of GET /api/v1/conversations/{id}/suggestions.
type SuggestionList struct {
	Suggestions []Suggestion `json:"suggestions"`
}

// Suggestion is an article proposed for a conversation, with a reply
// draft in the conversation's language, in Swedish when there is no
// template for that (answers.ConversationDraft).
type Suggestion struct {
	AnswerHit
	Draft string `json:"draft,omitempty"`
}

// defaultSuggestions is how many articles a conversation gets by default.
const defaultSuggestions = 3

// conversationSuggestions serves GET /api/v1/conversations/{id}/suggestions:
// articles for the latest citizen message, from the administration the
// conversation is routed to (from all when that has none that match).
func conversationSuggestions(store inbox.Store, search answers.Search) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := conversationID(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		conv, msgs, err := store.FindConversationThread(ctx, id)
		if err != nil {
			return err
		}
		if !currentUser(c).CanSee(conv) {
			return inbox.Errorf(inbox.EFORBIDDEN, "This conversation is not routed to your administration.")
		}
		// The limit after who may see: one who may not is told so.
		k := defaultSuggestions
		if raw := c.QueryParam("limit"); raw != "" {
			if k, err = strconv.Atoi(raw); err != nil || k < 1 || k > answers.MaxLimit {
				return inbox.Errorf(inbox.EINVALID, "limit must be a whole number from 1 to %d.", answers.MaxLimit)
			}
		}
		text := inbox.LatestCitizenText(conv, msgs)
		s := &answers.Suggester{Search: search}
		hits, err := s.Suggest(ctx, text, conv.AdministrationID, k)
		if err == nil && len(hits) == 0 && conv.AdministrationID != "" {
			hits, err = s.Suggest(ctx, text, "", k)
		}
		if err != nil {
			return err
		}
		lang := ""
		if conv.Triage != nil {
			lang = conv.Triage.Language
		}
		return c.JSON(http.StatusOK, suggestionList(hits, lang))
	}
}

func suggestionList(hits []answers.Hit, lang string) SuggestionList {
	out := SuggestionList{Suggestions: make([]Suggestion, len(hits))}
	for i, h := range hits {
		a := h.Article
		matched := h.Matched
		if matched == nil {
			matched = []string{}
		}
		draft := answers.ConversationDraft(a, lang)
		out.Suggestions[i] = Suggestion{AnswerHit: AnswerHit{Title: a.Title, URL: a.URL, Summary: a.Summary,
			Administration: a.Administration, Language: a.Language, Score: h.Score, Matched: matched}, Draft: draft}
	}
	return out
}
