package sqlstore

import (
	"context"
	"encoding/json"

	"gorm.io/gorm"

	"inkorg/answers"
	"inkorg/inbox"
)

var _ answers.EditStore = (*Store)(nil)

type articleAuditRow struct {
	ID        int64  `gorm:"column:id;primaryKey"`
	ArticleID int64  `gorm:"column:article_id"`
	URL       string `gorm:"column:url"`
	ActorID   *int64 `gorm:"column:actor_id"`
	Action    string `gorm:"column:action"`
	Before    string `gorm:"column:before_doc"`
	After     string `gorm:"column:after_doc"`
	CreatedAt dbTime `gorm:"column:created_at;autoCreateTime:false"`
}

func (articleAuditRow) TableName() string { return "answer_article_audit" }

func (r *articleAuditRow) toDomain() (*answers.ArticleChange, error) {
	c := &answers.ArticleChange{ID: r.ID, ArticleID: r.ArticleID, URL: r.URL, ActorID: idOf(r.ActorID),
		Action: r.Action, CreatedAt: r.CreatedAt.Time()}
	for _, f := range []struct {
		src string
		dst **answers.Article
	}{{r.Before, &c.Before}, {r.After, &c.After}} {
		if f.src == "" {
			continue
		}
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// articleDoc is an article as an audit entry keeps it ("" for none).
func articleDoc(a *answers.Article) (string, error) {
	if a == nil {
		return "", nil
	}
	b, err := json.Marshal(a)
	return string(b), err
}

// bumpAnswerVersion marks the answer bank changed, inside tx.
func bumpAnswerVersion(tx *gorm.DB) error {
	return tx.Exec("UPDATE answer_bank_version SET version = version + 1 WHERE id = 1").Error
}

// bumpAnswerVersionIfLearnt marks the answer bank changed when a reply in
// one of the conversations linked an article: a citizen question there
// may be learnt search text (see UsedQuestions), which the indexes read
// again when the version moves, so an unsent, edited or removed question
// leaves them.
func bumpAnswerVersionIfLearnt(tx *gorm.DB, convIDs []int64) error {
	if len(convIDs) == 0 {
		return nil
	}
	return tx.Exec("UPDATE answer_bank_version SET version = version + 1 WHERE id = 1"+
		" AND EXISTS (SELECT 1 FROM answer_article_uses WHERE conversation_id IN ?)", convIDs).Error
}

// Version returns the answer bank's change counter.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	err := s.conn(ctx).Raw("SELECT version FROM answer_bank_version WHERE id = 1").Scan(&v).Error
	return v, translate(err, "Answer bank version")
}

// FindArticle returns the article with id.
func (s *Store) FindArticle(ctx context.Context, id int64) (*answers.Article, error) {
	a, err := findArticle(s.conn(ctx), id)
	return a, translate(err, "Article")
}

func findArticle(tx *gorm.DB, id int64) (*answers.Article, error) {
	var row articleRow
	if err := tx.Where("id = ?", id).Take(&row).Error; err != nil {
		return nil, err
	}
	return row.toDomain()
}

// CreateArticle stores a new article with its audit entry.
func (s *Store) CreateArticle(ctx context.Context, actorID int64, a *answers.Article) error {
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		row, err := toArticleRow(a)
		if err != nil {
			return err
		}
		row.UpdatedAt = s.now()
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		a.ID, a.UpdatedAt = row.ID, row.UpdatedAt.Time()
		return s.auditArticle(tx, actorID, answers.ActionArticleCreate, nil, a)
	})
	return translate(err, "Article")
}

