package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
	"inkorg/inbox/web"
)

// adminTargets are the administrations of the admin page tests.
var adminTargets = []web.Administration{{ID: "kultur", Name: "Kulturförvaltningen"}, {ID: "idrott", Name: "Idrotts- och föreningsförvaltningen"}}

// newAdminSite is a site with administrations, the answer bank editor and
// its statistics, and an agent (anna), a specialist (sara), a supervisor
// (sune) and an admin (adam).
func newAdminSite(t *testing.T) *site {
	t.Helper()
	store := sqlstore.NewStore(sqlstoretest.SQLite(t))
	s := &site{store: store}
	s.addUser(t, "anna", inbox.RoleAgent, "")
	s.addUser(t, "sara", inbox.RoleSpecialist, "kultur")
	s.addUser(t, "sune", inbox.RoleSupervisor, "")
	s.addUser(t, "adam", inbox.RoleAdmin, "")
	sessions := inbox.NewSessions(store, nil)
	ui, err := web.New(web.Config{Store: store, Service: inbox.NewService(store, nil), Sessions: sessions,
		Administrations: adminTargets, AnswerEditor: &answers.Editor{Store: store}, AnswerUses: store})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(httpapi.New(httpapi.Config{Store: store, Web: ui, Sessions: sessions}))
	t.Cleanup(ts.Close)
	s.url = ts.URL
	return s
}

// formToken returns the CSRF token of the page at path.
func formToken(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	code, _, token := get(t, c, u)
	if code != http.StatusOK || token == "" {
		t.Fatalf("GET %s: got %d with token %q, want 200 with a form token", u, code, token)
	}
	return token
}

