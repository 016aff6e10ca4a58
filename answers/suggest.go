package answers

import (
	"context"
	"fmt"
)

// Suggester proposes answer-bank articles for a citizen message.
type Suggester struct {
	Search Search
}

// Suggestion is one proposed article with its score and matched words.
type Suggestion = Hit

// Suggest returns the top k active articles for a citizen message, with
// scores and matched words. When administrationID is set only that
// administration's articles are proposed. An empty text has no suggestions.
func (s *Suggester) Suggest(ctx context.Context, text, administrationID string, k int) ([]Suggestion, error) {
	if k <= 0 {
		return nil, fmt.Errorf("answers: suggest: k must be positive, got %d", k)
	}
	q := Query{Text: text, Administration: administrationID, Limit: k}.Normalize()
	if q.Text == "" {
		return nil, nil
	}
	return s.Search.Search(ctx, q)
}