// UpdateArticle replaces article a.ID with its audit entry. With
// a.UpdatedAt set, only while the article is still at that time: an
// editor's change is not written over one saved after they read it.
func (s *Store) UpdateArticle(ctx context.Context, actorID int64, a *answers.Article, action string) (*answers.Article, error) {
	var before *answers.Article
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		if before, err = findArticle(tx, a.ID); err != nil {
			return err
		}
		row, err := toArticleRow(a)
		if err != nil {
			return err
		}
		row.ID, row.UpdatedAt = a.ID, s.now()
		q := tx.Model(&articleRow{}).Where("id = ?", a.ID)
		if !a.UpdatedAt.IsZero() {
			q = q.Where("updated_at = ?", toDBTime(a.UpdatedAt))
		}
		res := q.Select("*").Omit("id").Updates(&row)
		switch {
		case res.Error != nil:
			return res.Error
		case res.RowsAffected == 0:
			return inbox.Errorf(inbox.ECONFLICT, answers.ErrArticleChanged)
		}
		a.UpdatedAt = row.UpdatedAt.Time()
		if row.URL != before.URL {
			if err := moveArticleUses(tx, before.URL, row.URL); err != nil {
				return err
			}
		}
		return s.auditArticle(tx, actorID, action, before, a)
	})
	if err != nil {
		return nil, translate(err, "Article")
	}
	return before, nil
}

// moveArticleUses gives an article whose page moved (an editor changed
// its URL) the uses it had under the old URL, with the questions learnt
// from them, rather than leaving them to an article that no longer
// exists. A reply that linked both keeps one use.
func moveArticleUses(tx *gorm.DB, from, to string) error {
	err := tx.Exec(`DELETE FROM answer_article_uses WHERE url = ? AND message_id IN
		(SELECT message_id FROM answer_article_uses WHERE url = ?)`, from, to).Error
	if err != nil {
		return err
	}
	return tx.Exec(`UPDATE answer_article_uses SET url = ? WHERE url = ?`, to, from).Error
}

// RemoveArticle deletes article id with its audit entry.
func (s *Store) RemoveArticle(ctx context.Context, actorID, id int64) (*answers.Article, error) {
	var before *answers.Article
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		if before, err = findArticle(tx, id); err != nil {
			return err
		}
		if err := tx.Where("id = ?", id).Delete(&articleRow{}).Error; err != nil {
			return err
		}
		return s.auditArticle(tx, actorID, answers.ActionArticleDelete, before, nil)
	})
	if err != nil {
		return nil, translate(err, "Article")
	}
	return before, nil
}

// auditArticle records a change and bumps the bank's version, inside tx.
func (s *Store) auditArticle(tx *gorm.DB, actorID int64, action string, before, after *answers.Article) error {
	row, err := articleAudit(actorID, action, before, after, s.now())
	if err != nil {
		return err
	}
	if err := tx.Create(&row).Error; err != nil {
		return err
	}
	return bumpAnswerVersion(tx)
}

// articleAudit is the audit entry of a change of an article by actorID (0:
// no user, as for an import), with the article before (nil for a
// creation) and after (nil for a deletion).
func articleAudit(actorID int64, action string, before, after *answers.Article, at dbTime) (articleAuditRow, error) {
	row := articleAuditRow{ActorID: nullID(actorID), Action: action, CreatedAt: at}
	for _, a := range []*answers.Article{before, after} {
		if a != nil {
			row.ArticleID, row.URL = a.ID, a.URL
		}
	}
	var err error
	if row.Before, err = articleDoc(before); err != nil {
		return row, err
	}
	row.After, err = articleDoc(after)
	return row, err
}

// FindArticleChanges returns the audit entries of article id, oldest first.
func (s *Store) FindArticleChanges(ctx context.Context, id int64) ([]*answers.ArticleChange, error) {
	var rows []articleAuditRow
	if err := s.conn(ctx).Where("article_id = ?", id).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "Article change")
	}
	out := make([]*answers.ArticleChange, len(rows))
	for i := range rows {
		c, err := rows[i].toDomain()
		if err != nil {
			return nil, inbox.WrapError(inbox.EINTERNAL, err, "Internal error.")
		}
		out[i] = c
	}
	return out, nil
}
