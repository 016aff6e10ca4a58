package graph

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Sandbox stands in for the Graph API in the demo and in tests. It answers
// the endpoints the Client calls with their documented request checks and
// answer shapes, records every call it receives (what would have been
// sent), and can be told to answer the next calls with an error, a delay
// or a dropped connection. It is safe for concurrent use.
type Sandbox struct {
	now func() time.Time

	mu       sync.Mutex
	calls    []Call
	rules    []*rule
	profiles map[string]Profile
	gone     map[string]bool // deleted comments
	posts    []*sandboxPost  // what the list endpoints answer
	threads  []*sandboxThread
	igLinks  map[string]string      // Instagram account linked to a Page, by Page id
	tokens   map[string]TokenAnswer // debug_token answers by input token
	callLog  CallLog                // see SetCallLog
	logger   *slog.Logger
	seq      int
}

// Call is one request the sandbox received. It never holds the access
// token.
type Call struct {
	Seq    int       `json:"seq"`
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	// Path is the request path without the version, e.g. "/123/messages".
	Path string `json:"path"`
	// Body holds the request's parameters (JSON body, form and query
	// merged) as a JSON object, access_token removed.
	Body json.RawMessage `json:"body"`
	// Status is the HTTP status answered; 0 when the connection was
	// dropped on purpose.
	Status int `json:"status"`
	// Code is the Graph error code answered, 0 on success.
	Code int `json:"code,omitempty"`
	// ResultID is the id of what the call created (message or comment).
	ResultID string `json:"result_id,omitempty"`
}

// Succeeded reports whether the call took effect: it is what "would have
// been sent".
func (c Call) Succeeded() bool { return c.Code == 0 && c.Status < 300 }

// Fault is a programmed answer. With Code set the sandbox answers Meta's
// error JSON; with only Delay, Hangup or Header set it handles the call
// normally and then delays, drops or decorates the answer.
type Fault struct {
	// Status is the HTTP status; zero picks 500 for codes Meta uses for
	// its own failures (1, 2, -1) and 400 for the others.
	Status  int
	Code    int
	Subcode int
	// Type defaults to OAuthException; Message to the documented text.
	Type    string
	Message string
	// Delay holds the answer back, or until the client gives up.
	Delay time.Duration
	// Hangup handles the call and then closes the connection without an
	// answer: the call took effect but the client cannot know.
	Hangup bool
	// Header is added to the answer, e.g. usage headers.
	Header http.Header
}

// rule applies a fault to matching calls.
type rule struct {
	method    string // "" for any
	pattern   string // path.Match pattern on the versionless path, "" for any
	remaining int    // calls left; negative for every call
	fault     Fault
}

// NewSandbox returns an empty sandbox. now stamps recorded calls; nil
// means time.Now.
func NewSandbox(now func() time.Time) *Sandbox {
	if now == nil {
		now = time.Now
	}
	return &Sandbox{now: now, profiles: map[string]Profile{}, gone: map[string]bool{}}
}

// FailNext answers the next n calls, whatever their path, with f.
func (s *Sandbox) FailNext(n int, f Fault) { s.addRule(&rule{remaining: n, fault: f}) }

// FailPath answers calls with that method ("" for any) whose versionless
// path matches pattern (path.Match syntax, e.g. "/*/messages") with f:
// the next n of them, or all of them when n is negative. Rules apply in
// the order they were added.
func (s *Sandbox) FailPath(method, pattern string, n int, f Fault) error {
	if _, err := path.Match(pattern, "/"); err != nil {
		return err
	}
	s.addRule(&rule{method: method, pattern: pattern, remaining: n, fault: f})
	return nil
}

// ClearFaults removes every programmed fault.
func (s *Sandbox) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = nil
}

// SetProfile makes id look up to p.
func (s *Sandbox) SetProfile(id string, p Profile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.ID = id
	s.profiles[id] = p
}

// Calls returns the calls received so far, oldest first.
func (s *Sandbox) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Reset forgets recorded calls, programmed faults and deleted comments.
func (s *Sandbox) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.rules, s.gone = nil, nil, map[string]bool{}
}

