package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// Cookie names. The session cookie is also accepted by the JSON API.
const (
	SessionCookie   = "inkorg_session"
	loginCSRFCookie = "inkorg_login_csrf"
	flashCookie     = "inkorg_flash"
	// CSRFHeader carries the session's CSRF token on unsafe API calls made
	// with the session cookie.
	CSRFHeader = "X-CSRF-Token"
)

const signedInKey = "inkorg.web.session"

// signedIn is the authenticated browser of a request.
type signedIn struct {
	session *inbox.Session
	user    *inbox.User
	lang    string
}

func sessionOf(c echo.Context) *signedIn {
	s, _ := c.Get(signedInKey).(*signedIn)
	return s
}

// currentUser returns the signed-in user.
func currentUser(c echo.Context) *inbox.User {
	if s := sessionOf(c); s != nil {
		return s.user
	}
	return nil
}

// secure reports whether the browser reached inkorg over TLS, directly
// or through a proxy that says so; cookies are then Secure.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func setCookie(c echo.Context, name, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure(c.Request())})
}

// RequireSession lets signed-in staff through and sends anyone else to the
// sign-in page. Every POST must carry the session's CSRF token.
func (ui *UI) RequireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(SessionCookie)
		if err != nil {
			return c.Redirect(http.StatusSeeOther, loginURL(c.Request()))
		}
		ctx := c.Request().Context()
		sess, user, err := ui.cfg.Sessions.Authenticate(ctx, ck.Value)
		if inbox.ErrorCode(err) == inbox.EUNAUTHORIZED {
			setCookie(c, SessionCookie, "", -1)
			return c.Redirect(http.StatusSeeOther, loginURL(c.Request()))
		} else if err != nil {
			return ui.fail(c, err)
		}
		lang, err := ui.cfg.Store.UserLanguage(ctx, user.ID)
		if err != nil {
			return ui.fail(c, err)
		}
		c.Set(signedInKey, &signedIn{session: sess, user: user, lang: lang})
		if c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead &&
			!sameToken(c.FormValue("csrf"), sess.CSRFToken) {
			return ui.errorPage(c, http.StatusForbidden, "error.csrf")
		}
		return next(c)
	}
}

// loginURL is the sign-in page, coming back to the page asked for when it
// was a GET.
func loginURL(r *http.Request) string {
	if r.Method != http.MethodGet || r.URL.Path == "/" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(r.URL.RequestURI())
}

// CheckSessionCSRF reports whether an API request made with the session
// cookie carries the session's CSRF token in CSRFHeader.
func CheckSessionCSRF(r *http.Request, sess *inbox.Session) bool {
	return sameToken(r.Header.Get(CSRFHeader), sess.CSRFToken)
}

