package main

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"inkorg/inbox/businesstime"
	"inkorg/inbox/secretbox"
	"inkorg/inbox/web"
)

// Config is inkorg's configuration, read once from the environment.
type Config struct {
	Addr            string // INKORG_ADDR
	DataDir         string // INKORG_DATA_DIR
	DatabaseURL     string // DATABASE_URL; empty: SQLite in DataDir
	RedisURL        string // REDIS_URL; empty: queue in the database
	RedisPrefix     string // INKORG_REDIS_PREFIX: namespace of inkorg's Redis keys
	MeiliURL        string // MEILI_URL; empty: embedded search index
	MeiliAPIKey     string // MEILI_API_KEY
	MetaAppSecret   string // META_APP_SECRET
	MetaAppID       string // META_APP_ID: with the secret, lets accounts check read token expiry
	MetaVerifyToken string // META_VERIFY_TOKEN
	MetaGraphURL    string // META_GRAPH_URL
	SecretKey       []byte // INKORG_SECRET_KEY, 32 bytes: the newest key
	LogFormat       string // INKORG_LOG_FORMAT: text or json
	// MetaAppSecretPrevious is META_APP_SECRET_PREVIOUS: the app secret
	// before a reset, still accepted on webhooks during the change-over.
	MetaAppSecretPrevious string
	// MetaInstagramAppSecret is META_INSTAGRAM_APP_SECRET: the separate
	// Instagram app secret of an app using Instagram Login, accepted on
	// webhooks as well.
	MetaInstagramAppSecret string
	// MetaInstagramGraphURL is META_INSTAGRAM_GRAPH_URL, the Graph API
	// root for Instagram Login accounts; empty means derived from
	// MetaGraphURL (see graph.Config.InstagramBaseURL).
	MetaInstagramGraphURL string
	// SLA is the business-hours calendar and SLA policies from the file
	// INKORG_SLA_CONFIG names; the bundled default when it is unset.
	SLA *businesstime.SLA
	// SLAInterval is INKORG_SLA_INTERVAL: how often the SLA watcher
	// measures changed conversations.
	SLAInterval time.Duration
	Queue       QueueConfig
	// Routing is INKORG_ROUTING_TARGETS and INKORG_AUTO_HIDE_PERSONAL_NUMBERS.
	Routing RoutingConfig
	// Answers is INKORG_ANSWER_DOMAINS and INKORG_ANSWER_REFRESH.
	Answers AnswersConfig
	// Records is INKORG_ARCHIVE_DIR, INKORG_ARCHIVE_EVERY,
	// INKORG_RETENTION_MONTHS and INKORG_RETENTION_ACTION.
	Records RecordsConfig
	// SecretKeys are every key INKORG_SECRET_KEY lists, comma-separated,
	// newest first: the newest encrypts, any decrypts (key rotation).
	SecretKeys [][]byte
	// OIDC is single sign-on (INKORG_OIDC_*); nil: passwords only.
	OIDC *web.OIDCConfig
	// TrustedProxies is INKORG_TRUSTED_PROXIES: the reverse proxies whose
	// X-Forwarded-For names the client address.
	TrustedProxies []netip.Prefix
}

// Defaults.
const (
	defaultAddr     = ":8080"
	defaultDataDir  = "./inkorg-data"
	defaultGraphURL = "https://graph.facebook.com/v25.0"
)

// configError is a configuration problem; its text is the one line printed
// at start, naming the variable.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

func configErrorf(format string, args ...any) error {
	return &configError{msg: fmt.Sprintf(format, args...)}
}

// configVariables lists every environment variable inkorg reads. Secrets
// (secretVars) may also be given as NAME_FILE. Deployment files are checked
// against this list.
var configVariables = []string{
	"INKORG_ADDR", "INKORG_DATA_DIR", "DATABASE_URL", "REDIS_URL", "INKORG_REDIS_PREFIX",
	"MEILI_URL", "MEILI_API_KEY", "META_APP_SECRET", "META_APP_SECRET_PREVIOUS",
	"META_INSTAGRAM_APP_SECRET", "META_APP_ID", "META_VERIFY_TOKEN", "META_GRAPH_URL",
	"META_INSTAGRAM_GRAPH_URL",
	"INKORG_SECRET_KEY", "INKORG_LOG_FORMAT", "INKORG_QUEUE_MAX_ATTEMPTS", "INKORG_QUEUE_LEASE",
	"INKORG_SLA_CONFIG", "INKORG_SLA_INTERVAL", "INKORG_ROUTING_TARGETS", "INKORG_AUTO_HIDE_PERSONAL_NUMBERS",
	"INKORG_ANSWER_DOMAINS", "INKORG_ANSWER_REFRESH",
	"INKORG_ARCHIVE_DIR", "INKORG_ARCHIVE_EVERY", "INKORG_RETENTION_MONTHS", "INKORG_RETENTION_ACTION",
	"INKORG_OIDC_ISSUER", "INKORG_OIDC_CLIENT_ID", "INKORG_OIDC_CLIENT_SECRET", "INKORG_OIDC_REDIRECT_URL",
	"INKORG_OIDC_NAME_CLAIM", "INKORG_OIDC_ROLE_CLAIM", "INKORG_OIDC_ADMINISTRATION_CLAIM",
	"INKORG_TRUSTED_PROXIES",
}

