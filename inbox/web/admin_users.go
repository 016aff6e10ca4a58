package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// userRoles are the roles an admin chooses from, least rights first.
var userRoles = []inbox.Role{inbox.RoleAgent, inbox.RoleSpecialist, inbox.RoleSupervisor, inbox.RoleAdmin}

// userForm is what an admin entered for a user.
type userForm struct {
	Name            string
	Role            inbox.Role
	Administrations []string
}

// usersData is what the users page shows.
type usersData struct {
	Users []*inbox.UserAccount
	names map[string]string
}

// AdminName is the display name of an administration id.
func (d usersData) AdminName(id string) string {
	if n, ok := d.names[id]; ok {
		return n
	}
	return id
}

// userData is what one user's page shows, or the form for a new user
// when Account.ID is 0.
type userData struct {
	Account *inbox.UserAccount
	Admins  []adminOption
	Roles   []inbox.Role
	// Self is true when admins look at themselves.
	Self    bool
	Locked  bool
	History []historyEntry
	Errors  formErrors
}

// historyEntry is one audited change, with the actor's name.
type historyEntry struct {
	*inbox.AuditEntry
	Actor string
}

// Users serves GET /admin/users: every user with role, administrations
// and sign-in state, and a form to create one. Admins only.
func (ui *UI) Users(c echo.Context) error {
	if ui.users == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	list, err := ui.users.List(c.Request().Context(), currentUser(c))
	if err != nil {
		return ui.fail(c, err)
	}
	p := ui.newPage(c, "users.title", "admin")
	p.Data = usersData{Users: list, names: ui.names}
	return ui.render(c, http.StatusOK, "users", p)
}

