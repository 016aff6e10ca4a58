package main

import (
	"context"
	"errors"
	"fmt"

	"inkorg/inbox"
)

// accountsLogin changes how an account signs in to Meta:
// "accounts login ID facebook|instagram [--platform P]". Instagram Login
// has no linked Page, so switching to it forgets the account's Page; the
// stored token stays and must be one of the new login.
func accountsLogin(ctx context.Context, e *env, args []string) error {
	const cmd = "accounts login"
	pos, platform, err := accountArgs(cmd, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || !inbox.AccountLogin(pos[1]).Valid() {
		return usagef("usage: inkorg %s ID facebook|instagram [--platform facebook|instagram]", cmd)
	}
	login := inbox.AccountLogin(pos[1])
	if platform != "" {
		if err := inbox.ValidateLogin(platform, login); err != nil {
			return usagef("%s: instagram only for an Instagram account", cmd)
		}
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		a, err := findAccountFor(ctx, store, cmd, pos[0], platform)
		if err != nil {
			return err
		}
		if err := inbox.ValidateLogin(a.Platform, login); err != nil {
			return usagef("%s: %s account %s cannot use Instagram Login; only Instagram accounts can", cmd, a.Platform, a.ExternalID)
		}
		if a.Login == login {
			fmt.Fprintf(e.stdout, "%s account %s already uses %s login\n", a.Platform, a.ExternalID, login)
			return nil
		}
		if err := store.SetAccountLogin(ctx, a.ID, login); err != nil {
			return errors.New(inbox.ErrorMessage(err))
		}
		fmt.Fprintf(e.stdout, "%s account %s now uses %s login", a.Platform, a.ExternalID, login)
		if login == inbox.LoginInstagram && a.PageID != "" {
			fmt.Fprintf(e.stdout, "; its linked Page %s is forgotten", a.PageID)
		}
		if a.HasToken {
			fmt.Fprintf(e.stdout, "; give it a token of that login with %s if the stored one is not", tokenCommand(a))
		}
		fmt.Fprintln(e.stdout)
		return nil
	})
}
