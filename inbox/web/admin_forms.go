package web

import (
	"errors"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// setUpAdmin makes the services behind the admin pages.
func (ui *UI) setUpAdmin() {
	known := ui.knownAdministration()
	if store, ok := ui.cfg.Store.(inbox.UserAdminStore); ok {
		ui.users = &inbox.UserAdmin{Store: store, KnownAdministration: known, Now: ui.cfg.Now}
		if ui.cfg.Service != nil {
			ui.users.Publisher = ui.cfg.Service.Publisher
		}
	}
	if ui.cfg.Store != nil {
		ui.rules = &inbox.Rules{Store: ui.cfg.Store, KnownAdministration: known}
	}
	ui.articles = ui.cfg.AnswerEditor
}

// knownAdministration reports whether an id is one of the configured
// administrations; nil, accepting any, when none are configured.
func (ui *UI) knownAdministration() func(string) bool {
	if len(ui.names) == 0 {
		return nil
	}
	return func(id string) bool { _, ok := ui.names[id]; return ok }
}

// formErrors are the messages of a form that was not accepted: one per
// field name, translated, and "" for the form as a whole.
type formErrors map[string]string

// Any reports whether there is an error.
func (e formErrors) Any() bool { return len(e) > 0 }

// add keeps the first message for a field.
func (e formErrors) add(field, text string) {
	if _, ok := e[field]; !ok {
		e[field] = text
	}
}

// formFailure is what a failed service call tells the form: the
// messages the domain gives as EINVALID, ECONFLICT or EFORBIDDEN are shown
// on the form; any other error is not the form's and is returned.
func formFailure(lang string, err error, errs formErrors, field string) error {
	var domainErr *inbox.Error
	if !errors.As(err, &domainErr) {
		return err
	}
	switch domainErr.Code {
	case inbox.EINVALID, inbox.ECONFLICT, inbox.EFORBIDDEN:
		errs.add(field, errorText(lang, err))
		return nil
	}
	return err
}

// splitList reads a list a user typed: items separated by commas or new
// lines, trimmed, without empty ones or duplicates.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' }) {
		if item = strings.TrimSpace(item); item != "" && !slices.Contains(out, item) {
			out = append(out, item)
		}
	}
	return out
}

// formValues returns every value of a repeated form field.
func formValues(c echo.Context, name string) []string {
	if err := c.Request().ParseForm(); err != nil {
		return nil
	}
	return c.Request().PostForm[name]
}

// adminOption is one administration in a form, chosen or not.
type adminOption struct {
	Administration
	Selected bool
}

// adminOptions lists the configured administrations with the chosen ones
// marked; chosen ids that are not configured are listed too, so no
// membership is lost by saving the form.
func (ui *UI) adminOptions(chosen []string) []adminOption {
	var out []adminOption
	for _, a := range ui.cfg.Administrations {
		out = append(out, adminOption{Administration: a, Selected: slices.Contains(chosen, a.ID)})
	}
	for _, id := range chosen {
		if _, ok := ui.names[id]; !ok {
			out = append(out, adminOption{Administration: Administration{ID: id, Name: id}, Selected: true})
		}
	}
	return out
}
