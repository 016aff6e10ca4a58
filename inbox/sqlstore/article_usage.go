package sqlstore

import (
	"context"
	"encoding/json"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"inkorg/answers"
	"inkorg/inbox"
)

var (
	_ answers.UseStore       = (*Store)(nil)
	_ answers.QuestionSource = (*Store)(nil)
)

type articleUseRow struct {
	ID             int64  `gorm:"column:id;primaryKey"`
	MessageID      int64  `gorm:"column:message_id"`
	ConversationID int64  `gorm:"column:conversation_id"`
	URL            string `gorm:"column:url"`
	CreatedAt      dbTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (articleUseRow) TableName() string { return "answer_article_uses" }

// RecordArticleUses records the pairs of reply messageID and the stored
// articles among urls. A pair counts once the reply has gone out (see
// usedSQL); a new pair of a reply already out bumps the answer bank's
// version, since its question becomes the article's training text, and
// publishMessage bumps it for a reply that goes out later.
func (s *Store) RecordArticleUses(ctx context.Context, conversationID, messageID int64, urls []string) (int, error) {
	added := 0
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		added = 0
		// The reply is read under its row lock, which publishMessage
		// holds while it marks the reply sent: either this sees it sent,
		// or publishMessage sees these uses, so one of them bumps.
		var reply messageRow
		if err := forUpdate(tx).Select("id", "delivery").Where("id = ?", messageID).Take(&reply).Error; err != nil {
			return err
		}
		var known []string
		if err := tx.Model(&articleRow{}).Where("url IN ?", urls).Order("url").Pluck("url", &known).Error; err != nil {
			return err
		}
		for _, u := range known {
			row := articleUseRow{MessageID: messageID, ConversationID: conversationID, URL: u, CreatedAt: s.now()}
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
			if res.Error != nil {
				return res.Error
			}
			added += int(res.RowsAffected)
		}
		if added == 0 || slices.Contains(unsentDeliveries, reply.Delivery) {
			return nil
		}
		return bumpAnswerVersion(tx)
	})
	if err != nil {
		return 0, translate(err, "Article use")
	}
	return added, nil
}

// answerUsesOut bumps, inside tx, the answer bank's version when reply
// messageID, just marked sent, linked articles: its uses count from now
// on, and its question becomes their training text.
func answerUsesOut(tx *gorm.DB, messageID int64) error {
	var n int64
	if err := tx.Model(&articleUseRow{}).Where("message_id = ?", messageID).Count(&n).Error; err != nil || n == 0 {
		return err
	}
	return bumpAnswerVersion(tx)
}

// usedSQL holds for the use u of a reply r that went out: a reply queued
// or sending is no use yet, and one that failed or whose sending is
// unknown is none (as in the SLA figures).
const usedSQL = "r.delivery NOT IN ?"

// textKeptSQL holds for a citizen message m in conversation c whose text
// retention or a data-subject request has not rewritten: neither the
// whole conversation's (c.personal_data) nor only its author's, which
// pseudonymises the author id in every conversation they wrote in. Its
// argument is pseudonymPattern.
const textKeptSQL = "c.personal_data = '' AND m.author_external_id NOT LIKE ?"

// pseudonymPattern matches a pseudonymised platform id in LIKE.
const pseudonymPattern = pseudonymPrefix + "%"

// maxQuestionsPerArticle bounds the training text one article gets: the
// latest questions speak for how citizens ask today.
const maxQuestionsPerArticle = 20

// UsedQuestions returns, by article URL, the citizen messages agents
// answered with the article: the latest inbound message before each reply
// that linked it and went out, newest first. A message its author unsent
// or deleted is passed over, as the agent no longer saw it, and a text
// rewritten for personal data is left out.
func (s *Store) UsedQuestions(ctx context.Context) (map[string][]string, error) {
	var rows []struct {
		URL  string `gorm:"column:url"`
		Text string `gorm:"column:text"`
	}
	err := s.conn(ctx).Raw(`SELECT u.url, m.text FROM answer_article_uses u
		JOIN messages r ON r.id = u.message_id
		JOIN messages m ON m.id = (SELECT q.id FROM messages q
			WHERE q.conversation_id = u.conversation_id AND q.direction = ? AND q.id < u.message_id AND q.deleted_at IS NULL
			ORDER BY q.id DESC LIMIT 1)
		JOIN conversations c ON c.id = m.conversation_id
		WHERE `+usedSQL+` AND `+textKeptSQL+`
		ORDER BY u.id DESC`, string(inbox.DirectionInbound), unsentDeliveries, pseudonymPattern).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "Article use")
	}
	out := map[string][]string{}
	for _, r := range rows {
		if r.Text != "" && len(out[r.URL]) < maxQuestionsPerArticle {
			out[r.URL] = append(out[r.URL], r.Text)
		}
	}
	return out, nil
}

