package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"inkorg/answers"
	"inkorg/inbox"
)

var _ answers.Store = (*Store)(nil)

type articleRow struct {
	ID             int64  `gorm:"column:id;primaryKey"`
	URL            string `gorm:"column:url"`
	Title          string `gorm:"column:title"`
	Summary        string `gorm:"column:summary"`
	Body           string `gorm:"column:body"`
	Administration string `gorm:"column:administration"`
	Language       string `gorm:"column:language"`
	Topic          string `gorm:"column:topic"`
	Keywords       string `gorm:"column:keywords"`
	Tags           string `gorm:"column:tags"`
	Synonyms       string `gorm:"column:synonyms"`
	Templates      string `gorm:"column:templates"`
	Active         bool   `gorm:"column:active"`
	UpdatedAt      dbTime `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (articleRow) TableName() string { return "answer_articles" }

// articleBatch is how many rows one INSERT or lookup handles, well under
// SQLite's limit on bound parameters.
const articleBatch = 200

func toArticleRow(a *answers.Article) (articleRow, error) {
	r := articleRow{
		URL: a.URL, Title: a.Title, Summary: a.Summary, Body: a.Body,
		Administration: a.Administration, Language: a.Language, Topic: a.Topic,
		Active: a.Active, UpdatedAt: toDBTime(a.UpdatedAt),
	}
	var err error
	for _, f := range []struct {
		dst *string
		v   any
	}{{&r.Keywords, nonNil(a.Keywords)}, {&r.Tags, nonNil(a.Tags)}, {&r.Synonyms, nonNil(a.Synonyms)}, {&r.Templates, nonNilMap(a.Templates)}} {
		var b []byte
		if b, err = json.Marshal(f.v); err != nil {
			return r, err
		}
		*f.dst = string(b)
	}
	return r, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func (r *articleRow) toDomain() (*answers.Article, error) {
	a := &answers.Article{
		ID: r.ID, URL: r.URL, Title: r.Title, Summary: r.Summary, Body: r.Body,
		Administration: r.Administration, Language: r.Language, Topic: r.Topic,
		Active: r.Active, UpdatedAt: r.UpdatedAt.Time(),
	}
	for _, f := range []struct {
		src string
		dst any
	}{{r.Keywords, &a.Keywords}, {r.Tags, &a.Tags}, {r.Synonyms, &a.Synonyms}, {r.Templates, &a.Templates}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return nil, fmt.Errorf("article %q: %w", r.URL, err)
		}
	}
	if len(a.Keywords) == 0 {
		a.Keywords = nil
	}
	if len(a.Tags) == 0 {
		a.Tags = nil
	}
	if len(a.Synonyms) == 0 {
		a.Synonyms = nil
	}
	if len(a.Templates) == 0 {
		a.Templates = nil
	}
	return a, nil
}

// ListArticles returns the whole answer bank ordered by URL.
func (s *Store) ListArticles(ctx context.Context) ([]*answers.Article, error) {
	var rows []articleRow
	if err := s.conn(ctx).Order("url").Find(&rows).Error; err != nil {
		return nil, translate(err, "Article")
	}
	out := make([]*answers.Article, len(rows))
	for i := range rows {
		a, err := rows[i].toDomain()
		if err != nil {
			return nil, inbox.WrapError(inbox.EINTERNAL, err, "Internal error.")
		}
		out[i] = a
	}
	return out, nil
}

// UpsertArticles adds new URLs and updates changed articles in one
// transaction, each with its audit entry; an article equal to the stored
// one is left alone.
func (s *Store) UpsertArticles(ctx context.Context, arts []*answers.Article) (answers.UpsertResult, error) {
	imps := make([]answers.Import, len(arts))
	for i, a := range arts {
		imps[i] = answers.Import{Article: a, Given: answers.AllFields}
	}
	return s.ImportArticles(ctx, imps)
}

// ImportArticles stores an import file's articles in one transaction: a
// new URL is added as its article says, a stored article takes the fields
// its import gives (answers.Import.Merge) and keeps the others, and one
// that ends up as it was is left alone. Every article added or changed
// gets an audit entry, answers.ActionArticleImport with no actor and the
// article before and after.
//
// An import that adds an article another one adds at the same time (two
// instances seeding a new database at start, two editors importing the
// same file) runs again, and then finds the other's article stored.
func (s *Store) ImportArticles(ctx context.Context, imps []answers.Import) (answers.UpsertResult, error) {
	var res answers.UpsertResult
	for i, im := range imps {
		if im.Title == "" || im.URL == "" {
			return res, inbox.Errorf(inbox.EINVALID, "Article %d needs a title and a URL.", i+1)
		}
	}
	var err error
	for range txAttempts {
		now := s.now()
		err = s.inTxRetry(ctx, func(tx *gorm.DB) error {
			res = answers.UpsertResult{}
			for chunk := range slices.Chunk(imps, articleBatch) {
				if err := importChunk(tx, chunk, now, &res); err != nil {
					return err
				}
			}
			if res.Added+res.Updated == 0 {
				return nil
			}
			return bumpAnswerVersion(tx)
		})
		if classify(err) != classConflict || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		return answers.UpsertResult{}, translate(err, "Article")
	}
	return res, nil
}

func importChunk(tx *gorm.DB, chunk []answers.Import, now dbTime, res *answers.UpsertResult) error {
	urls := make([]string, len(chunk))
	for i, im := range chunk {
		urls[i] = im.URL
	}
	var existing []articleRow
	if err := tx.Where("url IN ?", urls).Find(&existing).Error; err != nil {
		return err
	}
	stored := make(map[string]*articleRow, len(existing))
	for i := range existing {
		stored[existing[i].URL] = &existing[i]
	}
	var fresh []articleRow
	var freshArts []*answers.Article
	var audits []articleAuditRow
	for _, im := range chunk {
		old := stored[im.URL]
		var before *answers.Article
		if old != nil {
			var err error
			if before, err = old.toDomain(); err != nil {
				return err
			}
		}
		// A copy: the stored ID and time go on it, not on the caller's.
		after := *im.Merge(before)
		row, err := toArticleRow(&after)
		if err != nil {
			return err
		}
		switch {
		case old == nil:
			row.UpdatedAt = now
			fresh = append(fresh, row)
			freshArts = append(freshArts, &after)
			res.Added++
		case sameArticle(*old, row):
			res.Unchanged++
		default:
			row.ID, row.UpdatedAt = old.ID, now
			if err := tx.Select("*").Save(&row).Error; err != nil {
				return err
			}
			after.ID, after.UpdatedAt = row.ID, now.Time()
			audit, err := articleAudit(0, answers.ActionArticleImport, before, &after, now)
			if err != nil {
				return err
			}
			audits = append(audits, audit)
			res.Updated++
		}
	}
	if len(fresh) > 0 {
		if err := tx.CreateInBatches(fresh, articleBatch).Error; err != nil {
			return err
		}
		for i, a := range freshArts {
			a.ID, a.UpdatedAt = fresh[i].ID, now.Time()
			audit, err := articleAudit(0, answers.ActionArticleImport, nil, a, now)
			if err != nil {
				return err
			}
			audits = append(audits, audit)
		}
	}
	if len(audits) == 0 {
		return nil
	}
	return tx.CreateInBatches(audits, articleBatch).Error
}

// sameArticle reports whether a stored row already says what r says.
func sameArticle(stored, r articleRow) bool {
	stored.ID, stored.UpdatedAt = 0, dbTime{}
	r.ID, r.UpdatedAt = 0, dbTime{}
	return stored == r
}

// DeleteArticle removes the article with url.
func (s *Store) DeleteArticle(ctx context.Context, url string) error {
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("url = ?", url).Delete(&articleRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return inbox.Errorf(inbox.ENOTFOUND, "Article not found.")
		}
		return bumpAnswerVersion(tx)
	})
	return translate(err, "Article")
}
