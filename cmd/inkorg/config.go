package main

import (
	"fmt"
	"math"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
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
	// An empty file is a secret that failed to mount, not an unset value:
	// taken as unset, DATABASE_URL would fall back to SQLite.
	if v = strings.TrimSpace(string(b)); v == "" {
		return "", configErrorf("%s_FILE: %s is empty; put the value in it, or unset %s_FILE", name, path, name)
	}
	return v, nil
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

// checkRedisURL refuses a REDIS_URL that is no redis:// or rediss:// URL
// or names a database no server can have: a negative one, which go-redis
// would quietly read as database 0, or one past Redis's 32-bit numbers. A number the server does not have is refused when the queue
// opens (see checkRedisDatabase): how many databases a server has is its
// own configuration.
func checkRedisURL(raw string) error {
	opts, err := redis.ParseURL(raw)
	if err != nil {
		return configErrorf("REDIS_URL must be a redis:// or rediss:// URL (%v)", err)
	}
	if opts.DB < 0 || opts.DB > math.MaxInt32 {
		return configErrorf("REDIS_URL names database %d, which no Redis server has: databases are numbered from 0 (0–15 unless redis.conf sets databases)", opts.DB)
	}
	return nil
}

func (cfg *Config) validate() error {
	if err := checkListenAddr(cfg.Addr); err != nil {
		return err
	}
	if err := checkDir("INKORG_DATA_DIR", cfg.DataDir); err != nil {
		return err
	}
	// The scheduled archive writes there only once a period closes: a
	// path that can never be a directory would fail every round, long
	// after start, rather than at it.
	if cfg.Records.ArchiveDir != "" {
		if err := checkDir("INKORG_ARCHIVE_DIR", cfg.Records.ArchiveDir); err != nil {
			return err
		}
	}
	if cfg.DatabaseURL != "" {
		if err := checkDatabaseURL(cfg.DatabaseURL); err != nil {
			return err
		}
	}
	if cfg.RedisURL != "" {
		if err := checkRedisURL(cfg.RedisURL); err != nil {
			return err
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

// checkListenAddr accepts INKORG_ADDR as net.Listen will: host:port with a
// numeric port from 0 to 65535 and a host that is empty, an IP address or a
// host name.
func checkListenAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return configErrorf("INKORG_ADDR %q must be host:port or :port, like :8080", addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return configErrorf("INKORG_ADDR %q: the port must be a number from 0 to 65535, like :8080", addr)
	}
	if _, err := netip.ParseAddr(host); host != "" && err != nil && !isHostName(host) {
		return configErrorf("INKORG_ADDR %q: the host must be empty, an IP address or a host name", addr)
	}
	return nil
}

// isHostName reports whether s is a DNS name: dot-separated labels of
// letters, digits, hyphens and (as container names have) underscores, the
// last not all digits (1.2.3.999 is a bad address, not a name).
func isHostName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 || strings.Trim(s[strings.LastIndexByte(s, '.')+1:], "0123456789") == "" {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		if strings.IndexFunc(label, func(r rune) bool {
			return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_')
		}) >= 0 {
			return false
		}
	}
	return true
}

// checkDir refuses a directory, named by the variable name, that exists
// and is not a directory, or lies under such a path: it could never be
// created.
func checkDir(name, dir string) error {
	for d := filepath.Clean(dir); ; {
		if st, err := os.Stat(d); err == nil {
			if st.IsDir() {
				return nil
			}
			if d == filepath.Clean(dir) {
				return configErrorf("%s %q exists and is not a directory", name, dir)
			}
			return configErrorf("%s %q: %s exists and is not a directory", name, dir, d)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil
		}
		d = parent
	}
}

// checkDatabaseURL parses DATABASE_URL as the PostgreSQL driver will, so
// that a bad setting stops inkorg at start rather than at the first
// connection.
func checkDatabaseURL(raw string) error {
	u, err := url.Parse(raw)
	// A Unix socket's directory is named by the host parameter
	// (postgres://user@/database?host=/run/postgresql), as libpq names it.
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || (u.Host == "" && u.Query().Get("host") == "") {
		return configErrorf("DATABASE_URL must be a postgres://user@host:port/database URL, or postgres://user@/database?host=/socket/directory for a Unix socket")
	}
	if _, err := pgx.ParseConfig(raw); err != nil {
		return configErrorf("DATABASE_URL: %s", parseConfigReason(err))
	}
	return nil
}

// parseConfigReason is why pgx cannot parse a connection string, without
// the string itself, which may hold the password.
func parseConfigReason(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "`: "); i >= 0 {
		msg = msg[i+len("`: "):]
	}
	return joinLines(msg)
}

// joinLines joins the distinct lines of a multi-line message (as drivers
// give when several addresses fail) with "; ".
func joinLines(msg string) string {
	var lines []string
	for line := range strings.Lines(msg) {
		if line = strings.TrimSpace(line); line != "" && !slices.Contains(lines, line) {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "; ")
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

// databaseName names the database for people: the SQLite file, or the
// PostgreSQL database and server, never the password.
func (cfg *Config) databaseName() string {
	if cfg.DatabaseURL == "" {
		return "SQLite database " + cfg.sqlitePath()
	}
	pc, err := pgx.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return "PostgreSQL database"
	}
	if strings.HasPrefix(pc.Host, "/") {
		return fmt.Sprintf("PostgreSQL database %s on the socket in %s (port %d)", pc.Database, pc.Host, pc.Port)
	}
	return fmt.Sprintf("PostgreSQL database %s on %s", pc.Database, net.JoinHostPort(pc.Host, strconv.Itoa(int(pc.Port))))
}

// databaseURL is what sqlstore.Open takes: the PostgreSQL URL or the
// SQLite file.
func (cfg *Config) databaseURL() string {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL
	}
	return cfg.sqlitePath()
}

// ignoredVariable is a set environment variable that looks like one of
// inkorg's but is not one it reads.
type ignoredVariable struct {
	Name  string
	Maybe string // the variable probably meant, or ""
}

// ignoredVariables returns the variables in environ (NAME=value, as
// os.Environ gives them) that start with INKORG_ or META_, are not empty,
// and that inkorg does not read, each with the variable probably meant
// where one is close. They are warned about, not refused: other tools may
// share the prefixes. Settings of inkorg's tests (INKORG_TEST_…,
// INKORG_BENCH_…) are not reported.
func ignoredVariables(environ []string) []ignoredVariable {
	known := map[string]bool{}
	for _, name := range configVariables {
		known[name] = true
		if secretVars[name] {
			known[name+"_FILE"] = true
		}
	}
	var ignored []ignoredVariable
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if known[name] || value == "" || !strings.HasPrefix(name, "INKORG_") && !strings.HasPrefix(name, "META_") ||
			strings.HasPrefix(name, "INKORG_TEST_") || strings.HasPrefix(name, "INKORG_BENCH_") {
			continue
		}
		ignored = append(ignored, ignoredVariable{Name: name, Maybe: closestVariable(name, known)})
	}
	slices.SortFunc(ignored, func(a, b ignoredVariable) int { return strings.Compare(a.Name, b.Name) })
	return ignored
}

// closestVariable returns the known variable that name most likely means:
// name without an INKORG_ prefix it should not have (INKORG_DATABASE_URL),
// without a _FILE suffix the variable does not take, or the one known name
// within two typing mistakes. "" when none is.
func closestVariable(name string, known map[string]bool) string {
	if rest, ok := strings.CutPrefix(name, "INKORG_"); ok && known[rest] {
		return rest
	}
	if base, ok := strings.CutSuffix(name, "_FILE"); ok && known[base] {
		return base
	}
	best, bestDist, ties := "", 3, 0
	for k := range known {
		switch d := editDistance(name, k); {
		case d < bestDist:
			best, bestDist, ties = k, d, 0
		case d == bestDist:
			ties++
		}
	}
	if ties > 0 {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
