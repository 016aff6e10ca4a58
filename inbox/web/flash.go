package web

import (
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// flash is a message shown once, on the page after a redirect.
type flash struct {
	// Kind is "ok" or "error".
	Kind string
	Text string
}

// maxFlashText is the longest message a flash cookie keeps, in bytes: in
// base64 with the cookie's name and attributes it stays under the 4 KB
// browsers keep.
const maxFlashText = 2000

// setFlash keeps a message, translated from key, for the next page.
func setFlash(c echo.Context, kind, key, lang string) {
	setFlashText(c, kind, translate(lang, key))
}

func setFlashText(c echo.Context, kind, text string) {
	// A browser drops a cookie over 4 KB, and with it the message.
	if len(text) > maxFlashText {
		cut := maxFlashText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "…"
	}
	v := base64.RawURLEncoding.EncodeToString([]byte(kind + "|" + text))
	setCookie(c, flashCookie, v, 60)
}

// takeFlash returns the message kept for this page and forgets it.
func takeFlash(c echo.Context) *flash {
	ck, err := c.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	setCookie(c, flashCookie, "", -1)
	raw, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return nil
	}
	kind, text, ok := strings.Cut(string(raw), "|")
	if !ok || (kind != "ok" && kind != "error") {
		return nil
	}
	return &flash{Kind: kind, Text: text}
}

// errorText is what a user is told about a failed action: a sentence in
// their language for the kind of error, and the domain's own message,
// which says what exactly was wrong, in their language too (domainText).
func errorText(lang string, err error) string {
	code := inbox.ErrorCode(err)
	if h := inbox.HolderOf(err); h != nil {
		return strings.ReplaceAll(translate(lang, "error.held"), "%s", h.Name)
	}
	prefix := translate(lang, "error."+code)
	if code == inbox.EINTERNAL || code == inbox.EUNAVAILABLE {
		return prefix
	}
	return prefix + " " + domainText(lang, err)
}

// fail answers a request that failed unexpectedly with an error page; the
// details go to the log only.
func (ui *UI) fail(c echo.Context, err error) error {
	code := inbox.ErrorCode(err)
	status := http.StatusInternalServerError
	switch code {
	case inbox.ENOTFOUND:
		status = http.StatusNotFound
	case inbox.EFORBIDDEN:
		status = http.StatusForbidden
	case inbox.EINVALID:
		status = http.StatusBadRequest
	case inbox.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
	}
	if status >= 500 {
		ui.cfg.Logger.Error("web request failed", slog.String("path", c.Path()), slog.String("code", code), slog.Any("err", err))
	}
	p := ui.newPage(c, "error.title", "")
	p.Data = errorText(p.Lang, err)
	return ui.render(c, status, "error", p)
}

// errorPage answers with an error page saying key.
func (ui *UI) errorPage(c echo.Context, status int, key string) error {
	p := ui.newPage(c, "error.title", "")
	p.Data = p.T(key)
	return ui.render(c, status, "error", p)
}

// done finishes a form post: on success a flash saying okKey, on failure
// one saying what went wrong; then back to the page at to (post, redirect,
// get).
func (ui *UI) done(c echo.Context, err error, okKey, to string) error {
	lang := langOf(c)
	var domainErr *inbox.Error
	switch {
	case err == nil:
		setFlash(c, "ok", okKey, lang)
	case errors.As(err, &domainErr) && domainErr.Code != inbox.EINTERNAL && domainErr.Code != inbox.EUNAVAILABLE:
		setFlashText(c, "error", errorText(lang, err))
	default:
		return ui.fail(c, err)
	}
	return c.Redirect(http.StatusSeeOther, to)
}
