package main

import (
	"context"
	"errors"
	"fmt"

	"inkorg/inbox"
)

// accountsPageID sets or forgets the Facebook Page an Instagram account is
// linked to: "accounts page-id ID PAGE_ID|none". With Facebook Login Meta
// lists the account's private conversations on that Page; the
// reconciliation poll also learns it from a Page token by itself.
func accountsPageID(ctx context.Context, e *env, args []string) error {
	if len(args) != 2 {
		return usagef("usage: inkorg accounts page-id INSTAGRAM_ID PAGE_ID|none")
	}
	pageID := args[1]
	if pageID == "none" {
		pageID = ""
	}
	if err := inbox.ValidatePageID(inbox.PlatformInstagram, pageID); err != nil {
		return usagef("accounts page-id: %s", inbox.ErrorMessage(err))
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		a, err := findAccount(ctx, store, args[0], inbox.PlatformInstagram)
		if err != nil {
			return err
		}
		if err := store.SetAccountPageID(ctx, a.ID, pageID); err != nil {
			return errors.New(inbox.ErrorMessage(err))
		}
		if pageID == "" {
			fmt.Fprintf(e.stdout, "instagram account %s: no linked Page; its conversations are read on its own id\n", a.ExternalID)
			return nil
		}
		fmt.Fprintf(e.stdout, "instagram account %s: conversations are read on Page %s\n", a.ExternalID, pageID)
		return nil
	})
}