func (s *Sandbox) deleted(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gone[id]
}

func (s *Sandbox) markDeleted(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gone[id] = true
}

func (s *Sandbox) addRule(r *rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, r)
}

// takeFault returns the fault of the first rule matching the call and
// uses one of its calls up.
func (s *Sandbox) takeFault(method, p string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.rules {
		if r.remaining == 0 || (r.method != "" && r.method != method) {
			continue
		}
		if ok, _ := path.Match(r.pattern, p); r.pattern != "" && !ok {
			continue
		}
		if r.remaining > 0 {
			r.remaining--
		}
		return r.fault, true
	}
	return Fault{}, false
}

// record stores c, numbering it, and writes it to the call log.
func (s *Sandbox) record(c Call) {
	s.mu.Lock()
	c.Seq = len(s.calls) + 1
	s.calls = append(s.calls, c)
	s.mu.Unlock()
	s.logCall(c)
}

// nextID returns a new number for created objects.
func (s *Sandbox) nextID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return s.seq
}

// NumberFrom makes the ids the sandbox gives the comments and messages it
// creates count on from n instead of from 1. A server that keeps its data
// between starts gives each start its own range (from its start time), so
// a reply sent after a restart never gets the id of one sent before: the
// store takes a second message under an id for the platform's echo of the
// first. Call it before the sandbox answers calls.
func (s *Sandbox) NumberFrom(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq = n - 1
}

// versionPrefix is the "/v25.0" a base URL carries.
var versionPrefix = regexp.MustCompile(`^/v[0-9]+\.[0-9]+(/|$)`)

// ServeHTTP implements http.Handler.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := "/" + strings.TrimPrefix(versionPrefix.ReplaceAllString(r.URL.Path, "/"), "/")
	params, err := readParams(r)
	authorized := hasToken(r, params)
	delete(params, "access_token")
	c := Call{Time: s.now(), Method: r.Method, Path: p}
	c.Body, _ = json.Marshal(recorded(params))
	fault, faulty := s.takeFault(r.Method, p)
	var a answer
	switch {
	case err != nil:
		a = errorAnswer(Fault{Code: 100, Message: "(#100) " + err.Error()})
	case !authorized:
		a = errorAnswer(Fault{Code: 190, Message: "An active access token must be used to query information about the current user."})
	case faulty && fault.Code != 0:
		a = errorAnswer(fault)
	case p == "/debug_token":
		a = s.debugToken(r, params)
	default:
		a = s.handle(r.Method, p, params)
	}
	c.Status, c.Code, c.ResultID = a.status, a.code, a.resultID
	if !wait(r.Context(), fault.Delay) {
		// The client gave up waiting; as with Meta, the call took effect.
		s.record(c)
		return
	}
	if fault.Hangup {
		c.Status = 0
		s.record(c)
		hangup(w)
		return
	}
	s.record(c)
	for k, v := range fault.Header {
		w.Header()[k] = v
	}
	a.write(w)
}

// hasToken reports whether the call carries an access token, in the
// Authorization header or as a parameter.
func hasToken(r *http.Request, params map[string]any) bool {
	if t, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && strings.TrimSpace(t) != "" {
		return true
	}
	t, _ := params["access_token"].(string)
	return t != ""
}

// wait sleeps d or until ctx ends; false when ctx ended first.
func wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// hangup closes the connection without writing an answer.
func hangup(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the handler, which resets the stream.
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// SandboxServer is a sandbox listening on a loopback port.
type SandboxServer struct {
	// URL is the base URL to configure a Client with, version included.
	URL string
	srv *http.Server
}

// Close stops the server.
func (s *SandboxServer) Close() error { return s.srv.Close() }

// Start serves the sandbox on a free loopback port until Close. Its URL
// carries the version of DefaultBaseURL.
func (s *Sandbox) Start() (*SandboxServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	// Serve returns only once Close is called (or the listener fails, which
	// the client then sees as a network error).
	go srv.Serve(ln)
	version := DefaultBaseURL[strings.LastIndex(DefaultBaseURL, "/"):]
	return &SandboxServer{URL: "http://" + ln.Addr().String() + version, srv: srv}, nil
}
