package graph

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"inkorg/inbox"
)

// How long TokenLogins trusts what it loaded: a token it knows is looked
// up again after tokenLoginsFresh, an unknown one at most every
// tokenLoginsRetry (a token just stored is unknown until then).
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

	mu       sync.Mutex
	store    TokenLoginStore
	sealer   inbox.Sealer
	logins   map[[sha256.Size]byte]inbox.AccountLogin
	loadedAt time.Time
}

// Use makes l read the accounts of store, opening their tokens with
// sealer. A nil sealer (no INKORG_SECRET_KEY) opens none.
func (l *TokenLogins) Use(store TokenLoginStore, sealer inbox.Sealer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.store, l.sealer, l.logins, l.loadedAt = store, sealer, nil, time.Time{}
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
	login, ok := l.logins[key]
	if age := now.Sub(l.loadedAt); (ok && age >= tokenLoginsFresh) || (!ok && age >= tokenLoginsRetry) {
		l.load(ctx, now)
		login = l.logins[key]
	}
	if login == "" {
		return inbox.LoginFacebook
	}
	return login
}

// load reads every account's token and login; on a failure to read the
// accounts it keeps what it had.
func (l *TokenLogins) load(ctx context.Context, now time.Time) {
	accounts, err := l.store.FindAccounts(ctx)
	if err != nil {
		return
	}
	logins := make(map[[sha256.Size]byte]inbox.AccountLogin, len(accounts))
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
		logins[sha256.Sum256([]byte(token))] = a.Login
	}
	l.logins, l.loadedAt = logins, now
}
