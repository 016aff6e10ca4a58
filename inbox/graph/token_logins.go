package graph

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"inkorg/inbox"
)

// How long TokenLogins trusts the tokens it opened: a token it knows is
// looked up again after tokenLoginsFresh, an unknown one at most every
// tokenLoginsRetry (a token just stored is unknown until then). The
// accounts' logins are read on every lookup, so that a login change
// ("inkorg accounts login") takes effect at once.
const (
	tokenLoginsFresh = time.Minute
	tokenLoginsRetry = time.Second
)

// TokenLoginStore finds the accounts and their sealed access tokens.
type TokenLoginStore interface {
	FindAccounts(ctx context.Context) ([]*inbox.Account, error)
	FindAccountToken(ctx context.Context, accountID int64) (string, error)
}

// TokenLogins is a LoginResolver over the stored accounts: a token's
// login is that of the account it is stored for. It keeps only hashes of
// the tokens. The zero value knows no store and answers LoginFacebook
// until Use gives it one. It is safe for concurrent use.
type TokenLogins struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu     sync.Mutex
	store  TokenLoginStore
	sealer inbox.Sealer
	// accounts holds the account each token hash is stored for, as
	// opened at loadedAt.
	accounts map[[sha256.Size]byte]int64
	loadedAt time.Time
	// logins holds each account's login, as last read.
	logins map[int64]inbox.AccountLogin
}

// Use makes l read the accounts of store, opening their tokens with
// sealer. A nil sealer (no INKORG_SECRET_KEY) opens none.
func (l *TokenLogins) Use(store TokenLoginStore, sealer inbox.Sealer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.store, l.sealer, l.accounts, l.loadedAt, l.logins = store, sealer, nil, time.Time{}, nil
}

// TokenLogin returns the login of the account token is stored for, and
// LoginFacebook for a token no account has (the sandbox's, say) or when
// the accounts cannot be read.
func (l *TokenLogins) TokenLogin(ctx context.Context, token string) inbox.AccountLogin {
	key := sha256.Sum256([]byte(token))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.store == nil || l.sealer == nil {
		return inbox.LoginFacebook
	}
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	// On a failure to read the accounts, what was read before is kept.
	accounts, err := l.store.FindAccounts(ctx)
	if err == nil {
		l.logins = make(map[int64]inbox.AccountLogin, len(accounts))
		for _, a := range accounts {
			l.logins[a.ID] = a.Login
		}
	}
	_, ok := l.accounts[key]
	if age := now.Sub(l.loadedAt); err == nil && ((ok && age >= tokenLoginsFresh) || (!ok && age >= tokenLoginsRetry)) {
		l.load(ctx, accounts, now)
	}
	id, ok := l.accounts[key]
	if login := l.logins[id]; ok && login != "" {
		return login
	}
	return inbox.LoginFacebook
}

// load opens the tokens of accounts.
func (l *TokenLogins) load(ctx context.Context, accounts []*inbox.Account, now time.Time) {
	ids := make(map[[sha256.Size]byte]int64, len(accounts))
	for _, a := range accounts {
		if !a.HasToken {
			continue
		}
		sealed, err := l.store.FindAccountToken(ctx, a.ID)
		if err != nil || sealed == "" {
			continue
		}
		token, err := l.sealer.Open(sealed)
		if err != nil {
			continue
		}
		ids[sha256.Sum256([]byte(token))] = a.ID
	}
	l.accounts, l.loadedAt = ids, now
}
