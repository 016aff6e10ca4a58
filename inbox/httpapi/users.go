package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// UserList is the body of GET /api/v1/users.
type UserList struct {
	Users []*inbox.UserAccount `json:"users"`
}

// UserDetail is the body of GET /api/v1/users/{id}: the user and the
// audit entries of changes to them, oldest first.
type UserDetail struct {
	*inbox.UserAccount
	History []*inbox.AuditEntry `json:"history"`
}

// UserInput is the body of POST /api/v1/users.
type UserInput struct {
	Name            string     `json:"name"`
	Role            inbox.Role `json:"role"`
	Administrations []string   `json:"administrations"`
	Password        string     `json:"password"`
}

// UserChangeInput is the body of PATCH /api/v1/users/{id}: each field
// given is one audited change, made in the order listed. All are checked
// first and made together: when one is refused, none is made.
type UserChangeInput struct {
	// Role and Administrations are set together; Administrations alone
	// keeps the role.
	Role            *inbox.Role `json:"role"`
	Administrations *[]string   `json:"administrations"`
	Password        *string     `json:"password"`
	Active          *bool       `json:"active"`
	Unlock          bool        `json:"unlock"`
}

const userFields = "name, role, administrations (a specialist needs one) and password (12 characters at least)"

const userChangeFields = "role, administrations, password, active or unlock"

// users serves user management for admins.
type users struct {
	svc *inbox.UserAdmin
}

func userID(c echo.Context) (int64, error) {
	return pathID(c, "User")
}

// mayManageUsers refuses all but admins, before the request's id or body
// is read: one who may not manage users is told so, not what is wrong
// with the request.
func mayManageUsers(c echo.Context) error {
	if !currentUser(c).CanManageUsers() {
		return inbox.Errorf(inbox.EFORBIDDEN, "Bara en administratör kan hantera användare. / Only an admin can manage users.")
	}
	return nil
}

func (h *users) list(c echo.Context) error {
	list, err := h.svc.List(c.Request().Context(), currentUser(c))
	if err != nil {
		return err
	}
	if list == nil {
		list = []*inbox.UserAccount{}
	}
	return c.JSON(http.StatusOK, UserList{Users: list})
}

func (h *users) get(c echo.Context) error {
	if err := mayManageUsers(c); err != nil {
		return err
	}
	id, err := userID(c)
	if err != nil {
		return err
	}
	a, history, err := h.svc.Get(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	if history == nil {
		history = []*inbox.AuditEntry{}
	}
	return c.JSON(http.StatusOK, UserDetail{UserAccount: a, History: history})
}

func (h *users) create(c echo.Context) error {
	if err := mayManageUsers(c); err != nil {
		return err
	}
	var in UserInput
	if err := bind(c, &in, userFields); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := h.svc.Create(ctx, currentUser(c), inbox.NewUser{Name: in.Name, Role: in.Role,
		Administrations: in.Administrations, Password: in.Password})
	if err != nil {
		return err
	}
	a, _, err := h.svc.Get(ctx, currentUser(c), u.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

func (h *users) change(c echo.Context) error {
	if err := mayManageUsers(c); err != nil {
		return err
	}
	id, err := userID(c)
	if err != nil {
		return err
	}
	var in UserChangeInput
	if err := bind(c, &in, userChangeFields); err != nil {
		return err
	}
	ctx, me := c.Request().Context(), currentUser(c)
	err = h.svc.Update(ctx, me, id, inbox.UserUpdate{Role: in.Role, Administrations: in.Administrations,
		Password: in.Password, Active: in.Active, Unlock: in.Unlock})
	if err != nil {
		return err
	}
	a, _, err := h.svc.Get(ctx, me, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}
