package graph

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"inkorg/inbox"
)

// DefaultBaseURL is Meta's Graph API at the pinned version.
const DefaultBaseURL = "https://graph.facebook.com/v25.0"

// Hosts of Meta's Graph API: Facebook Login (Page tokens) calls
// graph.facebook.com, Instagram API with Instagram Login (Instagram user
// tokens) graph.instagram.com, with the same version paths.
const (
	facebookHost  = "graph.facebook.com"
	instagramHost = "graph.instagram.com"
)

// DefaultTimeout bounds one call, from dialling to the last byte of the
// answer.
const DefaultTimeout = 20 * time.Second

// maxResponseBytes caps what is read of an answer. Most Graph answers to
// these calls are a few hundred bytes, but a page of 100 long comments (on
// Instagram each with its replies) can reach megabytes.
const maxResponseBytes = 8 << 20

// Config configures a Client. Only BaseURL is needed in production.
type Config struct {
	// BaseURL is the Graph API root including the version, e.g.
	// DefaultBaseURL or a sandbox's URL. Empty means DefaultBaseURL.
	BaseURL string
	// InstagramBaseURL is the Graph API root for accounts with Instagram
	// Login. Empty means graph.instagram.com with BaseURL's version when
	// BaseURL is Meta's graph.facebook.com, and BaseURL itself otherwise
	// (a sandbox or proxy stands in for both hosts).
	InstagramBaseURL string
	// Logins tells which login an access token belongs to, so that calls
	// not made through ForLogin go to the right host; nil means Facebook
	// Login.
	Logins LoginResolver
	// Version is inkorg's version, sent as User-Agent "inkorg/<Version>".
	Version string
	// Timeout bounds one call; zero means DefaultTimeout.
	Timeout time.Duration
	// Transport carries the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	// Logger receives one line per call; nil discards.
	Logger *slog.Logger
	// Now is the clock used for rate-limit hints; nil means time.Now.
	Now func() time.Time
}

// Client calls the Graph API. It is safe for concurrent use. Tokens are
// passed per call because every managed account has its own.
type Client struct {
	base      *url.URL
	instagram *url.URL
	// login, when set, is the login every call of this client is for;
	// otherwise logins tells it per token.
	login     inbox.AccountLogin
	logins    LoginResolver
	http      *http.Client
	userAgent string
	log       *slog.Logger
	now       func() time.Time
}

// New returns a Client for cfg. A BaseURL that is not an absolute http(s)
// URL is an error.
func New(cfg Config) (*Client, error) {
	u, err := parseBaseURL(cmp.Or(cfg.BaseURL, DefaultBaseURL))
	if err != nil {
		return nil, err
	}
	ig := u.JoinPath()
	switch {
	case cfg.InstagramBaseURL != "":
		if ig, err = parseBaseURL(cfg.InstagramBaseURL); err != nil {
			return nil, err
		}
	case u.Host == facebookHost:
		ig.Host = instagramHost
	}
	c := &Client{
		base:      u,
		instagram: ig,
		logins:    cfg.Logins,
		http:      &http.Client{Timeout: cfg.Timeout, Transport: cfg.Transport},
		userAgent: "inkorg/" + cmp.Or(cfg.Version, "dev"),
		log:       cfg.Logger,
		now:       cfg.Now,
	}
	if c.http.Timeout == 0 {
		c.http.Timeout = DefaultTimeout
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// parseBaseURL parses a Graph API root, which must be an absolute http(s)
// URL.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("graph: base URL %q must be an absolute http(s) URL", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}

// BaseURL returns the Graph API root the client calls for Facebook Login.
func (c *Client) BaseURL() string { return c.base.String() }

// InstagramBaseURL returns the Graph API root the client calls for
// Instagram Login.
func (c *Client) InstagramBaseURL() string { return c.instagram.String() }

// UserAgent returns the User-Agent the client sends.
func (c *Client) UserAgent() string { return c.userAgent }

// call is one Graph API request.
type call struct {
	op     string
	method string
	// path is the object id and optional edge, each already validated.
	path  []string
	query url.Values
	form  url.Values // sent form-encoded when set
	json  any        // sent as JSON when set
	// idempotent calls may be repeated safely, so a lost answer is only
	// transient for them.
	idempotent bool
	// facebook calls go to graph.facebook.com whatever the login, for
	// endpoints only it has (debug_token).
	facebook bool
}

// do sends cl with token and decodes a 2xx answer into out.
func (c *Client) do(ctx context.Context, token string, cl call, out any) (RateLimit, error) {
	if err := checkToken(token); err != nil {
		return RateLimit{}, &Error{Op: cl.op, Class: Token, Message: err.Error()}
	}
	req, err := c.newRequest(ctx, token, cl)
	if err != nil {
		return RateLimit{}, &Error{Op: cl.op, Class: InvalidRequest, Message: err.Error()}
	}
	var written atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) { written.Store(info.Err == nil) },
	}))
	start := time.Now()
	rl, err := c.roundTrip(req, token, cl, &written, out)
	c.logCall(ctx, cl, start, err)
	return rl, err
}

