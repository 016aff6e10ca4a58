package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // expiry is shown in Stockholm time whatever the host has

	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/reconcile"
	"inkorg/inbox/secretbox"
)

// stockholm is the zone token expiry is shown in.
var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		// The zone database is embedded; this cannot happen.
		return time.UTC
	}
	return loc
}()

// accountsCheck validates every stored token against the Graph API and
// reports each account's state, the token's expiry and the permissions it
// lacks. With META_APP_ID and META_APP_SECRET it asks debug_token, which
// knows expiry and permissions; otherwise only /me, which knows neither.
// It records what it found for the channel health, and fails when any
// token is missing or rejected, so it can run as a health check.
func accountsCheck(ctx context.Context, e *env, args []string) error {
	if err := parseFlags(newFlagSet("accounts check"), args); err != nil {
		return err
	}
	g, err := openGraph(e, false)
	if err != nil {
		return err
	}
	defer g.close()
	box, err := openSealer(e)
	if err != nil {
		return err
	}
	checker := reconcile.TokenChecker{Graph: g.client, App: graph.App{ID: e.cfg.MetaAppID, Secret: e.cfg.MetaAppSecret}}
	return withStore(ctx, e, func(store inbox.Store) error {
		accounts, err := store.FindAccounts(ctx)
		if err != nil {
			return errors.New(inbox.ErrorMessage(err))
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "PLATFORM\tID\tNAME\tTOKEN\tEXPIRES\tDETAIL")
		bad, warned := 0, 0
		for _, a := range accounts {
			r := checkAccount(ctx, store, box, checker, a)
			if r.state != "valid" {
				bad++
			}
			if r.warn {
				warned++
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Platform, a.ExternalID, a.Name, r.state, r.expires, r.detail)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if warned > 0 {
			fmt.Fprintf(e.stderr, "warning: %d of %d accounts have a token that expires within 7 days, lacks permissions or is for another login\n", warned, len(accounts))
		}
		if bad > 0 {
			return fmt.Errorf("accounts check: %d of %d accounts cannot send", bad, len(accounts))
		}
		return nil
	})
}

// tokenCommand is the command that stores a's token. It names the
// platform: a Page and an Instagram account may have the same id, and
// accounts token refuses an id both have without it.
func tokenCommand(a *inbox.Account) string {
	return fmt.Sprintf("inkorg accounts token %s --platform %s < token.txt", a.ExternalID, a.Platform)
}

// tokenReport is one account's line of accounts check.
type tokenReport struct {
	// state is valid, missing, unreadable, undecryptable, invalid or
	// unreachable.
	state   string
	expires string
	detail  string
	// warn is set when a valid token expires soon or lacks permissions.
	warn bool
}

// checkAccount checks a's token and records the result.
func checkAccount(ctx context.Context, store inbox.Store, box *secretbox.Box, checker reconcile.TokenChecker, a *inbox.Account) tokenReport {
	sealed, err := store.FindAccountToken(ctx, a.ID)
	switch {
	case err != nil:
		return tokenReport{state: "unreadable", expires: "–", detail: inbox.ErrorMessage(err)}
	case sealed == "":
		return tokenReport{state: "missing", expires: "–", detail: "store one with: " + tokenCommand(a)}
	case box == nil:
		return tokenReport{state: "undecryptable", expires: "–", detail: "INKORG_SECRET_KEY is not set"}
	}
	token, err := box.Open(sealed)
	if err != nil {
		return tokenReport{state: "undecryptable", expires: "–", detail: "sealed with a key INKORG_SECRET_KEY no longer lists"}
	}
	checker.Graph = checker.Graph.ForAccount(a)
	res, err := checker.Check(ctx, a.Platform, token)
	if recErr := reconcile.RecordTokenCheck(ctx, store, a, res, err); recErr != nil {
		return tokenReport{state: "unreadable", expires: "–", detail: "the check could not be recorded: " + inbox.ErrorMessage(recErr)}
	}
	switch {
	case graph.ClassOf(err) == graph.Token:
		return tokenReport{state: "invalid", expires: "–", detail: graph.ExplainError(err).EN}
	case graph.ClassOf(err) == graph.Permission:
		return tokenReport{state: "unreachable", expires: "–", detail: "Meta rejected META_APP_ID or META_APP_SECRET; check them in the app's settings"}
	case err != nil:
		return tokenReport{state: "unreachable", expires: "–", detail: "the Graph API did not answer; try again"}
	}
	r := validReport(res, checker.App, checker.Now)
	if res.Login != "" && res.Login != a.Login {
		r.warn = true
		r.detail += fmt.Sprintf("; WARNING: the token comes from %s Login but the account uses --login %s, so its calls go to the wrong Graph API host; change it with inkorg accounts login %s %s --platform %s",
			loginName(res.Login), a.Login, a.ExternalID, res.Login, a.Platform)
	}
	return r
}

// loginName is how Meta names a login.
func loginName(l inbox.AccountLogin) string {
	if l == inbox.LoginInstagram {
		return "Instagram"
	}
	return "Facebook"
}

// validReport describes a working token.
func validReport(res reconcile.TokenResult, app graph.App, now func() time.Time) tokenReport {
	if now == nil {
		now = time.Now
	}
	r := tokenReport{state: "valid"}
	details := []string{"belongs to " + res.Owner}
	switch {
	case !res.ExpiryKnown && app.ID == "":
		r.expires = "unknown (META_APP_ID not set)"
	case !res.ExpiryKnown:
		r.expires = "unknown (META_APP_SECRET not set)"
	case res.ExpiresAt == nil:
		r.expires = "never"
	default:
		r.expires = stockholmTime(*res.ExpiresAt)
	}
	if d := res.DataAccessExpiresAt; d != nil {
		details = append(details, "data access until "+stockholmTime(*d))
	}
	a := inbox.Account{TokenExpiryKnown: res.ExpiryKnown, TokenExpiresAt: res.ExpiresAt, TokenDataAccessExpiresAt: res.DataAccessExpiresAt}
	if a.TokenExpiresWithin(now(), inbox.TokenExpiryWarning) {
		r.warn = true
		details = append(details, "WARNING: expires within 7 days; give it a new token")
	}
	if len(res.MissingScopes) > 0 {
		r.warn = true
		details = append(details, "missing permissions: "+strings.Join(res.MissingScopes, ", "))
	}
	r.detail = strings.Join(details, "; ")
	return r
}

// stockholmTime formats t in Stockholm time.
func stockholmTime(t time.Time) string { return t.In(stockholm).Format("2006-01-02 15:04 MST") }