// userAudit returns the user's audit entries and their details.
func userAudit(t *testing.T, s *site, id int64) ([]*inbox.AuditEntry, []inbox.UserChange) {
	t.Helper()
	entries, err := s.store.FindUserAudit(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	changes := make([]inbox.UserChange, len(entries))
	for i, e := range entries {
		if err := json.Unmarshal([]byte(e.Detail), &changes[i]); err != nil {
			t.Fatalf("audit detail %q: %v", e.Detail, err)
		}
	}
	return entries, changes
}

func TestUserPagesAccess(t *testing.T) {
	s := newAdminSite(t)
	target, err := s.store.FindUserByName(t.Context(), "anna")
	if err != nil {
		t.Fatal(err)
	}
	pages := []string{"/admin/users", "/admin/users/new", userPath(target.ID)}
	for _, name := range []string{"anna", "sara", "sune"} {
		c := s.signedIn(t, name)
		for _, p := range pages {
			if code, _, _ := get(t, c, s.url+p); code != http.StatusForbidden {
				t.Errorf("%s GET %s: got %d, want 403", name, p, code)
			}
		}
		token := formToken(t, c, s.url+"/")
		code, _ := post(t, c, s.url+"/admin/users", url.Values{"csrf": {token}, "name": {"mallory"}, "role": {"admin"},
			"password": {password}, "password2": {password}})
		if code != http.StatusForbidden {
			t.Errorf("%s creating a user: got %d, want 403", name, code)
		}
		code, _ = post(t, c, s.url+userPath(target.ID)+"/role", url.Values{"csrf": {token}, "role": {"admin"}})
		if code != http.StatusForbidden {
			t.Errorf("%s changing a role: got %d, want 403", name, code)
		}
	}
	if _, err := s.store.FindUserByName(t.Context(), "mallory"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("a refused create stored a user: %v", err)
	}
	if u, _ := s.store.FindUserByName(t.Context(), "anna"); u.Role != inbox.RoleAgent {
		t.Errorf("a refused change made anna %s", u.Role)
	}
	adam := s.signedIn(t, "adam")
	for _, p := range pages {
		if code, body, _ := get(t, adam, s.url+p); code != http.StatusOK {
			t.Errorf("admin GET %s: got %d, want 200: %s", p, code, body)
		}
	}
	t.Run("ErrNoCSRF", func(t *testing.T) {
		code, _ := post(t, adam, s.url+"/admin/users", url.Values{"name": {"mallory"}, "role": {"agent"},
			"password": {password}, "password2": {password}})
		if code != http.StatusForbidden {
			t.Errorf("create without the form token: got %d, want 403", code)
		}
		if _, err := s.store.FindUserByName(t.Context(), "mallory"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("a create without the token stored a user: %v", err)
		}
	})
}

func TestUserAdminRoundTrip(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	adam := s.signedIn(t, "adam")
	admin, _ := s.store.FindUserByName(ctx, "adam")
	token := formToken(t, adam, s.url+"/admin/users/new")

	code, _ := post(t, adam, s.url+"/admin/users", url.Values{"csrf": {token}, "name": {"kim"}, "role": {"specialist"},
		"administration": {"idrott", "kultur"}, "password": {"ett nytt långt lösenord"}, "password2": {"ett nytt långt lösenord"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: got %d, want 303", code)
	}
	kim, err := s.store.FindUserByName(ctx, "kim")
	if err != nil {
		t.Fatal(err)
	}
	if kim.Role != inbox.RoleSpecialist || strings.Join(kim.MemberAdministrations(), ",") != "idrott,kultur" {
		t.Errorf("stored %s in %v, want specialist in idrott,kultur", kim.Role, kim.MemberAdministrations())
	}
	if bcrypt.CompareHashAndPassword([]byte(kim.PasswordHash), []byte("ett nytt långt lösenord")) != nil {
		t.Error("the stored hash is not of the password entered")
	}
	entries, changes := userAudit(t, s, kim.ID)
	if len(entries) != 1 || entries[0].Action != inbox.ActionUserCreate || entries[0].ActorID != admin.ID ||
		changes[0].Before != nil || changes[0].After == nil || changes[0].After.Name != "kim" || !changes[0].PasswordChanged {
		t.Fatalf("audit after create: got %+v, want one user_create by adam with the user after", entries[0])
	}
	if strings.Contains(entries[0].Detail, kim.PasswordHash) || strings.Contains(entries[0].Detail, "password_hash") {
		t.Error("the audit detail holds the password hash")
	}

	kc := s.client(t)
	if code, _ := s.login(t, kc, "kim", "ett nytt långt lösenord"); code != http.StatusSeeOther {
		t.Fatalf("sign-in as kim: got %d, want 303", code)
	}
	code, _ = post(t, adam, s.url+userPath(kim.ID)+"/role", url.Values{"csrf": {token}, "role": {"supervisor"}})
	if code != http.StatusSeeOther {
		t.Fatalf("role change: got %d, want 303", code)
	}
	if kim, _ = s.store.FindUserByName(ctx, "kim"); kim.Role != inbox.RoleSupervisor || len(kim.MemberAdministrations()) != 0 {
		t.Errorf("after the role change: got %s in %v, want supervisor in none", kim.Role, kim.MemberAdministrations())
	}
	code, _ = post(t, adam, s.url+userPath(kim.ID)+"/password", url.Values{"csrf": {token},
		"password": {"ännu ett långt lösenord"}, "password2": {"ännu ett långt lösenord"}})
	if code != http.StatusSeeOther {
		t.Fatalf("password reset: got %d, want 303", code)
	}
	if code, _ := s.login(t, s.client(t), "kim", "ännu ett långt lösenord"); code != http.StatusSeeOther {
		t.Errorf("sign-in with the new password: got %d, want 303", code)
	}

	code, _ = post(t, adam, s.url+userPath(kim.ID)+"/active", url.Values{"csrf": {token}, "active": {"false"}})
	if code != http.StatusSeeOther {
		t.Fatalf("deactivate: got %d, want 303", code)
	}
	if code, _, _ := get(t, kc, s.url+"/"); code != http.StatusSeeOther {
		t.Errorf("kim's session after deactivation: got %d, want 303 to sign in", code)
	}
	if code, body := s.login(t, s.client(t), "kim", "ännu ett långt lösenord"); code != http.StatusForbidden ||
		!strings.Contains(body, "Användaren är avaktiverad") {
		t.Errorf("sign-in while deactivated: got %d, want 403 saying the user is deactivated", code)
	}
	if _, body, _ := get(t, adam, s.url+"/admin/users"); !strings.Contains(body, "Avaktiverad") {
		t.Error("the user list does not show kim as deactivated")
	}
	code, _ = post(t, adam, s.url+userPath(kim.ID)+"/active", url.Values{"csrf": {token}, "active": {"true"}})
	if code != http.StatusSeeOther {
		t.Fatalf("reactivate: got %d, want 303", code)
	}
	if code, _ := s.login(t, s.client(t), "kim", "ännu ett långt lösenord"); code != http.StatusSeeOther {
		t.Errorf("sign-in after reactivation: got %d, want 303", code)
	}

	entries, changes = userAudit(t, s, kim.ID)
	var got []string
	for _, e := range entries {
		got = append(got, e.Action)
	}
	want := []string{inbox.ActionUserCreate, inbox.ActionUserRole, inbox.ActionUserPassword, inbox.ActionUserDeactivate, inbox.ActionUserReactivate}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("audit actions: got %v, want %v", got, want)
	}
	if role := changes[1]; role.Before.Role != inbox.RoleSpecialist || role.After.Role != inbox.RoleSupervisor {
		t.Errorf("role audit: got %s → %s, want specialist → supervisor", role.Before.Role, role.After.Role)
	}
	if d := changes[3]; d.Before.DeactivatedAt != nil || d.After.DeactivatedAt == nil {
		t.Error("deactivation audit does not show the user active before and deactivated after")
	}
	if _, body, _ := get(t, adam, s.url+userPath(kim.ID)); !strings.Contains(body, "avaktiverade") || !strings.Contains(body, "adam") {
		t.Error("the user's page does not show the history with the actor")
	}
}

func TestUserAdminUnlock(t *testing.T) {
	s := newAdminSite(t)
	anna, _ := s.store.FindUserByName(t.Context(), "anna")
	for range inbox.DefaultMaxLoginFailures {
		s.login(t, s.client(t), "anna", "inte rätt lösenord")
	}
	if code, _ := s.login(t, s.client(t), "anna", password); code != http.StatusForbidden {
		t.Fatalf("locked sign-in: got %d, want 403", code)
	}
	adam := s.signedIn(t, "adam")
	if _, body, _ := get(t, adam, s.url+"/admin/users"); !strings.Contains(body, "Låst efter misslyckade inloggningar") {
		t.Error("the user list does not show anna as locked")
	}
	token := formToken(t, adam, s.url+userPath(anna.ID))
	if code, _ := post(t, adam, s.url+userPath(anna.ID)+"/unlock", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
		t.Fatalf("unlock: got %d, want 303", code)
	}
	if code, _ := s.login(t, s.client(t), "anna", password); code != http.StatusSeeOther {
		t.Errorf("sign-in after unlock: got %d, want 303", code)
	}
	if entries, _ := userAudit(t, s, anna.ID); len(entries) != 1 || entries[0].Action != inbox.ActionUserUnlock {
		t.Errorf("audit: got %v, want one user_unlock", entries)
	}
}

func TestUserAdminValidation(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	adam := s.signedIn(t, "adam")
	admin, _ := s.store.FindUserByName(ctx, "adam")
	token := formToken(t, adam, s.url+"/admin/users/new")
	t.Run("ErrSpecialistWithoutAdministration", func(t *testing.T) {
		code, body := post(t, adam, s.url+"/admin/users", url.Values{"csrf": {token}, "name": {"<b>kim</b>"},
			"role": {"specialist"}, "password": {password}, "password2": {password}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "En specialist måste tillhöra minst en förvaltning") {
			t.Errorf("got %d, want 422 saying a specialist needs an administration", code)
		}
		if !strings.Contains(body, `value="&lt;b&gt;kim&lt;/b&gt;"`) {
			t.Error("the form does not keep the name entered, escaped")
		}
		if !strings.Contains(body, `aria-describedby="admins-help admins-error"`) || !strings.Contains(body, `id="admins-error"`) {
			t.Error("the error is not tied to the administrations group")
		}
		if _, err := s.store.FindUserByName(ctx, "<b>kim</b>"); inbox.ErrorCode(err) != inbox.ENOTFOUND {
			t.Errorf("a refused form stored the user: %v", err)
		}
	})
	t.Run("ErrShortPassword", func(t *testing.T) {
		code, body := post(t, adam, s.url+"/admin/users", url.Values{"csrf": {token}, "name": {"kim"},
			"role": {"agent"}, "password": {"kort"}, "password2": {"kort"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "minst 12 tecken") ||
			!strings.Contains(body, `id="password-error"`) {
			t.Errorf("got %d, want 422 saying the password is too short next to the field", code)
		}
	})
	t.Run("ErrNameTaken", func(t *testing.T) {
		code, body := post(t, adam, s.url+"/admin/users", url.Values{"csrf": {token}, "name": {"anna"},
			"role": {"agent"}, "password": {password}, "password2": {password}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Det finns redan en användare med det namnet") {
			t.Errorf("got %d, want 422 saying the name is taken", code)
		}
	})
	t.Run("ErrOwnAdminRole", func(t *testing.T) {
		code, body := post(t, adam, s.url+userPath(admin.ID)+"/role", url.Values{"csrf": {token}, "role": {"supervisor"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Du kan inte ta bort din egen administratörsroll") {
			t.Errorf("got %d, want 422 refusing to remove one's own admin role: %s", code, body)
		}
		if u, _ := s.store.FindUserByName(ctx, "adam"); u.Role != inbox.RoleAdmin {
			t.Errorf("adam is %s now, want admin", u.Role)
		}
	})
	t.Run("ErrDeactivateSelf", func(t *testing.T) {
		code, body := post(t, adam, s.url+userPath(admin.ID)+"/active", url.Values{"csrf": {token}, "active": {"false"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Du kan inte avaktivera dig själv") {
			t.Errorf("got %d, want 422 refusing to deactivate oneself", code)
		}
		if u, _ := s.store.FindUserByName(ctx, "adam"); !u.Active() {
			t.Error("adam was deactivated")
		}
	})
}

func userPath(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }

// TestAdminLinks checks that the administration page links to the admin
// pages each role may open.
func TestAdminLinks(t *testing.T) {
	s := newAdminSite(t)
	for name, users := range map[string]bool{"sune": false, "adam": true} {
		_, body, _ := get(t, s.signedIn(t, name), s.url+"/admin")
		if !strings.Contains(body, `href="/admin/rules"`) || !strings.Contains(body, `href="/admin/answers"`) {
			t.Errorf("%s: the page does not link to the rules and the answer bank", name)
		}
		if got := strings.Contains(body, `href="/admin/users"`); got != users {
			t.Errorf("%s: link to the users: got %v, want %v", name, got, users)
		}
	}
}

// TestUserPasswordResetSessions resets passwords on the user page: the
// user's sessions end; admins resetting their own stay signed in in the
// browser they did it from, and only there.
func TestUserPasswordResetSessions(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	adam, adamElsewhere, anna := s.signedIn(t, "adam"), s.signedIn(t, "adam"), s.signedIn(t, "anna")
	admin, _ := s.store.FindUserByName(ctx, "adam")
	agent, _ := s.store.FindUserByName(ctx, "anna")
	token := formToken(t, adam, s.url+userPath(agent.ID))
	const newPassword = "ett helt nytt lösenord"
	for _, id := range []int64{agent.ID, admin.ID} {
		code, _ := post(t, adam, s.url+userPath(id)+"/password", url.Values{"csrf": {token},
			"password": {newPassword}, "password2": {newPassword}})
		if code != http.StatusSeeOther {
			t.Fatalf("reset of user %d: got %d, want 303", id, code)
		}
	}
	if code, _, _ := get(t, anna, s.url+"/"); code != http.StatusSeeOther {
		t.Errorf("anna's session after the reset: got %d, want 303 to sign in", code)
	}
	if code, _, _ := get(t, adamElsewhere, s.url+"/"); code != http.StatusSeeOther {
		t.Errorf("adam's other session after resetting his own password: got %d, want 303 to sign in", code)
	}
	if code, body, _ := get(t, adam, s.url+userPath(admin.ID)); code != http.StatusOK || !strings.Contains(body, "Lösenordet är bytt") {
		t.Errorf("adam's own session after resetting his own password: got %d, want 200 with the flash", code)
	}
}

// TestCreateUserInvisibleName: the form refuses a name with a zero-width
// space next to the name field, in Swedish, and stores nothing.
func TestCreateUserInvisibleName(t *testing.T) {
	s := newAdminSite(t)
	adam := s.signedIn(t, "adam")
	token := formToken(t, adam, s.url+"/admin/users/new")
	code, body := post(t, adam, s.url+"/admin/users", url.Values{"csrf": {token}, "name": {"anna\u200b"}, "role": {"agent"},
		"password": {"ett nytt långt lösenord"}, "password2": {"ett nytt långt lösenord"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "osynliga tecken") || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("got %d, want 422 with the name marked and the reason in Swedish", code)
	}
	if users, _ := s.store.FindUserAccounts(t.Context()); len(users) != 4 {
		t.Errorf("got %d users, want the 4 there were", len(users))
	}
}

// TestSetUserActiveValue: only active=true and active=false change a
// user; any other value, or none, is refused with a message and leaves
// the user as they were.
func TestSetUserActiveValue(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	adam := s.signedIn(t, "adam")
	anna, _ := s.store.FindUserByName(ctx, "anna")
	token := formToken(t, adam, s.url+userPath(anna.ID))
	for _, form := range []url.Values{
		{"csrf": {token}, "active": {"maybe"}},
		{"csrf": {token}, "active": {""}},
		{"csrf": {token}},
	} {
		code, body := post(t, adam, s.url+userPath(anna.ID)+"/active", form)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "inget ändrades") {
			t.Errorf("active=%q: got %d, want 422 saying nothing was changed", form.Get("active"), code)
		}
		if u, _ := s.store.FindUserByName(ctx, "anna"); !u.Active() {
			t.Fatalf("active=%q deactivated anna", form.Get("active"))
		}
	}
	if code, _ := post(t, adam, s.url+userPath(anna.ID)+"/active", url.Values{"csrf": {token}, "active": {"false"}}); code != http.StatusSeeOther {
		t.Fatalf("active=false: got %d, want 303", code)
	}
	if u, _ := s.store.FindUserByName(ctx, "anna"); u.Active() {
		t.Error("active=false left anna active")
	}
}
