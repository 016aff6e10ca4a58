package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/secretbox"
)

const accountsUsage = "usage: inkorg accounts add --platform facebook|instagram --id ID --name NAME [--login facebook|instagram] [--page-id PAGE_ID] [--token-stdin] | accounts list | accounts page-id ID PAGE_ID|none | accounts remove ID [--platform facebook|instagram] | accounts token ID [--platform facebook|instagram] < token | accounts human-agent ID on|off [--platform facebook|instagram] | accounts login ID facebook|instagram [--platform facebook|instagram] | accounts check | accounts rotate-key"

// accountsCmd manages the Pages and Instagram accounts the city answers
// on, and their access tokens (stored encrypted with INKORG_SECRET_KEY).
func accountsCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef(accountsUsage)
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "add":
		return accountsAdd(ctx, e, rest)
	case "list":
		return accountsList(ctx, e, rest)
	case "remove":
		return accountsRemove(ctx, e, rest)
	case "token":
		return accountsToken(ctx, e, rest)
	case "human-agent":
		return accountsHumanAgent(ctx, e, rest)
	case "login":
		return accountsLogin(ctx, e, rest)
	case "page-id":
		if slices.ContainsFunc(rest, isHelpFlag) {
			// page-id reads no flags; run prints the usage.
			return usagef("usage: inkorg accounts page-id INSTAGRAM_ID PAGE_ID|none")
		}
		return accountsPageID(ctx, e, rest)
	case "check":
		return accountsCheck(ctx, e, rest)
	case "rotate-key":
		return accountsRotateKey(ctx, e, rest)
	default:
		return usagef("accounts: unknown subcommand %q; %s", sub, accountsUsage)
	}
}

func accountsAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("accounts add")
	platform := fs.String("platform", "", "facebook or instagram")
	id := fs.String("id", "", "the Page id or Instagram account id (entry.id in webhooks)")
	name := fs.String("name", "", "a name staff recognise")
	pageID := fs.String("page-id", "", "for an Instagram account with Facebook Login: the linked Facebook Page's id")
	login := fs.String("login", "facebook", "how the account signs in to Meta: facebook (a Page token, graph.facebook.com) or instagram (Instagram API with Instagram Login, graph.instagram.com)")
	tokenStdin := fs.Bool("token-stdin", false, "read the account's access token from stdin and store it encrypted")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a := &inbox.Account{Platform: inbox.Platform(*platform), ExternalID: strings.TrimSpace(*id), Name: strings.TrimSpace(*name),
		PageID: strings.TrimSpace(*pageID), Login: inbox.AccountLogin(strings.TrimSpace(*login))}
	if !a.Platform.Valid() || a.ExternalID == "" || a.Name == "" {
		return usagef("accounts add: --platform facebook|instagram, --id and --name are required")
	}
	if err := inbox.ValidateLogin(a.Platform, a.Login); err != nil || !a.Login.Valid() {
		return usagef("accounts add: --login facebook|instagram, and instagram only with --platform instagram")
	}
	if a.Login == inbox.LoginInstagram && a.PageID != "" {
		return usagef("accounts add: an account with --login instagram has no linked Page; leave out --page-id")
	}
	if err := checkPageIDFlag(a.Platform, a.PageID); err != nil {
		return err
	}
	var box *secretbox.Box
	var token string
	if *tokenStdin {
		var err error
		if box, err = requireSealer(e); err != nil {
			return err
		}
		if token, err = readToken(e.stdin); err != nil {
			return usagef("accounts add: %v", err)
		}
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		if err := store.CreateAccount(ctx, a); err != nil {
			return fmt.Errorf("accounts add: %s", inbox.ErrorMessage(err))
		}
		if token != "" {
			if err := storeToken(ctx, store, box, a, token); err != nil {
				return fmt.Errorf("accounts add: %w", err)
			}
		}
		fmt.Fprintf(e.stdout, "added %s account %s (%s, %s login)\n", a.Platform, a.ExternalID, a.Name, a.Login)
		return nil
	})
}

// checkPageIDFlag checks --page-id of accounts add, and says what is wrong
// with it naming the flag, not the API's page_id.
func checkPageIDFlag(platform inbox.Platform, pageID string) error {
	if pageID != "" && platform != inbox.PlatformInstagram {
		return usagef("accounts add: --page-id är bara för Instagramkonton (den Facebooksida kontot är kopplat till); utelämna den med --platform %s / "+
			"--page-id is only for Instagram accounts (the Facebook Page the account is linked to); leave it out with --platform %s", platform, platform)
	}
	if err := inbox.ValidatePageID(platform, pageID); err != nil {
		return usagef("accounts add: --page-id: %s", inbox.ErrorMessage(err))
	}
	return nil
}