// NewUserForm serves GET /admin/users/new: the form for a new user.
func (ui *UI) NewUserForm(c echo.Context) error {
	if ui.users == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	if !currentUser(c).CanManageUsers() {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	return ui.renderNewUser(c, http.StatusOK, userForm{Role: inbox.RoleAgent}, formErrors{})
}

func (ui *UI) renderNewUser(c echo.Context, status int, f userForm, errs formErrors) error {
	a := &inbox.UserAccount{User: inbox.User{Name: f.Name, Role: f.Role, Administrations: f.Administrations}}
	p := ui.newPage(c, "users.new", "admin")
	p.Data = userData{Account: a, Admins: ui.adminOptions(f.Administrations), Roles: userRoles, Errors: errs}
	return ui.render(c, status, "user", p)
}

// CreateUser serves POST /admin/users: a new user with an initial
// password. A form that is not accepted is shown again with what was
// entered and what is wrong.
func (ui *UI) CreateUser(c echo.Context) error {
	if ui.users == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	if !currentUser(c).CanManageUsers() {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	lang := langOf(c)
	f := readUserForm(c)
	errs := formErrors{}
	checkUserName(lang, f.Name, errs)
	checkRole(lang, f, errs)
	password := c.FormValue("password")
	checkPassword(lang, password, c.FormValue("password2"), errs)
	if !errs.Any() {
		u, err := ui.users.Create(c.Request().Context(), currentUser(c), inbox.NewUser{Name: f.Name, Role: f.Role,
			Administrations: f.Administrations, Password: password})
		if err == nil {
			setFlash(c, "ok", "flash.user_created", lang)
			return c.Redirect(http.StatusSeeOther, userURL(u.ID))
		}
		if err := formFailure(lang, err, errs, userErrorField(err)); err != nil {
			return ui.fail(c, err)
		}
		translateUserError(lang, err, errs)
	}
	return ui.renderNewUser(c, http.StatusUnprocessableEntity, f, errs)
}

// User serves GET /admin/users/:id: one user with forms to change the
// role and administrations, reset the password, deactivate or reactivate
// and unlock, and the history of changes.
func (ui *UI) User(c echo.Context) error {
	if ui.users == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	id, ok := pathID(c)
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	return ui.renderUser(c, http.StatusOK, id, nil, formErrors{})
}

// renderUser shows user id; role, when set, is the role form as entered.
func (ui *UI) renderUser(c echo.Context, status int, id int64, role *userForm, errs formErrors) error {
	ctx := c.Request().Context()
	me := currentUser(c)
	a, history, err := ui.users.Get(ctx, me, id)
	if err != nil {
		return ui.fail(c, err)
	}
	names, err := ui.userNames(c)
	if err != nil {
		return ui.fail(c, err)
	}
	shown := *a
	if role != nil {
		shown.Role, shown.AdministrationID, shown.Administrations = role.Role, "", role.Administrations
	}
	p := ui.newPage(c, "user.title", "admin")
	p.Data = userData{Account: &shown, Admins: ui.adminOptions(shown.MemberAdministrations()), Roles: userRoles,
		Self: a.ID == me.ID, Locked: a.Locked(ui.cfg.Now()), History: withActors(history, names), Errors: errs}
	return ui.render(c, status, "user", p)
}

// withActors names the actor of each entry.
func withActors(entries []*inbox.AuditEntry, names map[int64]string) []historyEntry {
	out := make([]historyEntry, len(entries))
	for i, e := range entries {
		out[i] = historyEntry{AuditEntry: e, Actor: names[e.ActorID]}
	}
	return out
}

// SetUserRole serves POST /admin/users/:id/role.
func (ui *UI) SetUserRole(c echo.Context) error {
	return ui.userChange(c, func(lang string, id int64, errs formErrors) (*userForm, error) {
		f := readUserForm(c)
		checkRole(lang, f, errs)
		if errs.Any() {
			return &f, nil
		}
		_, err := ui.users.SetRole(c.Request().Context(), currentUser(c), id, f.Role, f.Administrations)
		return &f, err
	}, "flash.user_role")
}

// ResetUserPassword serves POST /admin/users/:id/password. The reset ends
// the user's sessions and revokes their API tokens; admins resetting their
// own password stay signed in here, in a new session.
func (ui *UI) ResetUserPassword(c echo.Context) error {
	return ui.userChange(c, func(lang string, id int64, errs formErrors) (*userForm, error) {
		password := c.FormValue("password")
		checkPassword(lang, password, c.FormValue("password2"), errs)
		if errs.Any() {
			return nil, nil
		}
		ctx, me := c.Request().Context(), currentUser(c)
		if err := ui.users.ResetPassword(ctx, me, id, password); err != nil || id != me.ID {
			return nil, err
		}
		token, _, err := ui.cfg.Sessions.Start(ctx, me)
		if err != nil {
			return nil, err
		}
		setCookie(c, SessionCookie, token, int(ui.cfg.Sessions.MaxAge/time.Second))
		return nil, nil
	}, "flash.user_password")
}

// SetUserActive serves POST /admin/users/:id/active with active=true to
// reactivate or false to deactivate; any other value (or none) changes
// nothing and says so, rather than deactivating the user.
func (ui *UI) SetUserActive(c echo.Context) error {
	value := c.FormValue("active")
	active := value == "true"
	ok := "flash.user_deactivated"
	if active {
		ok = "flash.user_reactivated"
	}
	return ui.userChange(c, func(lang string, id int64, errs formErrors) (*userForm, error) {
		if value != "true" && value != "false" {
			errs.add("", translate(lang, "users.err.active"))
			return nil, nil
		}
		return nil, ui.users.SetActive(c.Request().Context(), currentUser(c), id, active)
	}, ok)
}

// UnlockUser serves POST /admin/users/:id/unlock.
func (ui *UI) UnlockUser(c echo.Context) error {
	return ui.userChange(c, func(_ string, id int64, _ formErrors) (*userForm, error) {
		return nil, ui.users.Unlock(c.Request().Context(), currentUser(c), id)
	}, "flash.user_unlocked")
}

// userChange runs one change of a user's page: on success a flash and
// back to the page, otherwise the page again with what is wrong.
func (ui *UI) userChange(c echo.Context, change func(lang string, id int64, errs formErrors) (*userForm, error), okKey string) error {
	if ui.users == nil {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	id, ok := pathID(c)
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	if !currentUser(c).CanManageUsers() {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	lang, errs := langOf(c), formErrors{}
	role, err := change(lang, id, errs)
	if err == nil && !errs.Any() {
		setFlash(c, "ok", okKey, lang)
		return c.Redirect(http.StatusSeeOther, userURL(id))
	}
	if err != nil {
		if inbox.ErrorCode(err) == inbox.ENOTFOUND {
			return ui.fail(c, err)
		}
		if err := formFailure(lang, err, errs, userErrorField(err)); err != nil {
			return ui.fail(c, err)
		}
		translateUserError(lang, err, errs)
	}
	return ui.renderUser(c, http.StatusUnprocessableEntity, id, role, errs)
}

func readUserForm(c echo.Context) userForm {
	return userForm{Name: strings.TrimSpace(c.FormValue("name")), Role: inbox.Role(c.FormValue("role")),
		Administrations: formValues(c, "administration")}
}

func checkUserName(lang, name string, errs formErrors) {
	switch {
	case name == "":
		errs.add("name", translate(lang, "users.err.name"))
	case len(name) > inbox.MaxNameLength:
		errs.add("name", translate(lang, "users.err.name_long"))
	case !inbox.PrintableName(name):
		errs.add("name", translate(lang, "users.err.name_chars"))
	}
}

func checkRole(lang string, f userForm, errs formErrors) {
	switch {
	case !f.Role.Valid():
		errs.add("role", translate(lang, "users.err.role"))
	case f.Role == inbox.RoleSpecialist && len(f.Administrations) == 0:
		errs.add("administrations", translate(lang, "users.err.specialist"))
	}
}

func checkPassword(lang, password, again string, errs formErrors) {
	switch {
	case utf8.RuneCountInString(password) < inbox.MinPasswordLength:
		errs.add("password", translate(lang, "users.err.password"))
	case len(password) > inbox.MaxPasswordBytes:
		errs.add("password", translate(lang, "users.err.password_long"))
	case password != again:
		errs.add("password2", translate(lang, "users.err.password2"))
	}
}

// userErrorMessages are the domain's refusals said in the user's
// language, each with the field it belongs to.
var userErrorMessages = map[string][2]string{
	inbox.ErrOwnAdminRole:   {"role", "users.err.own_admin"},
	inbox.ErrDeactivateSelf: {"", "users.err.deactivate_self"},
	inbox.ErrLastAdmin:      {"role", "users.err.last_admin"},
}

// userErrorField is the form field a domain error belongs to.
func userErrorField(err error) string {
	if m, ok := userErrorMessages[inbox.ErrorMessage(err)]; ok {
		return m[0]
	}
	if inbox.ErrorCode(err) == inbox.ECONFLICT {
		return "name"
	}
	return ""
}

// translateUserError replaces a known refusal's text by its translation.
func translateUserError(lang string, err error, errs formErrors) {
	if m, ok := userErrorMessages[inbox.ErrorMessage(err)]; ok {
		errs[m[0]] = translate(lang, m[1])
	}
	if inbox.ErrorCode(err) == inbox.ECONFLICT {
		errs["name"] = translate(lang, "users.err.taken")
	}
}

// userNames maps user ids to names, for showing who made a change; empty
// when the store cannot list users.
func (ui *UI) userNames(c echo.Context) (map[int64]string, error) {
	names := map[int64]string{}
	store, ok := ui.cfg.Store.(inbox.UserAdminStore)
	if !ok {
		return names, nil
	}
	all, err := store.FindUserAccounts(c.Request().Context())
	if err != nil {
		return nil, err
	}
	for _, u := range all {
		names[u.ID] = u.Name
	}
	return names, nil
}

// pathID reads the id in the path, a plain positive decimal integer.
func pathID(c echo.Context) (int64, bool) { return inbox.ParseID(c.Param("id")) }

func userURL(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }
