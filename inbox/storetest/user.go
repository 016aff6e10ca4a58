package storetest

import (
	"fmt"
	"reflect"
	"testing"

	"inkorg/inbox"
)

func runUsers(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		u := &inbox.User{Name: "Åsa Öberg", Role: inbox.RoleSpecialist, AdministrationID: "idrott-och-forening", PasswordHash: "$2a$10$abc"}
		createUser(t, s, u)
		if u.ID == 0 || u.CreatedAt.IsZero() {
			t.Fatalf("got ID %d, CreatedAt %s; want both set", u.ID, u.CreatedAt)
		}
		got, err := s.FindUserByName(ctx(t), "Åsa Öberg")
		if err != nil {
			t.Fatalf("FindUserByName: %v", err)
		}
		wantTime(t, "CreatedAt", got.CreatedAt, u.CreatedAt)
		got.CreatedAt = u.CreatedAt
		if !reflect.DeepEqual(got, u) {
			t.Errorf("got %+v, want %+v", got, u)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		createUser(t, s, &inbox.User{Name: "anna", Role: inbox.RoleAgent})
		createUser(t, s, &inbox.User{Name: "Åsa", Role: inbox.RoleAgent})
		// Names that differ only in case or Unicode form are one name.
		for _, name := range []string{"anna", "Anna", "åsa", "A\u030asa"} {
			err := s.CreateUser(ctx(t), &inbox.User{Name: name, Role: inbox.RoleAdmin})
			wantCode(t, err, inbox.ECONFLICT)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		for _, u := range []*inbox.User{
			{Name: "anna", Role: "boss"},
			{Name: "", Role: inbox.RoleAgent},
			{Name: "bertil", Role: inbox.RoleSpecialist},
		} {
			wantCode(t, s.CreateUser(ctx(t), u), inbox.EINVALID)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := open(t).FindUserByName(ctx(t), "nobody")
		wantCode(t, err, inbox.ENOTFOUND)
	})
	t.Run("OKNameFold", func(t *testing.T) {
		s := open(t)
		asa := &inbox.User{Name: "Åsa", Role: inbox.RoleAgent}
		createUser(t, s, asa)
		createUser(t, s, &inbox.User{Name: "Åsan", Role: inbox.RoleAgent})
		for _, name := range []string{"ÅSA", "a\u030aSA"} {
			got, err := s.FindUsersByNameFold(ctx(t), name)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, u := range got {
				names = append(names, u.Name)
			}
			if len(got) != 1 || got[0].ID != asa.ID || got[0].Role != inbox.RoleAgent {
				t.Errorf("%q: got %v, want Åsa", name, names)
			}
		}
		if none, err := s.FindUsersByNameFold(ctx(t), "nobody"); err != nil || len(none) != 0 {
			t.Errorf("nobody: got %d users, %v; want none", len(none), err)
		}
	})
}

func createUser(t *testing.T, s inbox.Store, u *inbox.User) {
	t.Helper()
	if err := s.CreateUser(ctx(t), u); err != nil {
		t.Fatalf("CreateUser(%q): %v", u.Name, err)
	}
}

func runAPITokens(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		u := &inbox.User{Name: "integration", Role: inbox.RoleAgent}
		createUser(t, s, u)
		tok := &inbox.APIToken{UserID: u.ID, Hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
		if err := s.CreateAPIToken(ctx(t), tok); err != nil {
			t.Fatalf("CreateAPIToken: %v", err)
		}
		if tok.ID == 0 {
			t.Errorf("got token ID 0, want it set")
		}
		for range 2 { // the second use may skip recording it
			got, err := s.FindUserByTokenHash(ctx(t), tok.Hash)
			if err != nil || got.ID != u.ID || got.Name != u.Name {
				t.Fatalf("got user %+v, error %v; want %+v", got, err, u)
			}
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		u := &inbox.User{Name: "integration", Role: inbox.RoleAgent}
		createUser(t, s, u)
		if err := s.CreateAPIToken(ctx(t), &inbox.APIToken{UserID: u.ID, Hash: "h1"}); err != nil {
			t.Fatalf("CreateAPIToken: %v", err)
		}
		wantCode(t, s.CreateAPIToken(ctx(t), &inbox.APIToken{UserID: u.ID, Hash: "h1"}), inbox.ECONFLICT)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		wantCode(t, s.CreateAPIToken(ctx(t), &inbox.APIToken{UserID: 4711, Hash: "h1"}), inbox.EINVALID)
		wantCode(t, s.CreateAPIToken(ctx(t), &inbox.APIToken{UserID: 1}), inbox.EINVALID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := open(t).FindUserByTokenHash(ctx(t), "unknown")
		wantCode(t, err, inbox.ENOTFOUND)
	})
}

func runAccounts(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		fb := &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: PageID, Name: "Göteborgs Stad"}
		ig := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: InstagramID, Name: "goteborgsstad"}
		// The same id on another platform is another account.
		other := &inbox.Account{Platform: inbox.PlatformInstagram, ExternalID: PageID, Name: "Kulturförvaltningen"}
		for _, a := range []*inbox.Account{fb, ig, other} {
			if err := s.CreateAccount(ctx(t), a); err != nil {
				t.Fatalf("CreateAccount(%s): %v", a.Name, err)
			}
		}
		got, err := s.FindAccounts(ctx(t))
		if err != nil || len(got) != 3 {
			t.Fatalf("got %d accounts, error %v; want 3", len(got), err)
		}
		for _, want := range []*inbox.Account{fb, ig, other} {
			if !containsAccount(got, want) {
				t.Errorf("got accounts %s, want one equal to %+v", fmtAccounts(got), *want)
			}
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		a := inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: PageID, Name: "Göteborgs Stad"}
		if err := s.CreateAccount(ctx(t), &a); err != nil {
			t.Fatalf("CreateAccount: %v", err)
		}
		again := inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: PageID, Name: "Again"}
		wantCode(t, s.CreateAccount(ctx(t), &again), inbox.ECONFLICT)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		for _, a := range []*inbox.Account{
			{Platform: "tiktok", ExternalID: "1", Name: "x"},
			{Platform: inbox.PlatformFacebook, ExternalID: " ", Name: "x"},
			{Platform: inbox.PlatformFacebook, ExternalID: "1", Name: ""},
		} {
			wantCode(t, s.CreateAccount(ctx(t), a), inbox.EINVALID)
		}
	})
}

func fmtAccounts(accounts []*inbox.Account) string {
	s := ""
	for _, a := range accounts {
		s += fmt.Sprintf("%+v ", *a)
	}
	return s
}

func containsAccount(accounts []*inbox.Account, want *inbox.Account) bool {
	for _, a := range accounts {
		if a.ID == want.ID && a.Platform == want.Platform && a.ExternalID == want.ExternalID &&
			a.Name == want.Name && a.CreatedAt.Equal(want.CreatedAt) {
			return true
		}
	}
	return false
}

func runAudit(t *testing.T, open opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		u := &inbox.User{Name: "anna", Role: inbox.RoleAgent}
		createUser(t, s, u)
		conv := apply(t, s, Event("psid_1", "m_1", T0)).ConversationID
		other := apply(t, s, Event("psid_2", "m_2", T0)).ConversationID
		entries := []*inbox.AuditEntry{
			{ActorID: u.ID, Action: "assign", ConversationID: conv, Detail: `{"assignee_id":1}`},
			{Action: "route", ConversationID: conv, Detail: `{"administration_id":"kultur"}`},
			{ActorID: u.ID, Action: "resolve", ConversationID: other},
		}
		for _, e := range entries {
			if err := s.AddAudit(ctx(t), e); err != nil {
				t.Fatalf("AddAudit(%s): %v", e.Action, err)
			}
			if e.ID == 0 || e.CreatedAt.IsZero() {
				t.Fatalf("got ID %d, CreatedAt %s; want both set", e.ID, e.CreatedAt)
			}
		}
		got, err := s.FindAudit(ctx(t), conv)
		if err != nil || len(got) != 2 {
			t.Fatalf("got %d entries, error %v; want 2", len(got), err)
		}
		for i, want := range entries[:2] {
			wantTime(t, "CreatedAt", got[i].CreatedAt, want.CreatedAt)
			got[i].CreatedAt = want.CreatedAt
			if *got[i] != *want {
				t.Errorf("entry %d: got %+v, want %+v", i, got[i], want)
			}
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		wantCode(t, s.AddAudit(ctx(t), &inbox.AuditEntry{Action: "assign", ConversationID: 4711}), inbox.EINVALID)
		wantCode(t, s.AddAudit(ctx(t), &inbox.AuditEntry{}), inbox.EINVALID)
	})
}
