package web

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/answers"
	"inkorg/inbox"
)

// articleStatsDays is how far back the editor's statistics look.
const articleStatsDays = 30

// articleStatsLimit caps each statistics list on the editor's page.
const articleStatsLimit = 10

// articlesData is what the answer bank editor's list shows.
type articlesData struct {
	Query    string
	Articles []*answers.Article
	Total    int
	// Stats is nil when the use statistics are not available.
	Stats     *answers.Stats
	StatsDays int
	names     map[string]string
}

// AdminName is the display name of an administration id.
func (d articlesData) AdminName(id string) string { return usersData{names: d.names}.AdminName(id) }

// articleForm is an article as entered; Keywords, Tags and Synonyms hold
// one item a line.
type articleForm struct {
	ID             int64
	Title          string
	URL            string
	Summary        string
	Body           string
	Keywords       string
	Administration string
	Language       string
	Topic          string
	Tags           string
	Synonyms       string
	TemplateSV     string
	TemplateEN     string
	Active         bool
	// Version is the article's update time when the page was made
	// (RFC 3339), so that saving refuses to write over a later change.
	Version string
}

// articleData is what one article's page shows.
type articleData struct {
	Form    articleForm
	Admins  []Administration
	Domains string
	History []articleHistory
	Errors  formErrors
}

// articleHistory is one audited change of an article, with the actor's
// name.
type articleHistory struct {
	*answers.ArticleChange
	Actor string
}

// Articles serves GET /admin/answers[?q=text]: the answer bank, active
// and not, filtered by q, with the most used answers and the latest
// questions without a good answer. Supervisors and admins.
func (ui *UI) Articles(c echo.Context) error {
	if ui.articles == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	ctx, me := c.Request().Context(), currentUser(c)
	all, err := ui.articles.List(ctx, me)
	if err != nil {
		return ui.fail(c, err)
	}
	q := strings.TrimSpace(c.QueryParam("q"))
	d := articlesData{Query: q, Total: len(all), StatsDays: articleStatsDays, names: ui.names}
	for _, a := range all {
		if articleMatches(a, q) {
			d.Articles = append(d.Articles, a)
		}
	}
	if ui.cfg.AnswerUses != nil && answers.CanReadAnswerStats(me) {
		f := answers.StatsFilter{Since: ui.cfg.Now().AddDate(0, 0, -articleStatsDays), MinScore: answers.DefaultMinScore,
			Limit: articleStatsLimit}
		if d.Stats, err = ui.cfg.AnswerUses.ArticleStats(ctx, f); err != nil {
			return ui.fail(c, err)
		}
	}
	p := ui.newPage(c, "articles.title", "admin")
	p.Data = d
	return ui.render(c, http.StatusOK, "articles", p)
}

