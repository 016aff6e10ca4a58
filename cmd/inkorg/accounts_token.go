package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"inkorg/inbox"
	"inkorg/inbox/secretbox"
)

// readToken reads an access token from the first line of stdin. It is
// never echoed or logged.
func readToken(stdin io.Reader) (string, error) {
	if stdin == nil {
		return "", errors.New("no access token on stdin")
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 8192)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the access token from stdin: %w", err)
	}
	token := strings.TrimSpace(line)
	if token == "" {
		return "", errors.New("no access token on stdin")
	}
	return token, nil
}

// requireSealer returns the box for INKORG_SECRET_KEY, or an error telling
// the operator to set it.
func requireSealer(e *env) (*secretbox.Box, error) {
	box, err := openSealer(e)
	if err != nil {
		return nil, err
	}
	if box == nil {
		return nil, usagef("INKORG_SECRET_KEY is not set; access tokens are stored encrypted with it (try: openssl rand -hex 32)")
	}
	return box, nil
}

// storeToken seals token and stores it for account a.
func storeToken(ctx context.Context, store inbox.Store, box *secretbox.Box, a *inbox.Account, token string) error {
	sealed, err := box.Seal(token)
	if err != nil {
		return err
	}
	if err := store.SetAccountToken(ctx, a.ID, sealed); err != nil {
		return fmt.Errorf("store the token: %s", inbox.ErrorMessage(err))
	}
	return nil
}

// findAccount returns the managed account with platform id id on
// platform.
func findAccount(ctx context.Context, store inbox.Store, id string, platform inbox.Platform) (*inbox.Account, error) {
	return findAccountFor(ctx, store, "accounts", id, platform)
}

// findAccountFor returns the managed account with platform id id, on
// platform or, when that is empty, on the only platform that has the id;
// cmd names the command in errors.
func findAccountFor(ctx context.Context, store inbox.Store, cmd, id string, platform inbox.Platform) (*inbox.Account, error) {
	p, err := accountPlatform(ctx, store, cmd, id, platform)
	if err != nil {
		return nil, err
	}
	accounts, err := store.FindAccounts(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range accounts {
		if a.ExternalID == id && a.Platform == p {
			return a, nil
		}
	}
	return nil, fmt.Errorf("%s: no %s account with id %s is managed; see inkorg accounts list", cmd, p, id)
}

// accountsToken stores a new access token, read from stdin, for an
// account: "accounts token ID [--platform P]".
func accountsToken(ctx context.Context, e *env, args []string) error {
	id, platform, err := accountArg("accounts token", args)
	if err != nil {
		return err
	}
	box, err := requireSealer(e)
	if err != nil {
		return err
	}
	token, err := readToken(e.stdin)
	if err != nil {
		return usagef("accounts token: %v; pipe it in, e.g. inkorg accounts token %s < token.txt", err, id)
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		a, err := findAccountFor(ctx, store, "accounts token", id, platform)
		if err != nil {
			return err
		}
		if err := storeToken(ctx, store, box, a, token); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "stored a new access token for %s account %s (encrypted)\n", a.Platform, a.ExternalID)
		return nil
	})
}

// accountsHumanAgent records whether Meta approved an account for the
// HUMAN_AGENT tag: "accounts human-agent ID on|off [--platform P]".
func accountsHumanAgent(ctx context.Context, e *env, args []string) error {
	const cmd = "accounts human-agent"
	pos, platform, err := accountArgs(cmd, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || (pos[1] != "on" && pos[1] != "off") {
		return usagef("usage: inkorg %s ID on|off [--platform facebook|instagram]", cmd)
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		a, err := findAccountFor(ctx, store, cmd, pos[0], platform)
		if err != nil {
			return err
		}
		if err := store.SetAccountHumanAgent(ctx, a.ID, pos[1] == "on"); err != nil {
			return errors.New(inbox.ErrorMessage(err))
		}
		fmt.Fprintf(e.stdout, "HUMAN_AGENT tag %s for %s account %s\n", pos[1], a.Platform, a.ExternalID)
		return nil
	})
}

// accountArg reads "ID [--platform P]".
func accountArg(cmd string, args []string) (string, inbox.Platform, error) {
	pos, platform, err := accountArgs(cmd, args)
	if err != nil {
		return "", "", err
	}
	if len(pos) != 1 {
		return "", "", usagef("usage: inkorg %s ID [--platform facebook|instagram]", cmd)
	}
	return pos[0], platform, nil
}

// accountArgs reads the arguments of cmd with a --platform flag before,
// between or after them.
func accountArgs(cmd string, args []string) ([]string, inbox.Platform, error) {
	fs := newFlagSet(cmd)
	platform := fs.String("platform", "", "facebook or instagram; needed only when both have the id")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, "", err
	}
	if err := checkPlatformFlag(cmd, *platform); err != nil {
		return nil, "", err
	}
	return pos, inbox.Platform(*platform), nil
}

// accountsRotateKey re-seals every stored token with the newest key of
// INKORG_SECRET_KEY, so the older keys can then be dropped.
func accountsRotateKey(ctx context.Context, e *env, args []string) error {
	if err := parseFlags(newFlagSet("accounts rotate-key"), args); err != nil {
		return err
	}
	box, err := requireSealer(e)
	if err != nil {
		return err
	}
	return withStore(ctx, e, func(store inbox.Store) error {
		n, err := resealTokens(ctx, store, box)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "re-encrypted %d access tokens with the newest key; older keys may now be removed from INKORG_SECRET_KEY\n", n)
		return nil
	})
}

// resealTokens re-seals, with the newest key, every token sealed with an
// older one, and returns how many it re-sealed.
func resealTokens(ctx context.Context, store inbox.Store, box *secretbox.Box) (int, error) {
	accounts, err := store.FindAccounts(ctx)
	if err != nil {
		return 0, errors.New(inbox.ErrorMessage(err))
	}
	n := 0
	for _, a := range accounts {
		sealed, err := store.FindAccountToken(ctx, a.ID)
		if err != nil {
			return n, errors.New(inbox.ErrorMessage(err))
		}
		if sealed == "" || box.Current(sealed) {
			continue
		}
		token, err := box.Open(sealed)
		if err != nil {
			return n, fmt.Errorf("%s account %s: its token was sealed with a key INKORG_SECRET_KEY no longer lists", a.Platform, a.ExternalID)
		}
		if err := storeToken(ctx, store, box, a, token); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