func accountsList(ctx context.Context, e *env, args []string) error {
	if err := parseFlags(newFlagSet("accounts list"), args); err != nil {
		return err
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		accounts, err := store.FindAccounts(ctx)
		if err != nil {
			return fmt.Errorf("accounts list: %s", inbox.ErrorMessage(err))
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "PLATFORM\tID\tNAME\tLOGIN\tADDED\tTOKEN")
		for _, a := range accounts {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Platform, a.ExternalID, a.Name, a.Login, a.CreatedAt.UTC().Format(time.RFC3339), tokenState(a))
		}
		if err := w.Flush(); err != nil {
			return err
		}
		unknown, err := store.FindUnknownAccounts(ctx)
		if err != nil {
			return fmt.Errorf("accounts list: %s", inbox.ErrorMessage(err))
		}
		if len(unknown) == 0 {
			return nil
		}
		fmt.Fprintln(e.stdout, "\nnot set up: conversations arrived for these accounts, flagged unknown account; add the city's with inkorg accounts add")
		fmt.Fprintln(w, "PLATFORM\tID\tCONVERSATIONS\tLATEST MESSAGE")
		for _, u := range unknown {
			fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", u.Platform, u.ExternalID, u.Conversations, u.LastMessageAt.UTC().Format(time.RFC3339))
		}
		return w.Flush()
	})
}

// accountsRemove takes the account id first or last, so that both
// "remove ID --platform P" and "remove --platform P ID" work.
func accountsRemove(ctx context.Context, e *env, args []string) error {
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	fs := newFlagSet("accounts remove")
	platform := fs.String("platform", "", "facebook or instagram; needed only when both have the id")
	if err := parseFlagArgs(fs, args); err != nil {
		return err
	}
	if id == "" && fs.NArg() == 1 {
		id = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usagef("accounts remove: unexpected argument %q", strings.Join(fs.Args(), " "))
	}
	if id == "" {
		return usagef("usage: inkorg accounts remove ID [--platform facebook|instagram]")
	}
	if err := checkPlatformFlag("accounts remove", *platform); err != nil {
		return err
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		p, err := accountPlatform(ctx, store, "accounts remove", id, inbox.Platform(*platform))
		if err != nil {
			return err
		}
		if err := store.RemoveAccount(ctx, p, id); err != nil {
			return fmt.Errorf("accounts remove: %s", inbox.ErrorMessage(err))
		}
		fmt.Fprintf(e.stdout, "removed %s account %s; its conversations are kept, flagged as an unknown account\n", p, id)
		return nil
	})
}

// accountPlatform returns the platform of the managed account id: the one
// given, or the only one that has the id. cmd, such as "accounts remove",
// names the command in errors; it takes --platform.
func accountPlatform(ctx context.Context, store inbox.AccountStore, cmd, id string, given inbox.Platform) (inbox.Platform, error) {
	if given != "" {
		return given, nil
	}
	accounts, err := store.FindAccounts(ctx)
	if err != nil {
		return "", fmt.Errorf("%s: %s", cmd, inbox.ErrorMessage(err))
	}
	var found []inbox.Platform
	for _, a := range accounts {
		if a.ExternalID == id {
			found = append(found, a.Platform)
		}
	}
	switch len(found) {
	case 0:
		return "", fmt.Errorf("%s: no account with id %s is managed; see inkorg accounts list", cmd, id)
	case 1:
		return found[0], nil
	}
	return "", usagef("%s: both platforms have an account with id %s; add --platform facebook or --platform instagram", cmd, id)
}

// checkPlatformFlag accepts an empty --platform or a known platform.
func checkPlatformFlag(cmd, platform string) error {
	if p := inbox.Platform(platform); platform != "" && !p.Valid() {
		return usagef("%s: unknown platform %q; use facebook or instagram", cmd, platform)
	}
	return nil
}

// tokenState says what staff need to know of an account's token.
func tokenState(a *inbox.Account) string {
	switch {
	case a.NeedsToken:
		return "needs new token"
	case a.HasToken:
		return "stored"
	}
	return "missing"
}