// articleMatches reports whether every word of q is in a's title, URL,
// summary, keywords, synonyms or tags, ignoring case.
func articleMatches(a *answers.Article, q string) bool {
	text := strings.ToLower(strings.Join(append(append(append([]string{a.Title, a.URL, a.Summary, a.Administration},
		a.Keywords...), a.Synonyms...), a.Tags...), "\n"))
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// NewArticleForm serves GET /admin/answers/new.
func (ui *UI) NewArticleForm(c echo.Context) error {
	if ui.articles == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	if !answers.CanEditAnswers(currentUser(c)) {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	return ui.renderArticle(c, http.StatusOK, articleForm{Language: "sv", Active: true}, nil, formErrors{})
}

// Article serves GET /admin/answers/:id: the article's form and history.
func (ui *UI) Article(c echo.Context) error {
	if ui.articles == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	id, ok := pathID(c)
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	a, history, err := ui.articles.Get(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return ui.fail(c, err)
	}
	return ui.renderArticle(c, http.StatusOK, formOfArticle(a), history, formErrors{})
}

func (ui *UI) renderArticle(c echo.Context, status int, f articleForm, history []*answers.ArticleChange, errs formErrors) error {
	title := "articles.new"
	if f.ID != 0 {
		title = "articles.edit"
	}
	d := articleData{Form: f, Admins: ui.cfg.Administrations, Domains: strings.Join(ui.articleDomains(), ", "), Errors: errs}
	if len(history) > 0 {
		names, err := ui.userNames(c)
		if err != nil {
			return ui.fail(c, err)
		}
		for _, ch := range history {
			d.History = append(d.History, articleHistory{ArticleChange: ch, Actor: names[ch.ActorID]})
		}
	}
	p := ui.newPage(c, title, "admin")
	p.Data = d
	return ui.render(c, status, "article", p)
}

func (ui *UI) articleDomains() []string {
	if ui.articles.Domains != nil {
		return ui.articles.Domains
	}
	return answers.DefaultDomains
}

// CreateArticle serves POST /admin/answers.
func (ui *UI) CreateArticle(c echo.Context) error { return ui.saveArticle(c, 0) }

// UpdateArticle serves POST /admin/answers/:id.
func (ui *UI) UpdateArticle(c echo.Context) error {
	id, ok := pathID(c)
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	return ui.saveArticle(c, id)
}

// saveArticle creates (id 0) or replaces an article from the form. What
// the form has no field for (templates in other languages, questions
// learnt from use) is kept from the stored article.
func (ui *UI) saveArticle(c echo.Context, id int64) error {
	if ui.articles == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	ctx, me, lang := c.Request().Context(), currentUser(c), langOf(c)
	if !answers.CanEditAnswers(me) {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	f := readArticleForm(c)
	f.ID = id
	errs := checkArticleForm(lang, f, ui.articleDomains())
	if !errs.Any() {
		a := &answers.Article{}
		if id != 0 {
			old, _, err := ui.articles.Get(ctx, me, id)
			if err != nil {
				return ui.fail(c, err)
			}
			a = old
		}
		f.apply(a)
		readVersion(a, f.Version)
		if key, bad := badTemplateLanguage(a); bad {
			// Kept from the stored article, which the form cannot change.
			errs.add("templates", fmt.Sprintf(translate(lang, "articles.err.template_language"), key))
			return ui.renderArticle(c, http.StatusUnprocessableEntity, f, nil, errs)
		}
		var err error
		if id == 0 {
			_, err = ui.articles.Create(ctx, me, a)
		} else {
			_, err = ui.articles.Update(ctx, me, a)
		}
		if err == nil {
			setFlash(c, "ok", "flash.article_saved", lang)
			return c.Redirect(http.StatusSeeOther, articleURL(a.ID))
		}
		switch {
		case inbox.ErrorCode(err) == inbox.ECONFLICT && inbox.ErrorMessage(err) == answers.ErrArticleChanged:
			errs.add("", translate(lang, "articles.err.changed"))
		case inbox.ErrorCode(err) == inbox.ECONFLICT:
			errs.add("url", translate(lang, "articles.err.duplicate"))
		default:
			if err := formFailure(lang, err, errs, ""); err != nil {
				return ui.fail(c, err)
			}
		}
	}
	return ui.renderArticle(c, http.StatusUnprocessableEntity, f, nil, errs)
}

// SetArticleActive serves POST /admin/answers/:id/active with
// active=false to deactivate (kept, not suggested) or true to activate.
func (ui *UI) SetArticleActive(c echo.Context) error {
	if ui.articles == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	id, ok := pathID(c)
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	ctx, me := c.Request().Context(), currentUser(c)
	if !answers.CanEditAnswers(me) {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	a, _, err := ui.articles.Get(ctx, me, id)
	if err == nil {
		readVersion(a, c.FormValue("version"))
		a.Active = c.FormValue("active") == "true"
		_, err = ui.articles.Update(ctx, me, a)
	}
	okKey := "flash.article_deactivated"
	if err == nil && a.Active {
		okKey = "flash.article_activated"
	}
	back := articleURL(id)
	if inbox.ErrorCode(err) == inbox.ENOTFOUND {
		// The article's page would only say again that it is gone.
		back = "/admin/answers"
	}
	return ui.done(c, err, okKey, back)
}

// DeleteArticle serves POST /admin/answers/:id/delete.
func (ui *UI) DeleteArticle(c echo.Context) error {
	if ui.articles == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	id, ok := pathID(c)
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	if !answers.CanEditAnswers(currentUser(c)) {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	err := ui.articles.Delete(c.Request().Context(), currentUser(c), id)
	return ui.done(c, err, "flash.article_deleted", "/admin/answers")
}

func formOfArticle(a *answers.Article) articleForm {
	return articleForm{ID: a.ID, Title: a.Title, URL: a.URL, Summary: a.Summary, Body: a.Body,
		Keywords: strings.Join(a.Keywords, "\n"), Administration: a.Administration, Language: a.Language, Topic: a.Topic,
		Tags: strings.Join(a.Tags, "\n"), Synonyms: strings.Join(a.Synonyms, "\n"),
		TemplateSV: a.Templates["sv"], TemplateEN: a.Templates["en"], Active: a.Active,
		Version: a.UpdatedAt.UTC().Format(time.RFC3339Nano)}
}

// readArticleForm reads the form as posted. Summary, body and templates
// are kept as written, as the editor stores them (the CR LF line ends a
// textarea sends are read as LF there), so that a form saved unchanged
// is the article it showed.
func readArticleForm(c echo.Context) articleForm {
	return articleForm{Title: strings.TrimSpace(c.FormValue("title")), URL: strings.TrimSpace(c.FormValue("url")),
		Summary: c.FormValue("summary"), Body: c.FormValue("body"),
		Keywords: c.FormValue("keywords"), Administration: c.FormValue("administration"),
		Language: strings.TrimSpace(c.FormValue("language")), Topic: strings.TrimSpace(c.FormValue("topic")),
		Tags: c.FormValue("tags"), Synonyms: c.FormValue("synonyms"),
		TemplateSV: c.FormValue("template_sv"), TemplateEN: c.FormValue("template_en"),
		Active: c.FormValue("active") == "on", Version: c.FormValue("version")}
}

// readVersion sets a.UpdatedAt to the version a page was made from, when
// the form carries one, so that the update is refused if the article
// changed since (answers.ErrArticleChanged).
func readVersion(a *answers.Article, version string) {
	if t, err := time.Parse(time.RFC3339Nano, version); err == nil {
		a.UpdatedAt = t
	}
}

// apply sets a's fields from the form.
func (f articleForm) apply(a *answers.Article) {
	a.ID, a.Title, a.URL, a.Summary, a.Body = f.ID, f.Title, f.URL, f.Summary, f.Body
	a.Keywords, a.Tags, a.Synonyms = splitLines(f.Keywords), splitLines(f.Tags), splitLines(f.Synonyms)
	a.Administration, a.Language, a.Topic, a.Active = f.Administration, f.Language, f.Topic, f.Active
	if a.Templates == nil {
		a.Templates = map[string]string{}
	}
	for lang, text := range map[string]string{"sv": f.TemplateSV, "en": f.TemplateEN} {
		if strings.TrimSpace(text) == "" {
			delete(a.Templates, lang)
		} else {
			a.Templates[lang] = text
		}
	}
	if len(a.Templates) == 0 {
		a.Templates = nil
	}
}

// splitLines reads a list field of the article form: one item a line, so
// that an item may hold a comma ("Göteborg, stad"); items trimmed, empty
// lines dropped, the order and any repeats kept as the editor stores them.
func splitLines(s string) []string {
	var out []string
	for _, item := range strings.Split(s, "\n") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// checkArticleForm says, per field, what keeps the form from being an
// article: the editor checks the same, this says it in the user's
// language next to the field.
func checkArticleForm(lang string, f articleForm, domains []string) formErrors {
	errs := formErrors{}
	if f.Title == "" {
		errs.add("title", translate(lang, "articles.err.title"))
	}
	canon, err := answers.CanonicalURL(f.URL)
	var u *url.URL
	if err == nil {
		u, err = url.Parse(canon)
	}
	switch {
	case f.URL == "":
		errs.add("url", translate(lang, "articles.err.url"))
	case err != nil || u.Host == "":
		errs.add("url", translate(lang, "articles.err.url_invalid"))
	case u.Scheme != "https":
		errs.add("url", translate(lang, "articles.err.https"))
	case u.Port() != "":
		errs.add("url", translate(lang, "articles.err.port"))
	case !onDomains(u.Hostname(), domains):
		errs.add("url", translate(lang, "articles.err.domain")+" "+strings.Join(domains, ", "))
	}
	if f.Language != "" && !formLanguageCode.MatchString(strings.ToLower(f.Language)) {
		errs.add("language", translate(lang, "rules.err.language"))
	}
	return errs
}

// badTemplateLanguage returns the first key of a's templates that is not
// a language code, as the editor refuses it; an article stored before
// the editor checked them may have one in a language the form has no
// field for.
func badTemplateLanguage(a *answers.Article) (string, bool) {
	for _, k := range slices.Sorted(maps.Keys(a.Templates)) {
		if !formLanguageCode.MatchString(strings.ToLower(strings.TrimSpace(k))) && strings.TrimSpace(a.Templates[k]) != "" {
			return k, true
		}
	}
	return "", false
}

// onDomains reports whether host is one of domains or a subdomain of one.
func onDomains(host string, domains []string) bool {
	host = strings.ToLower(host)
	for _, d := range domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

func articleURL(id int64) string { return "/admin/answers/" + strconv.FormatInt(id, 10) }
