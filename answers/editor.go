package answers

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"time"

	"inkorg/inbox"
)

// Audit actions of answer bank changes.
const (
	ActionArticleCreate     = "article.create"
	ActionArticleUpdate     = "article.update"
	ActionArticleDeactivate = "article.deactivate"
	ActionArticleDelete     = "article.delete"
)

// ArticleChange is one audited change of an article: who, when, and the
// article before and after (nil before a creation and after a deletion).
type ArticleChange struct {
	ID        int64     `json:"id"`
	ArticleID int64     `json:"article_id"`
	URL       string    `json:"url"`
	ActorID   int64     `json:"actor_id,omitempty"`
	Action    string    `json:"action"`
	Before    *Article  `json:"before"`
	After     *Article  `json:"after"`
	CreatedAt time.Time `json:"created_at"`
}

// EditStore is the answer bank as editors change it. Every change is
// stored with its ArticleChange in one transaction and bumps the bank's
// version.
type EditStore interface {
	Store
	// FindArticle returns the article with id; ENOTFOUND when none.
	FindArticle(ctx context.Context, id int64) (*Article, error)
	// CreateArticle stores a new article and sets its ID and UpdatedAt;
	// ECONFLICT when its URL is taken.
	CreateArticle(ctx context.Context, actorID int64, a *Article) error
	// UpdateArticle replaces article a.ID and returns what it was.
	UpdateArticle(ctx context.Context, actorID int64, a *Article, action string) (*Article, error)
	// RemoveArticle deletes article id and returns what it was.
	RemoveArticle(ctx context.Context, actorID, id int64) (*Article, error)
	// FindArticleChanges returns the audit of article id, oldest first.
	FindArticleChanges(ctx context.Context, id int64) ([]*ArticleChange, error)
	// Version is a number every change of the answer bank increases.
	Version(ctx context.Context) (int64, error)
}

// CanEditAnswers reports whether u may change the answer bank:
// supervisors and admins.
func CanEditAnswers(u *inbox.User) bool {
	return u != nil && (u.Role == inbox.RoleSupervisor || u.Role == inbox.RoleAdmin)
}

// Editor carries out editors' changes to the answer bank: it checks the
// actor's rights and the article, stores the change with its audit entry,
// and updates the search index.
type Editor struct {
	Store EditStore
	// Search is updated after every change; nil leaves indexing to the
	// Refresher.
	Search Search
	// Domains are the sites articles may link to (DefaultDomains when nil).
	Domains []string
	// KnownAdministration, when set, reports whether an administration id
	// is one of the routing targets: an article's administration must be
	// one (an article kept with another from before may keep it).
	KnownAdministration func(id string) bool
	Logger              *slog.Logger
}

func (e *Editor) allowed(actor *inbox.User) error {
	switch {
	case actor == nil:
		return inbox.Errorf(inbox.EUNAUTHORIZED, "Sign in to edit the answer bank.")
	case !CanEditAnswers(actor):
		return inbox.Errorf(inbox.EFORBIDDEN, "Only supervisors and admins can edit the answer bank.")
	}
	return nil
}

// List returns every article, active or not, ordered by URL.
func (e *Editor) List(ctx context.Context, actor *inbox.User) ([]*Article, error) {
	if err := e.allowed(actor); err != nil {
		return nil, err
	}
	return e.Store.ListArticles(ctx)
}

