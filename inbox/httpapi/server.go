// Package httpapi is inkorg's HTTP surface on echo: the Meta webhook
// endpoints, health and metrics, and the JSON API under /api/v1. Every
// route is listed in routes.go.
package httpapi

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/graph"
	"inkorg/inbox/web"
)

// Check is one dependency /readyz reports on.
type Check struct {
	Name   string
	Pinger inbox.Pinger
}

// WebhookHandlers are the Meta webhook endpoints, mounted when the process
// runs the webhooks role.
type WebhookHandlers struct {
	Verify  http.HandlerFunc
	Receive http.HandlerFunc
}

// Config is what the server needs. Nil parts are not mounted.
type Config struct {
	// Store backs the JSON API; nil when the process does not run the api
	// role.
	Store inbox.Store
	// KnownAdministration, when set, refuses routing to an administration
	// id it does not know.
	KnownAdministration func(id string) bool
	// Webhooks are mounted at /webhooks/meta when non-nil.
	Webhooks *WebhookHandlers
	// Metrics serves /metrics.
	Metrics http.Handler
	// Checks are pinged by /readyz.
	Checks []Check
	// Answers backs /api/v1/answers/search; nil leaves it unmounted.
	Answers answers.Search
	// AnswerEditor backs the answer bank editor API
	// (/api/v1/answers/articles); nil leaves it unmounted.
	AnswerEditor *answers.Editor
	// AnswerUses backs /api/v1/answers/stats; nil leaves it unmounted.
	AnswerUses answers.UseStore
	// ReplyHooks run after every reply the API queues (see
	// inbox.Service.ReplyHooks).
	ReplyHooks []func(ctx context.Context, c *inbox.Conversation, m *inbox.Message)
	// Reports answers /api/v1/reports; nil uses the store in the default
	// calendar's zone.
	Reports *inbox.ReportService
	// Web is the staff web UI, mounted at / when non-nil.
	Web *web.UI
	// Sessions, when set, lets the JSON API accept the web UI's session
	// cookie (with its CSRF token on unsafe methods) besides bearer tokens.
	Sessions *inbox.Sessions
	Logger   *slog.Logger
	// Outbound is the queue replies and comment moderation go out on.
	Outbound inbox.QueuePublisher
	// DeadLetters are the queue's dead letters, which a data-subject
	// removal searches for the person's webhook deliveries; nil leaves
	// them unchecked ("dead_letters": null).
	DeadLetters inbox.DeadLetters
	// Sandbox, when the Graph API is the built-in sandbox, is shown at
	// /api/v1/sandbox/calls.
	Sandbox *graph.Sandbox
	// SandboxLog, when set with Sandbox, is where every process's sandbox
	// stores its calls; /api/v1/sandbox/calls then shows those, not only
	// this process's.
	SandboxLog graph.CallLog
	// Live carries live updates: GET /api/v1/events reads it and work
	// actions publish to it; nil leaves live updates off.
	Live inbox.LiveBroker
	// LiveHeartbeat is how often an idle event stream sends a comment
	// (DefaultHeartbeat when 0).
	LiveHeartbeat time.Duration
	// Presence backs POST /api/v1/conversations/{id}/presence; nil keeps
	// presence in this process.
	Presence inbox.PresenceStore
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed: a request's client address is the right-most address in
	// it that is not one of them. With none, it is the connecting
	// address and the header is ignored.
	TrustedProxies []netip.Prefix
}

// Server is the HTTP server.
type Server struct {
	echo     *echo.Echo
	store    inbox.Store
	sessions *inbox.Sessions
	checks   []Check
	logger   *slog.Logger
	live     *liveStream
	presence *inbox.PresenceService
}

// New returns a server with every route of cfg mounted.
func New(cfg Config) *Server {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	s := &Server{echo: e, store: cfg.Store, sessions: cfg.Sessions, checks: cfg.Checks, logger: logger}
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = clientIP(cfg.TrustedProxies, logger)
	e.Use(s.recoverPanic, s.logRequest)
	s.routes(cfg)
	return s
}

// clientIP returns how echo finds a request's client address (RealIP):
// through X-Forwarded-For from the trusted proxies only, private ranges
// and loopback included, since a client on the city's own network could
// otherwise choose its address by sending the header itself. Without
// trusted proxies the header is ignored, and the first request carrying
// it is logged: inkorg is then likely behind a proxy nobody listed.
func clientIP(trusted []netip.Prefix, logger *slog.Logger) echo.IPExtractor {
	if len(trusted) == 0 {
		var once sync.Once
		return func(r *http.Request) string {
			if r.Header.Get(echo.HeaderXForwardedFor) != "" {
				once.Do(func() {
					logger.Warn("X-Forwarded-For ignored: INKORG_TRUSTED_PROXIES lists no proxies, so sign-ins are limited by the connecting address")
				})
			}
			return echo.ExtractIPDirect()(r)
		}
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		p = p.Masked()
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// NewHTTPServer returns an *http.Server for s with timeouts that protect
// against slow clients.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	if s, ok := h.(*Server); ok && s.live != nil {
		srv.RegisterOnShutdown(s.live.stop)
	}
	return srv
}

func (s *Server) logRequest(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		req := c.Request()
		s.logger.LogAttrs(req.Context(), slog.LevelDebug, "http request",
			slog.String("method", req.Method),
			slog.String("path", c.Path()),
			slog.Int("status", c.Response().Status),
			slog.Duration("duration", time.Since(start)),
		)
		return nil
	}
}

func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				s.logger.Error("panic in handler", slog.String("path", c.Path()), slog.Any("panic", r))
				err = inbox.Errorf(inbox.EINTERNAL, internalMessage)
			}
		}()
		return next(c)
	}
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	status := http.StatusOK
	result := map[string]string{}
	for _, chk := range s.checks {
		if err := chk.Pinger.Ping(ctx); err != nil {
			s.logger.Warn("readiness check failed", slog.String("check", chk.Name), slog.Any("err", err))
			result[chk.Name] = "unavailable"
			status = http.StatusServiceUnavailable
			continue
		}
		result[chk.Name] = "ok"
	}
	return c.JSON(status, map[string]any{"checks": result})
}