// secretVars may also be given as NAME_FILE, the path of a file holding the
// value (as container secrets are mounted).
var secretVars = map[string]bool{
	"DATABASE_URL": true, "REDIS_URL": true, "MEILI_API_KEY": true,
	"META_APP_SECRET": true, "META_APP_SECRET_PREVIOUS": true, "META_INSTAGRAM_APP_SECRET": true,
	"META_VERIFY_TOKEN": true, "INKORG_SECRET_KEY": true,
	"INKORG_OIDC_CLIENT_SECRET": true,
}

// loadConfig reads and validates the configuration.
func loadConfig(getenv func(string) string) (Config, error) {
	var cfg Config
	var err error
	get := func(name string) string {
		if err != nil {
			return ""
		}
		var v string
		v, err = lookup(getenv, name)
		return v
	}
	cfg.Addr = get("INKORG_ADDR")
	cfg.DataDir = get("INKORG_DATA_DIR")
	cfg.DatabaseURL = get("DATABASE_URL")
	cfg.RedisURL = get("REDIS_URL")
	cfg.RedisPrefix = get("INKORG_REDIS_PREFIX")
	cfg.MeiliURL = get("MEILI_URL")
	cfg.MeiliAPIKey = get("MEILI_API_KEY")
	cfg.MetaAppSecret = get("META_APP_SECRET")
	cfg.MetaAppSecretPrevious = get("META_APP_SECRET_PREVIOUS")
	cfg.MetaInstagramAppSecret = get("META_INSTAGRAM_APP_SECRET")
	cfg.MetaAppID = get("META_APP_ID")
	cfg.MetaVerifyToken = get("META_VERIFY_TOKEN")
	cfg.MetaGraphURL = get("META_GRAPH_URL")
	cfg.MetaInstagramGraphURL = get("META_INSTAGRAM_GRAPH_URL")
	secretKey := get("INKORG_SECRET_KEY")
	cfg.LogFormat = get("INKORG_LOG_FORMAT")
	maxAttempts, lease := get("INKORG_QUEUE_MAX_ATTEMPTS"), get("INKORG_QUEUE_LEASE")
	slaPath, slaInterval := get("INKORG_SLA_CONFIG"), get("INKORG_SLA_INTERVAL")
	targetsPath, autoHide := get("INKORG_ROUTING_TARGETS"), get("INKORG_AUTO_HIDE_PERSONAL_NUMBERS")
	answerDomains, answerRefresh := get("INKORG_ANSWER_DOMAINS"), get("INKORG_ANSWER_REFRESH")
	archiveDir, archiveEvery := get("INKORG_ARCHIVE_DIR"), get("INKORG_ARCHIVE_EVERY")
	retentionMonths, retentionAction := get("INKORG_RETENTION_MONTHS"), get("INKORG_RETENTION_ACTION")
	oidcCfg, oidcErr := parseOIDCConfig(get)
	trustedProxies := get("INKORG_TRUSTED_PROXIES")
	if err != nil {
		return cfg, err
	}
	if cfg.OIDC, err = oidcCfg, oidcErr; err != nil {
		return cfg, err
	}
	if cfg.TrustedProxies, err = parseTrustedProxies(trustedProxies); err != nil {
		return cfg, err
	}
	if cfg.Routing, err = parseRoutingConfig(targetsPath, autoHide); err != nil {
		return cfg, err
	}
	if cfg.SLA, err = loadSLAConfig(slaPath); err != nil {
		return cfg, err
	}
	if cfg.SLAInterval, err = parseSLAInterval(slaInterval); err != nil {
		return cfg, err
	}
	if cfg.Answers, err = parseAnswersConfig(answerDomains, answerRefresh); err != nil {
		return cfg, err
	}
	if cfg.Queue, err = parseQueueConfig(maxAttempts, lease); err != nil {
		return cfg, err
	}
	if cfg.Records, err = parseRecordsConfig(archiveDir, archiveEvery, retentionMonths, retentionAction); err != nil {
		return cfg, err
	}
	if cfg.SecretKeys, err = parseSecretKeys(secretKey); err != nil {
		return cfg, err
	}
	if len(cfg.SecretKeys) > 0 {
		cfg.SecretKey = cfg.SecretKeys[0]
	}
	cfg.applyDefaults()
	return cfg, cfg.validate()
}