// roundTrip sends req and turns every outcome into a result or an *Error.
func (c *Client) roundTrip(req *http.Request, token string, cl call, written *atomic.Bool, out any) (RateLimit, error) {
	resp, err := c.http.Do(req)
	if err != nil {
		return RateLimit{}, c.networkError(cl, 0, token, written.Load(), err)
	}
	defer resp.Body.Close()
	rl, rlErr := ParseRateLimit(resp.Header, c.now())
	if rlErr != nil {
		c.log.WarnContext(req.Context(), "graph usage header malformed", "op", cl.op, "err", rlErr)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		e := c.networkError(cl, resp.StatusCode, token, true, err)
		e.RateLimit = rl
		return rl, e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := apiError(cl, resp.StatusCode, body, token)
		e.RateLimit = rl
		return rl, e
	}
	if err := json.Unmarshal(body, out); err != nil {
		// A 2xx whose body cannot be read: the call most likely took
		// effect, but its result is unknown.
		e := c.networkError(cl, resp.StatusCode, token, true, fmt.Errorf("malformed answer: %w", err))
		e.RateLimit = rl
		return rl, e
	}
	return rl, nil
}

// newRequest builds the HTTP request for cl.
func (c *Client) newRequest(ctx context.Context, token string, cl call) (*http.Request, error) {
	u := c.baseFor(ctx, token, cl).JoinPath(cl.path...)
	u.RawQuery = cl.query.Encode()
	var body io.Reader
	contentType := ""
	switch {
	case cl.json != nil:
		b, err := json.Marshal(cl.json)
		if err != nil {
			return nil, err
		}
		body, contentType = bytes.NewReader(b), "application/json"
	case cl.form != nil:
		body, contentType = strings.NewReader(cl.form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	// The token goes in a header, never in the URL: URLs end up in error
	// messages, proxies' logs and traces.
	req.Header.Set("Authorization", "Bearer "+token)
	return req, nil
}

// networkError is an *Error for a call that got no usable answer.
func (c *Client) networkError(cl call, status int, token string, written bool, err error) *Error {
	f := failure{status: status, network: true, written: written, idempotent: cl.idempotent}
	return &Error{Op: cl.op, Class: classify(f), Status: status, Err: redactErr(err, token)}
}

// apiError parses Meta's error JSON from a non-2xx answer.
func apiError(cl call, status int, body []byte, token string) *Error {
	var env struct {
		Error struct {
			Message   string `json:"message"`
			Type      string `json:"type"`
			Code      int    `json:"code"`
			Subcode   int    `json:"error_subcode"`
			UserTitle string `json:"error_user_title"`
			UserMsg   string `json:"error_user_msg"`
			FBTraceID string `json:"fbtrace_id"`
		} `json:"error"`
	}
	e := &Error{Op: cl.op, Status: status}
	if err := json.Unmarshal(body, &env); err != nil {
		e.Message = "answer is not Graph API error JSON"
	} else {
		m := env.Error
		e.Code, e.Subcode, e.Type, e.FBTraceID = m.Code, m.Subcode, m.Type, m.FBTraceID
		// Meta sometimes quotes a malformed token back in its message.
		e.Message, e.UserTitle, e.UserMsg = redact(m.Message, token), redact(m.UserTitle, token), redact(m.UserMsg, token)
	}
	e.Class = classify(failure{status: status, code: e.Code, subcode: e.Subcode, idempotent: cl.idempotent})
	return e
}

// logCall logs one line per call: never the token, the path (ids of
// citizens) or any text.
func (c *Client) logCall(ctx context.Context, cl call, start time.Time, err error) {
	ms := time.Since(start).Milliseconds()
	var e *Error
	if !errors.As(err, &e) {
		c.log.DebugContext(ctx, "graph call", "op", cl.op, "duration_ms", ms)
		return
	}
	c.log.WarnContext(ctx, "graph call failed", "op", cl.op, "duration_ms", ms, "class", string(e.Class),
		"status", e.Status, "code", e.Code, "subcode", e.Subcode, "fbtrace_id", e.FBTraceID)
}

// checkToken rejects tokens that cannot be a Graph access token, before
// they reach a header.
func checkToken(token string) error {
	if token == "" {
		return errors.New("no access token")
	}
	for _, r := range token {
		if r <= ' ' || r == 0x7f {
			return errors.New("access token contains spaces or control characters")
		}
	}
	return nil
}

// redact removes token from s.
func redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "[redacted]")
}

// redactErr returns err, or a copy of its text without token when it
// contains the token.
func redactErr(err error, token string) error {
	if token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(redact(err.Error(), token))
}