// Get returns article id with its changes, oldest first.
func (e *Editor) Get(ctx context.Context, actor *inbox.User, id int64) (*Article, []*ArticleChange, error) {
	if err := e.allowed(actor); err != nil {
		return nil, nil, err
	}
	a, err := e.Store.FindArticle(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	changes, err := e.Store.FindArticleChanges(ctx, id)
	return a, changes, err
}

// Create adds a new article; its URL is stored in canonical form
// (CanonicalURL), and one page is one article however its URL is spelt.
func (e *Editor) Create(ctx context.Context, actor *inbox.User, a *Article) (*Article, error) {
	if err := e.check(actor, a); err != nil {
		return nil, err
	}
	if err := e.checkAdministration(a, ""); err != nil {
		return nil, err
	}
	a.ID = 0
	if err := e.samePage(ctx, a); err != nil {
		return nil, err
	}
	if err := e.Store.CreateArticle(ctx, actor.ID, a); err != nil {
		return nil, err
	}
	e.index(ctx, a)
	return a, nil
}

// ErrArticleChanged is the message of an update refused because the
// article changed after the editor read it (ECONFLICT).
const ErrArticleChanged = "Someone else changed the article meanwhile; reload it and try again."

// Update replaces article a.ID; setting Active to false deactivates it
// (kept, not suggested). A changed URL removes the old one from the index.
// With a.UpdatedAt set (the time of the version the editor read), the
// update is refused with ErrArticleChanged when the article changed since.
// An update that changes nothing (see unchanged) stores and audits
// nothing and returns the stored article.
func (e *Editor) Update(ctx context.Context, actor *inbox.User, a *Article) (*Article, error) {
	if err := e.check(actor, a); err != nil {
		return nil, err
	}
	if err := e.samePage(ctx, a); err != nil {
		return nil, err
	}
	old, err := e.Store.FindArticle(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if err := e.checkAdministration(a, old.Administration); err != nil {
		return nil, err
	}
	if unchanged(old, a) {
		// Saving a form as it was loaded: nothing to store or audit.
		return old, nil
	}
	action := ActionArticleUpdate
	if old.Active && !a.Active {
		action = ActionArticleDeactivate
	}
	before, err := e.Store.UpdateArticle(ctx, actor.ID, a, action)
	if err != nil {
		return nil, err
	}
	if before.URL != a.URL {
		e.unindex(ctx, before.URL)
	}
	e.index(ctx, a)
	return a, nil
}

// Delete removes article id from the bank and the index.
func (e *Editor) Delete(ctx context.Context, actor *inbox.User, id int64) error {
	if err := e.allowed(actor); err != nil {
		return err
	}
	old, err := e.Store.RemoveArticle(ctx, actor.ID, id)
	if err != nil {
		return err
	}
	e.unindex(ctx, old.URL)
	return nil
}

func (e *Editor) check(actor *inbox.User, a *Article) error {
	if err := e.allowed(actor); err != nil {
		return err
	}
	domains := e.Domains
	if domains == nil {
		domains = DefaultDomains
	}
	err := normalize(a)
	if err == nil {
		err = a.Validate(domains)
	}
	if err == nil && hasNUL(a) {
		// PostgreSQL cannot store it, and an export would not import back.
		err = refusal("den innehåller ett NUL-tecken", "it contains a NUL character")
	}
	if err != nil {
		sv, en := halves(err)
		return inbox.Errorf(inbox.EINVALID, "Artikeln kan inte sparas: %s. / The article cannot be saved: %s.", sv, en)
	}
	return nil
}

// unchanged reports whether a, checked and normalised, is stored in every
// field an editor sets; a text stored with CR LF line ends that a has as
// LF is the same text.
func unchanged(stored, a *Article) bool {
	return stored.Title == a.Title && stored.URL == a.URL && sameText(stored.Summary, a.Summary) && sameText(stored.Body, a.Body) &&
		stored.Administration == a.Administration && stored.Language == a.Language && stored.Topic == a.Topic &&
		stored.Active == a.Active && slices.Equal(stored.Keywords, a.Keywords) && slices.Equal(stored.Tags, a.Tags) &&
		slices.Equal(stored.Synonyms, a.Synonyms) && maps.EqualFunc(stored.Templates, a.Templates, sameText)
}

// checkAdministration refuses an administration that is no routing
// target, unless it is the one the article had (kept).
func (e *Editor) checkAdministration(a *Article, kept string) error {
	if a.Administration == "" || a.Administration == kept || e.KnownAdministration == nil || e.KnownAdministration(a.Administration) {
		return nil
	}
	return inbox.Errorf(inbox.EINVALID, "Artikeln kan inte sparas: det finns ingen förvaltning %q. / The article cannot be saved: there is no administration %q.",
		a.Administration, a.Administration)
}

// samePage refuses a's URL when another stored article has it in another
// spelling: one stored before URLs were canonical, which the store's own
// check of the exact URL lets through.
func (e *Editor) samePage(ctx context.Context, a *Article) error {
	arts, err := e.Store.ListArticles(ctx)
	if err != nil {
		return err
	}
	for _, o := range arts {
		if o.ID != a.ID && o.URL != a.URL && canonicalOrSame(o.URL) == a.URL {
			return inbox.Errorf(inbox.ECONFLICT, "Artikel %d länkar redan till den här sidan som %s; redigera den i stället. / Article %d already links this page as %s; edit that one instead.",
				o.ID, o.URL, o.ID, o.URL)
		}
	}
	return nil
}

// index and unindex keep the search current. The change is already
// stored, so a failure here is logged, not returned: the Refresher brings
// the index up to date from the store.
func (e *Editor) index(ctx context.Context, a *Article) {
	if e.Search == nil {
		return
	}
	if err := e.Search.Index(ctx, a); err != nil {
		e.log().Warn("answer index update failed; the next refresh retries", "url", a.URL, "err", err)
	}
}

func (e *Editor) unindex(ctx context.Context, url string) {
	if e.Search == nil {
		return
	}
	if err := e.Search.Delete(ctx, url); err != nil {
		e.log().Warn("answer index delete failed; the next refresh retries", "url", url, "err", err)
	}
}

func (e *Editor) log() *slog.Logger {
	if e.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Logger
}
