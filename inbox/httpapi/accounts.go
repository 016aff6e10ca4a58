package httpapi

import (
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// AccountList is the body of GET /api/v1/accounts.
type AccountList struct {
	Accounts []*inbox.Account `json:"accounts"`
	// NotSetUp are the accounts not managed that conversations arrived
	// for.
	NotSetUp []inbox.UnknownAccount `json:"not_set_up"`
}

// AccountInput is the body of POST /api/v1/accounts.
type AccountInput struct {
	Platform   inbox.Platform `json:"platform"`
	ExternalID string         `json:"external_id"`
	Name       string         `json:"name"`
	// PageID is, for an Instagram account, the Facebook Page it is linked
	// to (Facebook Login); optional.
	PageID string `json:"page_id,omitempty"`
	// Login is how the account signs in to Meta: facebook (the default)
	// or instagram (Instagram API with Instagram Login, Instagram
	// accounts without page_id only).
	Login inbox.AccountLogin `json:"login,omitempty"`
}

// maxAccountBody bounds the body of POST /api/v1/accounts.
const maxAccountBody = 4 << 10

func (s *Server) listAccounts(c echo.Context) error {
	accounts, err := s.store.FindAccounts(c.Request().Context())
	if err != nil {
		return err
	}
	if accounts == nil {
		accounts = []*inbox.Account{}
	}
	unknown, err := s.store.FindUnknownAccounts(c.Request().Context())
	if err != nil {
		return err
	}
	if unknown == nil {
		unknown = []inbox.UnknownAccount{}
	}
	return c.JSON(http.StatusOK, AccountList{Accounts: accounts, NotSetUp: unknown})
}

func (s *Server) createAccount(c echo.Context) error {
	if !currentUser(c).CanManageAccounts() {
		return inbox.Errorf(inbox.EFORBIDDEN, "Bara en administratör kan lägga till konton. / Only an admin can add accounts.")
	}
	var in AccountInput
	if err := decodeJSON(io.LimitReader(c.Request().Body, maxAccountBody), &in); err != nil {
		sv, en := bodyProblem(err)
		return inbox.WrapError(inbox.EINVALID, err, "Anropets innehåll ska vara ett JSON-objekt med platform, external_id, name och valfritt page_id och login%s. / "+
			"Body must be a JSON object with platform, external_id, name and optionally page_id and login%s.", sv, en)
	}
	a := &inbox.Account{Platform: in.Platform, ExternalID: strings.TrimSpace(in.ExternalID), Name: strings.TrimSpace(in.Name),
		PageID: strings.TrimSpace(in.PageID), Login: inbox.AccountLogin(strings.TrimSpace(string(in.Login)))}
	if err := checkAccountLogin(a); err != nil {
		return err
	}
	if err := s.store.CreateAccount(c.Request().Context(), a); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

// checkAccountLogin reports, as EINVALID naming the field, why a's login
// cannot be stored: the same rules as inkorg accounts add --login.
func checkAccountLogin(a *inbox.Account) error {
	switch {
	case a.Login == "":
		return nil
	case !a.Login.Valid():
		return inbox.Errorf(inbox.EINVALID, "Okänd inloggning %q; \"login\" ska vara \"facebook\" eller \"instagram\". / Unknown login %q; \"login\" must be \"facebook\" or \"instagram\".", a.Login, a.Login)
	case a.Login == inbox.LoginInstagram && a.Platform.Valid() && a.Platform != inbox.PlatformInstagram:
		return inbox.Errorf(inbox.EINVALID, "\"login\": \"instagram\" (Instagram API med Instagram-inloggning) gäller bara Instagramkonton. / "+
			"\"login\": \"instagram\" (Instagram API with Instagram Login) is for Instagram accounts only.")
	case a.Login == inbox.LoginInstagram && a.PageID != "":
		return inbox.Errorf(inbox.EINVALID, "Ett konto med \"login\": \"instagram\" har ingen kopplad Facebooksida; ta bort \"page_id\". / "+
			"An account with \"login\": \"instagram\" has no linked Facebook Page; leave out \"page_id\".")
	}
	return nil
}

func (s *Server) removeAccount(c echo.Context) error {
	if !currentUser(c).CanManageAccounts() {
		return inbox.Errorf(inbox.EFORBIDDEN, "Bara en administratör kan ta bort konton. / Only an admin can remove accounts.")
	}
	p := inbox.Platform(c.Param("platform"))
	if !p.Valid() {
		return inbox.Errorf(inbox.EINVALID, "Okänd plattform %q; använd facebook eller instagram. / Unknown platform %q; use facebook or instagram.", p, p)
	}
	if err := s.store.RemoveAccount(c.Request().Context(), p, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
