package answers

import "context"

// Store keeps the answer bank; the search index is rebuilt from it.
// inbox/sqlstore implements it on SQLite and PostgreSQL.
type Store interface {
	// ListArticles returns every article, active or not, ordered by URL.
	ListArticles(ctx context.Context) ([]*Article, error)
	// UpsertArticles adds the articles with new URLs and updates the
	// others, in one transaction, setting UpdatedAt on what changed.
	UpsertArticles(ctx context.Context, arts []*Article) (UpsertResult, error)
	// DeleteArticle removes the article with url; ENOTFOUND when none.
	DeleteArticle(ctx context.Context, url string) error
}

// UpsertResult counts what UpsertArticles did.
type UpsertResult struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Seed fills an empty store with the bundled answer bank, so the embedded
// default works with no configuration, and returns the stored articles.
func Seed(ctx context.Context, st Store) (arts []*Article, seeded bool, err error) {
	if arts, err = st.ListArticles(ctx); err != nil || len(arts) > 0 {
		return arts, false, err
	}
	bundled, err := BundledArticles()
	if err != nil {
		return nil, false, err
	}
	// Another instance starting on the same new database may seed it at
	// the same time; then this one adds nothing, and says so.
	res, err := st.UpsertArticles(ctx, bundled)
	if err != nil {
		return nil, false, err
	}
	arts, err = st.ListArticles(ctx)
	return arts, res.Added > 0, err
}
