package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"inkorg/inbox"
)

const tokensUsage = "usage: inkorg tokens create --user LOGIN [--name NAME] [--expires 90d|720h|2027-06-30|RFC3339] [--read-only] | list [--user LOGIN] | revoke ID"

// maxTokenName bounds what an operator may call a token.
const maxTokenName = 100

// tokensCmd manages API tokens from the command line. Like the API, it
// never shows a token's hash, shows a new token only once, and audits
// creation and revocation (as the system: the command line has no user).
func tokensCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("%s", tokensUsage)
	}
	switch args[0] {
	case "create":
		return tokensCreate(ctx, e, args[1:], "tokens create")
	case "list":
		return tokensList(ctx, e, args[1:])
	case "revoke":
		return tokensRevoke(ctx, e, args[1:])
	}
	return usagef("tokens: unknown command %q\n%s", args[0], tokensUsage)
}

// tokensCreate prints a new token for --user on one line of stdout.
func tokensCreate(ctx context.Context, e *env, args []string, cmd string) error {
	fs := newFlagSet(cmd)
	login := fs.String("user", "", "the user the token acts as")
	name := fs.String("name", "", "what the token is for, shown when tokens are listed")
	expires := fs.String("expires", "", "when the token stops working: "+inbox.TokenExpiryHelp+"; never when not given")
	readOnly := fs.Bool("read-only", false, "the token may only read (GET, HEAD, OPTIONS); without it, it acts with the user's full role")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *login == "" {
		return usagef("%s: --user is required", cmd)
	}
	if err := checkTokenName(*name); err != nil {
		return usagef("%s: %v", cmd, err)
	}
	expiresAt, err := tokenExpiresFlag(fs, *expires)
	if err != nil {
		return usagef("%s: --expires: %s", cmd, inbox.ErrorMessage(err))
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		u, err := store.FindUserByName(ctx, *login)
		if inbox.ErrorCode(err) == inbox.ENOTFOUND {
			return fmt.Errorf("%s: no user named %q; add one with inkorg user add", cmd, *login)
		} else if err != nil {
			return err
		}
		if !u.Active() {
			// The token would work again the moment the user is reactivated.
			return fmt.Errorf("%s: user %q is deactivated; reactivate them on /admin/users first", cmd, u.Name)
		}
		token, err := issueAPIToken(ctx, store, &inbox.APIToken{UserID: u.ID, Name: *name, ExpiresAt: expiresAt, ReadOnly: *readOnly})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, token)
		return nil
	})
}

// tokenExpiresFlag returns when a token made now expires by --expires:
// nil, never, when the flag is not given; an empty value is malformed.
func tokenExpiresFlag(fs *flag.FlagSet, value string) (*time.Time, error) {
	if !flagGiven(fs, "expires") {
		return nil, nil
	}
	at, err := inbox.ParseTokenExpiry(value, time.Now())
	if err != nil {
		return nil, err
	}
	return &at, nil
}

// checkTokenName accepts up to maxTokenName bytes of printable text.
func checkTokenName(name string) error {
	if len(name) > maxTokenName {
		return fmt.Errorf("--name is longer than %d bytes", maxTokenName)
	}
	if strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return fmt.Errorf("--name must be printable text on one line")
	}
	return nil
}

// issueToken stores a new API token for u with its full role that never
// expires, audits it and returns the token: the only time it is ever shown.
func issueToken(ctx context.Context, store inbox.Store, u *inbox.User, name string) (string, error) {
	return issueAPIToken(ctx, store, &inbox.APIToken{UserID: u.ID, Name: name})
}

// issueAPIToken is issueToken for the token t describes: its user, name,
// expiry and scope.
func issueAPIToken(ctx context.Context, store inbox.Store, t *inbox.APIToken) (string, error) {
	token, hash, err := inbox.NewAPITokenSecret()
	if err != nil {
		return "", err
	}
	t.Hash = hash
	if err := store.CreateAPIToken(ctx, t); err != nil {
		return "", err
	}
	if err := store.AddAudit(ctx, inbox.TokenAudit(inbox.ActionTokenCreate, 0, t, "cli")); err != nil {
		return "", err
	}
	return token, nil
}

// tokensList prints every token, or one user's, newest first, with what
// it may do, when it was last used and when it expires.
func tokensList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("tokens list")
	login := fs.String("user", "", "only this user's tokens")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		var tokens []*inbox.APIToken
		var err error
		if *login != "" {
			u, ferr := store.FindUserByName(ctx, *login)
			if inbox.ErrorCode(ferr) == inbox.ENOTFOUND {
				return fmt.Errorf("tokens list: no user named %q", *login)
			} else if ferr != nil {
				return ferr
			}
			tokens, err = store.FindAPITokens(ctx, u.ID)
		} else {
			tokens, err = store.FindAllAPITokens(ctx)
		}
		if err != nil {
			return err
		}
		names := map[int64]string{}
		now := time.Now()
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tUSER\tNAME\tACCESS\tCREATED\tLAST USED\tEXPIRES")
		for _, t := range tokens {
			if _, ok := names[t.UserID]; !ok {
				names[t.UserID] = userName(ctx, store, t.UserID)
			}
			lastUsed := "never"
			if t.LastUsedAt != nil {
				lastUsed = t.LastUsedAt.UTC().Format(time.RFC3339)
			}
			name := t.Name
			if name == "" {
				name = "-"
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, names[t.UserID], name, tokenAccess(t),
				t.CreatedAt.UTC().Format(time.RFC3339), lastUsed, tokenExpiry(t, now))
		}
		return w.Flush()
	})
}

// tokenAccess says what t may do: "read-only", or "full" (its user's
// role).
func tokenAccess(t *inbox.APIToken) string {
	if t.ReadOnly {
		return "read-only"
	}
	return "full"
}

// tokenExpiry says when t expires, in UTC like the other times listed:
// "never", or the time, marked when it has passed.
func tokenExpiry(t *inbox.APIToken, now time.Time) string {
	if t.ExpiresAt == nil {
		return "never"
	}
	at := t.ExpiresAt.UTC().Format(time.RFC3339)
	if t.Expired(now) {
		return at + " (expired)"
	}
	return at
}

// userName returns the login of the user with id, or "#id" when the lookup
// fails.
func userName(ctx context.Context, store inbox.Store, id int64) string {
	u, err := store.FindUserByID(ctx, id)
	if err != nil {
		return "#" + strconv.FormatInt(id, 10)
	}
	return u.Name
}

// tokensRevoke deletes one token: it stops working at once.
func tokensRevoke(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return usagef("tokens revoke: name one token id\n%s", tokensUsage)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return usagef("tokens revoke: token id must be a positive integer, not %q", args[0])
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		t, err := store.FindAPIToken(ctx, id)
		if inbox.ErrorCode(err) == inbox.ENOTFOUND {
			return fmt.Errorf("tokens revoke: no token with id %d; see inkorg tokens list", id)
		} else if err != nil {
			return err
		}
		if err := store.DeleteAPIToken(ctx, id); err != nil {
			return err
		}
		if err := store.AddAudit(ctx, inbox.TokenAudit(inbox.ActionTokenRevoke, 0, t, "cli")); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked token %d of %s\n", id, userName(ctx, store, t.UserID))
		return nil
	})
}