func sameToken(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// loginData is what the sign-in page shows.
type loginData struct {
	Name  string
	Error string
	Next  string
	SSO   bool
}

// LoginForm serves GET /login.
func (ui *UI) LoginForm(c echo.Context) error {
	if ck, err := c.Cookie(SessionCookie); err == nil {
		if _, _, err := ui.cfg.Sessions.Authenticate(c.Request().Context(), ck.Value); err == nil {
			return c.Redirect(http.StatusSeeOther, "/")
		}
	}
	return ui.renderLogin(c, http.StatusOK, loginData{Next: localPath(c.QueryParam("next"))})
}

func (ui *UI) renderLogin(c echo.Context, status int, d loginData) error {
	token := randomString()
	setCookie(c, loginCSRFCookie, token, 3600)
	p := ui.newPage(c, "login.title", "")
	d.SSO = ui.cfg.OIDC != nil
	p.CSRF, p.Data = token, d
	return ui.render(c, status, "login", p)
}

// Login serves POST /login: name and password, limited per client
// address, with a lockout per name in the domain.
func (ui *UI) Login(c echo.Context) error {
	name, next := strings.TrimSpace(c.FormValue("name")), localPath(c.FormValue("next"))
	d := loginData{Name: name, Next: next}
	ck, err := c.Cookie(loginCSRFCookie)
	if err != nil || !sameToken(c.FormValue("csrf"), ck.Value) {
		d.Error = "login.expired"
		return ui.renderLogin(c, http.StatusForbidden, d)
	}
	address := clientAddress(c)
	if !ui.limiter.allow(address, ui.cfg.Now()) {
		d.Error = "login.ratelimited"
		return ui.renderLogin(c, http.StatusTooManyRequests, d)
	}
	token, _, err := ui.cfg.Sessions.SignInFrom(c.Request().Context(), name, c.FormValue("password"), address)
	switch inbox.ErrorCode(err) {
	case "":
	case inbox.EUNAUTHORIZED:
		ui.cfg.Logger.Info("sign-in failed", slog.String("reason", "wrong_credentials"))
		d.Error = "login.wrong"
		return ui.renderLogin(c, http.StatusUnauthorized, d)
	case inbox.EFORBIDDEN:
		if inbox.ErrorMessage(err) == inbox.ErrDeactivated {
			ui.cfg.Logger.Info("sign-in refused", slog.String("reason", "deactivated"))
			d.Error = "login.deactivated"
			return ui.renderLogin(c, http.StatusForbidden, d)
		}
		ui.cfg.Logger.Warn("sign-in refused", slog.String("reason", "locked"))
		d.Error = "login.locked"
		return ui.renderLogin(c, http.StatusForbidden, d)
	default:
		return ui.fail(c, err)
	}
	setCookie(c, loginCSRFCookie, "", -1)
	setCookie(c, SessionCookie, token, int(ui.cfg.Sessions.MaxAge/time.Second))
	return c.Redirect(http.StatusSeeOther, next)
}

// Logout serves POST /logout.
func (ui *UI) Logout(c echo.Context) error {
	if ck, err := c.Cookie(SessionCookie); err == nil {
		if err := ui.cfg.Sessions.SignOut(c.Request().Context(), ck.Value); err != nil {
			return ui.fail(c, err)
		}
	}
	setCookie(c, SessionCookie, "", -1)
	setFlash(c, "ok", "flash.signedout", langOf(c))
	return c.Redirect(http.StatusSeeOther, "/login")
}

// SetLanguage serves POST /settings/language: the user's interface
// language, Swedish or English.
func (ui *UI) SetLanguage(c echo.Context) error {
	lang := c.FormValue("lang")
	if lang != "sv" && lang != "en" {
		return ui.errorPage(c, http.StatusBadRequest, "error.invalid")
	}
	if err := ui.cfg.Store.SetUserLanguage(c.Request().Context(), currentUser(c).ID, lang); err != nil {
		return ui.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, localPath(c.FormValue("back")))
}

// clientAddress is the address sign-ins are limited and locked by: the
// client's as the server's IPExtractor finds it (httpapi sets one that
// reads X-Forwarded-For from the trusted proxies only), an IPv6 address
// widened to its /64, which one home line or office gets whole.
func clientAddress(c echo.Context) string {
	if c.Echo().IPExtractor == nil {
		// Without one, echo believes whatever headers a client sends.
		return addressKey(echo.ExtractIPDirect()(c.Request()))
	}
	return addressKey(c.RealIP())
}

// localPath returns p when it is a path on this site and "/" otherwise,
// so a redirect never leaves inkorg. Browsers drop tabs and new lines
// from a URL and read a backslash as a slash, so p must hold neither,
// nor any other control character, encoded or not.
func localPath(p string) string {
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(p, "/") || strings.HasPrefix(u.Path, "//") || unsafeInPath(p) || unsafeInPath(u.Path) {
		return "/"
	}
	return p
}

// unsafeInPath reports whether s holds a backslash or a control
// character.
func unsafeInPath(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r == '\\' || unicode.IsControl(r) })
}

func randomString() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// langOf returns the interface language of the request: the user's
// choice, else Swedish.
func langOf(c echo.Context) string {
	if s := sessionOf(c); s != nil && s.lang == "en" {
		return "en"
	}
	return "sv"
}