// triageScan bounds how many recent triages the statistics read to find
// the questions without a good answer.
const triageScan = 5000

// ArticleStats reports the most used articles, counting replies that went
// out, and recent questions with no good suggestion.
func (s *Store) ArticleStats(ctx context.Context, f answers.StatsFilter) (*answers.Stats, error) {
	st := &answers.Stats{MostUsed: []answers.ArticleUse{}, Unanswered: []answers.OpenQuestion{}}
	since := toDBTime(f.Since)
	var used []struct {
		URL      string `gorm:"column:url"`
		Title    string `gorm:"column:title"`
		Uses     int    `gorm:"column:uses"`
		LastUsed dbTime `gorm:"column:last_used"`
	}
	q := s.conn(ctx).Table("answer_article_uses u").
		Select("u.url, COALESCE(a.title, '') AS title, COUNT(*) AS uses, MAX(u.created_at) AS last_used").
		Joins("JOIN messages r ON r.id = u.message_id").
		Joins("LEFT JOIN answer_articles a ON a.url = u.url").
		Where(usedSQL, unsentDeliveries).
		Group("u.url, a.title").Order("uses DESC, u.url").Limit(f.Limit)
	if !f.Since.IsZero() {
		q = q.Where("u.created_at >= ?", since)
	}
	if err := q.Scan(&used).Error; err != nil {
		return nil, translate(err, "Article use")
	}
	for _, u := range used {
		st.MostUsed = append(st.MostUsed, answers.ArticleUse{URL: u.URL, Title: u.Title, Uses: u.Uses, LastUsed: u.LastUsed.Time()})
	}
	open, err := s.openQuestions(ctx, f)
	if err != nil {
		return nil, err
	}
	st.Unanswered = append(st.Unanswered, open...)
	return st, nil
}

func (s *Store) openQuestions(ctx context.Context, f answers.StatsFilter) ([]answers.OpenQuestion, error) {
	var rows []struct {
		MessageID      int64  `gorm:"column:message_id"`
		ConversationID int64  `gorm:"column:conversation_id"`
		Result         string `gorm:"column:result"`
		TriagedAt      dbTime `gorm:"column:triaged_at"`
		Text           string `gorm:"column:text"`
	}
	q := s.conn(ctx).Table("message_triage t").
		Select("t.message_id, t.conversation_id, t.result, t.triaged_at, m.text").
		Joins("JOIN messages m ON m.id = t.message_id").
		Joins("JOIN conversations c ON c.id = m.conversation_id").
		// Agents no longer see a message its author unsent or deleted;
		// editors do not either.
		Where("m.deleted_at IS NULL AND "+textKeptSQL, pseudonymPattern).
		Order("t.triaged_at DESC, t.message_id DESC").Limit(triageScan)
	if !f.Since.IsZero() {
		q = q.Where("t.triaged_at >= ?", toDBTime(f.Since))
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, translate(err, "Triage")
	}
	var out []answers.OpenQuestion
	for _, r := range rows {
		if len(out) >= f.Limit {
			break
		}
		var t inbox.Triage
		if err := json.Unmarshal([]byte(r.Result), &t); err != nil {
			return nil, inbox.WrapError(inbox.EINTERNAL, err, "Internal error.")
		}
		if t.SuggestionsPending {
			// Its links were never looked up (shed under load): unknown,
			// not unanswerable.
			continue
		}
		oq := answers.OpenQuestion{MessageID: r.MessageID, ConversationID: r.ConversationID, Text: r.Text, At: r.TriagedAt.Time()}
		if len(t.Suggestions) > 0 {
			oq.TopScore, oq.TopURL = t.Suggestions[0].Score, t.Suggestions[0].URL
		}
		if oq.TopScore < f.MinScore {
			out = append(out, oq)
		}
	}
	return out, nil
}
