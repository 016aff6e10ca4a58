package inbox

import (
	"context"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Role is what a user may do.
type Role string

// Roles.
const (
	RoleAgent      Role = "agent"      // kontaktcenter
	RoleSpecialist Role = "specialist" // member of an administration
	RoleSupervisor Role = "supervisor"
	RoleAdmin      Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAgent, RoleSpecialist, RoleSupervisor, RoleAdmin:
		return true
	}
	return false
}

// User is a member of staff.
type User struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Role Role   `json:"role"`
	// AdministrationID is the administration a specialist belongs to
	// first; Administrations lists every one they are a member of, this
	// one included.
	AdministrationID string    `json:"administration_id,omitempty"`
	Administrations  []string  `json:"administrations,omitempty"`
	PasswordHash     string    `json:"-"`
	CreatedAt        time.Time `json:"created_at"`
	// DeactivatedAt is when an admin deactivated the user, nil while
	// active. A deactivated user cannot sign in or use API tokens.
	DeactivatedAt *time.Time `json:"deactivated_at,omitempty"`
	// SignOnIssuer and SignOnSubject are the identity provider and its
	// subject (the ID token's iss and sub) the user signs on as, empty
	// while the user is not linked to single sign-on.
	SignOnIssuer  string `json:"-"`
	SignOnSubject string `json:"-"`
}

// CanSee reports whether u may see conversation c: a specialist sees only
// what is routed to one of their administrations, every other role sees
// all.
func (u *User) CanSee(c *Conversation) bool {
	return u.Role != RoleSpecialist || (c.AdministrationID != "" && u.MemberOf(c.AdministrationID))
}

// MaxNameLength is the longest user name accepted.
const MaxNameLength = 100

// NormalizeName returns name in Unicode normal form C, the form user names
// are stored in, so that "Åsa" typed as one letter or as A and a ring is
// one name.
func NormalizeName(name string) string { return norm.NFC.String(name) }

// SameName reports whether two user names are one name to a reader: equal
// in normal form C ignoring case. No two users may have the same name.
func SameName(a, b string) bool { return strings.EqualFold(NormalizeName(a), NormalizeName(b)) }

// ErrNameTaken is the message of a user name refused because another user
// has it, whatever the case (ECONFLICT).
const ErrNameTaken = "A user with that name already exists (names differing only in case are the same name)."

// PrintableName reports whether name holds no control characters (Unicode
// Cc, NUL among them) and no invisible format characters (Cf, such as a
// zero-width space), with which a second name would look like another.
func PrintableName(name string) bool {
	return !strings.ContainsFunc(name, func(r rune) bool { return unicode.In(r, unicode.Cc, unicode.Cf) })
}

// Validate reports the first reason u cannot be stored, as EINVALID.
func (u *User) Validate() error {
	name := strings.TrimSpace(u.Name)
	switch {
	case name == "":
		return ruleError(EINVALID, "Användarnamn krävs.", "User name is required.")
	case name != u.Name:
		return ruleError(EINVALID, "Användarnamnet får inte börja eller sluta med mellanslag.", "User name must not start or end with spaces.")
	case len(u.Name) > MaxNameLength:
		return ruleError(EINVALID, "Användarnamnet är längre än %d byte.", "User name is longer than %d bytes.", MaxNameLength)
	case !PrintableName(u.Name):
		return ruleError(EINVALID, "Användarnamnet får inte innehålla styrtecken eller osynliga tecken (som ett nollbrett mellanslag).",
			"User name must not contain control or invisible characters (such as a zero-width space).")
	case !u.Role.Valid():
		return ruleError(EINVALID, "Okänd roll %q; använd agent, specialist, supervisor eller admin.",
			"Unknown role %q; use agent, specialist, supervisor or admin.", u.Role)
	case u.Role == RoleSpecialist && len(u.MemberAdministrations()) == 0:
		return ruleError(EINVALID, "En specialist måste tillhöra en förvaltning.", "A specialist needs an administration.")
	}
	return nil
}

// APIToken is a bearer token for API clients. Only its SHA-256 hash is
// stored; the token itself is shown once, when created.
type APIToken struct {
	ID     int64 `json:"id"`
	UserID int64 `json:"user_id"`
	// Name says what the token is for ("apibench", "Power BI"); optional.
	Name       string     `json:"name,omitempty"`
	Hash       string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	// ExpiresAt is when the token stops working; nil when it never does.
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// ReadOnly limits the token to requests that read (GET, HEAD,
	// OPTIONS); false, as for every token made before there were
	// read-only ones, gives it its user's full role.
	ReadOnly bool `json:"read_only"`
}

// UserStore reads and writes users and their API tokens.
type UserStore interface {
	// CreateUser stores u with its name in normal form C and sets its
	// ID; a name another user has, whatever the case, is ECONFLICT.
	CreateUser(ctx context.Context, u *User) error
	// FindUserByName returns the user with exactly that name (in normal
	// form C), or ENOTFOUND.
	FindUserByName(ctx context.Context, name string) (*User, error)
	// FindUsersByNameFold returns the users whose name is name ignoring
	// case, with Unicode case folding (Åsa is åsa), by name; none is an
	// empty list.
	FindUsersByNameFold(ctx context.Context, name string) ([]*User, error)
	// CreateAPIToken stores t (with its Hash) and sets its ID; a
	// deactivated user is EFORBIDDEN, an ExpiresAt not in the future
	// EINVALID.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// FindUserByTokenHash returns the user owning the token with the hash
	// and records the token's use, or ENOTFOUND, also when the token has
	// expired.
	FindUserByTokenHash(ctx context.Context, hash string) (*User, error)
}