// lookup returns NAME, or the contents of the file NAME_FILE names.
func lookup(getenv func(string) string, name string) (string, error) {
	v := strings.TrimSpace(getenv(name))
	if !secretVars[name] {
		return v, nil
	}
	path := strings.TrimSpace(getenv(name + "_FILE"))
	if path == "" {
		return v, nil
	}
	if v != "" {
		return "", configErrorf("%s and %s_FILE are both set; set one", name, name)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", configErrorf("%s_FILE: cannot read %s: %v", name, path, unwrapPathError(err))
	}
	return strings.TrimSpace(string(b)), nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func parseSecretKeys(v string) ([][]byte, error) {
	if v == "" {
		return nil, nil
	}
	keys, err := secretbox.ParseKeys(v)
	if err != nil {
		return nil, configErrorf("INKORG_SECRET_KEY: %v; give 32-byte keys as 64 hex digits or base64, comma-separated, newest first (try: openssl rand -hex 32)", err)
	}
	return keys, nil
}

func (cfg *Config) applyDefaults() {
	if cfg.Addr == "" {
		cfg.Addr = defaultAddr
	}
	if cfg.DataDir == "" {
		cfg.DataDir = defaultDataDir
	}
	if cfg.RedisPrefix == "" {
		cfg.RedisPrefix = "inkorg:"
	}
	if cfg.MetaGraphURL == "" {
		cfg.MetaGraphURL = defaultGraphURL
	}
	if cfg.LogFormat == "" {
		cfg.LogFormat = "text"
	}
}

func (cfg *Config) validate() error {
	if _, port, err := net.SplitHostPort(cfg.Addr); err != nil || port == "" {
		return configErrorf("INKORG_ADDR %q must be host:port or :port, like :8080", cfg.Addr)
	}
	if cfg.DatabaseURL != "" {
		u, err := url.Parse(cfg.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			return configErrorf("DATABASE_URL must be a postgres://user@host:port/database URL")
		}
	}
	if cfg.RedisURL != "" {
		if _, err := redis.ParseURL(cfg.RedisURL); err != nil {
			return configErrorf("REDIS_URL must be a redis:// or rediss:// URL (%v)", err)
		}
	}
	if cfg.MeiliURL != "" {
		if err := checkHTTPURL(cfg.MeiliURL, false); err != nil {
			return configErrorf("MEILI_URL %v", err)
		}
	}
	if cfg.MeiliAPIKey != "" && cfg.MeiliURL == "" {
		return configErrorf("MEILI_API_KEY is set but MEILI_URL is not")
	}
	if err := checkHTTPURL(cfg.MetaGraphURL, true); err != nil && cfg.MetaGraphURL != graphSandbox {
		return configErrorf("META_GRAPH_URL %v", err)
	}
	if cfg.MetaInstagramGraphURL != "" {
		if err := checkHTTPURL(cfg.MetaInstagramGraphURL, true); err != nil {
			return configErrorf("META_INSTAGRAM_GRAPH_URL %v", err)
		}
	}
	if cfg.MetaAppSecretPrevious != "" && cfg.MetaAppSecret == "" {
		return configErrorf("META_APP_SECRET_PREVIOUS is set but META_APP_SECRET is not; set the current secret too")
	}
	if strings.Trim(cfg.MetaAppID, "0123456789") != "" {
		return configErrorf("META_APP_ID %q must be the Meta app's numeric id (App settings → Basic)", cfg.MetaAppID)
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return configErrorf("INKORG_LOG_FORMAT %q must be text or json", cfg.LogFormat)
	}
	return nil
}

// checkHTTPURL accepts http(s) URLs with a host; plain http only for
// loopback addresses when httpsOnly is set.
func checkHTTPURL(raw string, httpsOnly bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("%q must be an http:// or https:// URL", raw)
	}
	if httpsOnly && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("%q must use https (plain http only on localhost)", raw)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sqlitePath is the database file of the embedded default.
func (cfg *Config) sqlitePath() string { return filepath.Join(cfg.DataDir, "inkorg.db") }

// databaseURL is what sqlstore.Open takes: the PostgreSQL URL or the
// SQLite file.
func (cfg *Config) databaseURL() string {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL
	}
	return cfg.sqlitePath()
}
