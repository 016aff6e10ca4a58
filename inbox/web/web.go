// Package web is inkorg's staff web UI: server-rendered pages from
// embedded html/template templates, all parsed at start, with
// post/redirect/get, flash messages and a CSRF token on every form, and a
// small script for live updates and keyboard shortcuts. Handlers call the
// domain (inbox.Service, inbox.Store, answers) directly. The routes are
// listed in inbox/httpapi/routes.go.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/businesstime"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Administration is a routing target staff can send a conversation to.
type Administration struct {
	ID   string
	Name string
}

// Config is what the UI needs.
type Config struct {
	Store    inbox.Store
	Service  *inbox.Service
	Sessions *inbox.Sessions
	// Answers backs the suggestions; nil shows none.
	Answers answers.Search
	// Administrations are the routing targets, in the order to list them.
	Administrations []Administration
	Logger          *slog.Logger
	// Now is the clock; the wall clock when nil.
	Now inbox.Clock
	// OIDC, when set, offers single sign-on besides passwords.
	OIDC *OIDC
	// LoginBurst and LoginEvery limit sign-in attempts per client address:
	// LoginBurst at once, then one per LoginEvery (DefaultLoginBurst and
	// DefaultLoginEvery when zero).
	LoginBurst int
	LoginEvery time.Duration
	// Location is the zone staff enter and read times in (snooze, the
	// dashboard's days); the SLA calendar's (Europe/Stockholm) when nil.
	Location *time.Location
	// Reports backs the dashboard; one on Store in Location when nil.
	Reports *inbox.ReportService
	// AnswerEditor backs the answer bank editor pages; nil leaves them
	// out.
	AnswerEditor *answers.Editor
	// AnswerUses backs the editor's statistics; nil shows none.
	AnswerUses answers.UseStore
}

// UI is the staff web UI's handlers.
type UI struct {
	cfg     Config
	pages   map[string]*template.Template
	limiter *loginLimiter
	static  http.Handler
	names   map[string]string
	// moderation serves the moderation queue; nil when the store keeps
	// none.
	moderation *inbox.Moderation
	// users, rules and articles serve the admin pages; users is nil when
	// the store cannot manage users, articles when there is no editor.
	users    *inbox.UserAdmin
	rules    *inbox.Rules
	articles *answers.Editor
}

// pageNames are the templates under templates/, each parsed with layout.
var pageNames = []string{"login", "inbox", "conversation", "dashboard", "admin", "moderation", "error",
	"users", "user", "rules", "rule", "articles", "article"}

// New parses every template and returns the UI.
func New(cfg Config) (*UI, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().UTC() }
	}
	if cfg.LoginBurst <= 0 {
		cfg.LoginBurst = DefaultLoginBurst
	}
	if cfg.LoginEvery <= 0 {
		cfg.LoginEvery = DefaultLoginEvery
	}
	if cfg.Location == nil {
		cfg.Location = businesstime.Default().Location()
	}
	if cfg.Reports == nil && cfg.Store != nil {
		cfg.Reports = &inbox.ReportService{Store: cfg.Store, Location: cfg.Location, Now: cfg.Now}
	}
	ui := &UI{cfg: cfg, pages: map[string]*template.Template{}, limiter: newLoginLimiter(cfg.LoginEvery, cfg.LoginBurst),
		names: map[string]string{}}
	for _, a := range cfg.Administrations {
		ui.names[a.ID] = a.Name
	}
	if store, ok := cfg.Store.(inbox.ModerationStores); ok && cfg.Service != nil {
		ui.moderation = &inbox.Moderation{Store: store, Service: cfg.Service}
	}
	ui.setUpAdmin()
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(templateFuncs(cfg.Location)).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		ui.pages[name] = t
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	ui.static = http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	return ui, nil
}

// contentSecurityPolicy allows only inkorg's own script and style files:
// no inline script or style, no framing, forms only to inkorg.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SecurityHeaders sets the headers every UI response carries.
func (ui *UI) SecurityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		return next(c)
	}
}

// Static serves the embedded style sheet and script.
func (ui *UI) Static(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	ui.static.ServeHTTP(c.Response(), c.Request())
	return nil
}

// page is what every template gets.
type page struct {
	Lang    string
	User    *inbox.User
	CSRF    string
	Flash   *flash
	Title   string
	Nav     string
	Data    any
	ShowNav bool
	// Now is when the page is made.
	Now time.Time
	// Back is where switching the language comes back to: the page
	// itself when it was asked for with GET, so that the switch works
	// without the script too, else the inbox.
	Back string
}

// T translates key into the page's language.
func (p *page) T(key string) string { return translate(p.Lang, key) }

// Tf translates key and formats it with args.
func (p *page) Tf(key string, args ...any) string {
	return fmt.Sprintf(translate(p.Lang, key), args...)
}

// Action names an audited action in the page's language, or shows its
// code when it has no name.
func (p *page) Action(code string) string {
	if _, ok := messages["action."+code]; ok {
		return p.T("action." + code)
	}
	return code
}

// SLA is the state of a conversation's response-time clock now, "" when
// it has none or it stopped.
func (p *page) SLA(c *inbox.Conversation) string {
	if c.SLA == nil || !c.SLA.Running {
		return ""
	}
	return string(c.SLA.StateAt(p.Now))
}

// render writes the page template name with status.
func (ui *UI) render(c echo.Context, status int, name string, p *page) error {
	return ui.renderTemplate(c, status, name, "layout", p)
}

// renderTemplate executes one named template of a page set.
func (ui *UI) renderTemplate(c echo.Context, status int, set, name string, p *page) error {
	var buf bytes.Buffer
	if err := ui.pages[set].ExecuteTemplate(&buf, name, p); err != nil {
		ui.cfg.Logger.Error("render page", slog.String("page", set), slog.Any("err", err))
		return c.String(http.StatusInternalServerError, "Internt fel / Internal error")
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// newPage returns the page data for the signed-in user of c.
func (ui *UI) newPage(c echo.Context, title, nav string) *page {
	p := &page{Lang: langOf(c), Title: title, Nav: nav, Flash: takeFlash(c), Now: ui.cfg.Now(), Back: "/"}
	if r := c.Request(); r.Method == http.MethodGet {
		p.Back = localPath(r.URL.RequestURI())
	}
	if s := sessionOf(c); s != nil {
		p.User, p.CSRF, p.ShowNav = s.user, s.session.CSRFToken, true
	}
	return p
}

// adminName returns the display name of an administration id.
func (ui *UI) adminName(id string) string {
	if n, ok := ui.names[id]; ok {
		return n
	}
	return id
}
