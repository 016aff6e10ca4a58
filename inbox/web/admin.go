package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// adminData is what the administration page shows.
type adminData struct {
	Accounts []*inbox.Account
	// Unknown are the accounts not set up that conversations are on.
	Unknown []inbox.UnknownAccount
	Admins  []Administration
	// QuietAfter is how long without webhooks marks an account as quiet.
	QuietAfter time.Duration
	// ExpiryWarning is how long before a token expires it is flagged.
	ExpiryWarning time.Duration
	Now           time.Time
}

// accountQuietAfter is when an account without webhooks is flagged.
const accountQuietAfter = 24 * time.Hour

// Admin serves GET /admin: the managed Pages and Instagram accounts with
// their token state, the accounts not set up that conversations are on,
// and the administrations conversations are routed to.
// Supervisors and admins see it; changes are made with inkorg accounts
// and the routing targets file.
func (ui *UI) Admin(c echo.Context) error {
	u := currentUser(c)
	if u.Role != inbox.RoleSupervisor && u.Role != inbox.RoleAdmin {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	accounts, err := ui.cfg.Store.FindAccounts(c.Request().Context())
	if err != nil {
		return ui.fail(c, err)
	}
	unknown, err := ui.cfg.Store.FindUnknownAccounts(c.Request().Context())
	if err != nil {
		return ui.fail(c, err)
	}
	p := ui.newPage(c, "admin.title", "admin")
	p.Data = adminData{Accounts: accounts, Unknown: unknown, Admins: ui.cfg.Administrations, QuietAfter: accountQuietAfter,
		ExpiryWarning: inbox.TokenExpiryWarning, Now: ui.cfg.Now()}
	return ui.render(c, http.StatusOK, "admin", p)
}
