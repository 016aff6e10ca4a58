package webhooks

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"inkorg/inbox"
)

// DefaultMaxBodyBytes is the body size limit when ReceiverConfig sets none.
// Meta documents no maximum payload size, only that a delivery batches up
// to 1000 updates, and it escapes every non-ASCII character (å, ä, ö,
// emoji) as \uXXXX, six bytes each. A full batch of long Swedish comments
// (a few thousand characters each) can pass 4 MiB; 16 MiB holds 1000
// updates of about 16 KB, a comment of roughly 2,700 characters all
// escaped, while bounding what one request can make the server hold. A
// larger body is refused with 413, which Meta retries: the limit must stay
// above anything Meta sends.
const DefaultMaxBodyBytes = 16 << 20

// maxPrealloc bounds the buffer allocated up front from a request's
// Content-Length, before its signature is checked: a client that
// announces a large body but sends little cannot make the server hold
// much. Larger bodies grow the buffer as they arrive.
const maxPrealloc = 1 << 20

// Headers the receiver sets on each message it publishes, kept with the
// raw body for audit and replay.
const (
	// HeaderReceivedAt is when the request arrived, RFC 3339 with
	// nanoseconds, in UTC.
	HeaderReceivedAt = "received_at"
	// HeaderSignature is the request's X-Hub-Signature-256 value.
	HeaderSignature = "x_hub_signature_256"
	// HeaderContentType is the request's Content-Type.
	HeaderContentType = "content_type"
)

// Time limits of a publish. Meta counts a messaging delivery as failed
// after about five seconds and sends it again, so a queue that is only slow
// under load gets up to publishTimeout. One that has not answered after
// reachabilityCheck is pinged; when the ping fails the delivery is refused
// at once, so that an unreachable queue gets a 503 with Retry-After within
// a second and Meta backs off instead of piling up requests.
const (
	publishTimeout    = 4 * time.Second
	reachabilityCheck = 500 * time.Millisecond
	pingTimeout       = 250 * time.Millisecond
)

// ReceiverConfig is what a Receiver needs. Only Queue is required.
type ReceiverConfig struct {
	// AppSecret is the Meta app secret that signs deliveries. Without it
	// (and the two below) the receiver accepts nothing.
	AppSecret string
	// PreviousAppSecret, when set, is accepted as well: the secret before
	// a reset in the App Dashboard, until every instance has the new one.
	PreviousAppSecret string
	// InstagramAppSecret, when set, is accepted as well: with Instagram
	// Login the dashboard shows a separate Instagram app secret, which may
	// sign object:instagram deliveries.
	InstagramAppSecret string
	// VerifyToken is the token configured in the App Dashboard for the
	// verification handshake. Without it every handshake is refused.
	VerifyToken string
	// Queue takes verified bodies, on inbox.QueueDeliveries.
	Queue inbox.Queue
	// MaxBodyBytes limits a delivery's size; DefaultMaxBodyBytes when 0.
	MaxBodyBytes int64
	// Logger defaults to discarding logs; Metrics may be nil.
	Logger  *slog.Logger
	Metrics *Metrics
	// Now defaults to time.Now.
	Now inbox.Clock
}

// Receiver is the HTTP endpoint Meta calls: Verify answers the
// subscription handshake (GET) and Receive takes deliveries (POST). Both
// are plain net/http handlers so any router can mount them.
type Receiver struct {
	verifyToken  string
	queue        inbox.Queue
	maxBodyBytes int64
	logger       *slog.Logger
	metrics      *Metrics
	now          inbox.Clock

	// verifier checks signatures with the configured secrets.
	verifier *verifier
	// publishers run the publishes, see enqueue.
	publishers *runner

	// Missing configuration is logged once, not once per request.
	noSecretOnce sync.Once
	noTokenOnce  sync.Once
}

// NewReceiver returns a Receiver for cfg. It panics when cfg.Queue is nil,
// which is a wiring mistake, not a runtime condition.
func NewReceiver(cfg ReceiverConfig) *Receiver {
	if cfg.Queue == nil {
		panic("webhooks: NewReceiver needs a Queue")
	}
	r := &Receiver{
		verifyToken:  cfg.VerifyToken,
		queue:        cfg.Queue,
		maxBodyBytes: cfg.MaxBodyBytes,
		logger:       cfg.Logger,
		metrics:      cfg.Metrics,
		now:          cfg.Now,
		verifier: newVerifier(
			signingSecret{secretApp, cfg.AppSecret},
			signingSecret{secretAppPrevious, cfg.PreviousAppSecret},
			signingSecret{secretInstagram, cfg.InstagramAppSecret},
		),
		publishers: newRunner(),
	}
	if r.maxBodyBytes <= 0 {
		r.maxBodyBytes = DefaultMaxBodyBytes
	}
	if r.logger == nil {
		r.logger = slog.New(slog.DiscardHandler)
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r
}

// Verify answers Meta's verification handshake, GET with hub.mode,
// hub.verify_token and hub.challenge. When the mode is "subscribe" and the
// token matches the configured one it echoes the challenge as text/plain;
// otherwise, and always when no verify token is configured, it answers 403.
func (r *Receiver) Verify(w http.ResponseWriter, req *http.Request) {
	q := req.URL.Query()
	mode, token, challenge := q.Get("hub.mode"), q.Get("hub.verify_token"), q.Get("hub.challenge")
	reason := ""
	switch {
	case r.verifyToken == "":
		r.noTokenOnce.Do(func() {
			r.logger.Error("webhook handshake refused: no verify token is configured (META_VERIFY_TOKEN)")
		})
		reason = "unconfigured"
	case mode != "subscribe" || token == "" || challenge == "":
		reason = "missing_parameters"
	case !sameToken(token, r.verifyToken):
		reason = "token_mismatch"
	}
	if reason != "" {
		r.logger.Warn("webhook handshake refused", "reason", reason)
		r.metrics.request(resultForbidden)
		writeError(w, http.StatusForbidden, inbox.EFORBIDDEN, "Verification failed.")
		return
	}
	r.logger.Info("webhook handshake verified")
	r.metrics.request(resultVerified)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, challenge)
}

// sameToken compares in constant time; hashing first hides the configured
// token's length as well as its content.
func sameToken(got, want string) bool {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// Receive takes one delivery, POST with the JSON body Meta signed. It
// answers 200 "EVENT_RECEIVED" only once the raw body is durable on the
// deliveries queue; every other answer makes Meta send it again.
//
//   - no app secret configured: 503. The fault is the server's, and Meta's
//     retries deliver the backlog once the secret is set. Nothing is ever
//     accepted unverified.
//   - body over the size limit: 413.
//   - X-Hub-Signature-256 missing, malformed or not the HMAC-SHA256 of the
//     raw body with any configured secret: 401, checked before the body is
//     parsed at all.
//   - the queue fails: 503 with Retry-After.
//
// Nothing is published in any of these cases. Errors are JSON, as in the
// rest of the API.
//
// A top-level JSON array of deliveries (as some senders batch them, and
// some of Meta's Instagram examples show) is a delivery too: the ingest
// worker applies each of its elements. A signed body that is not a JSON
// object with an "object" string, nor an array holding one, is queued and
// answered 200 all the same: it came from Meta, refusing it would only
// make Meta send it again for hours and, for messaging, disable the
// webhooks after one. The ingest worker keeps it, counts it as malformed
// by its shape and logs it, and "inkorg deliveries reparse" reads it
// after a parser fix.
// An empty signed body has nothing to keep and is answered 200 unqueued.
func (r *Receiver) Receive(w http.ResponseWriter, req *http.Request) {
	start := r.now()
	r.metrics.request(r.receive(w, req, start))
	r.metrics.handled(r.now().Sub(start))
}

func (r *Receiver) receive(w http.ResponseWriter, req *http.Request, receivedAt time.Time) string {
	if !r.verifier.configured() {
		r.noSecretOnce.Do(func() {
			r.logger.Error("webhook deliveries refused: no app secret is configured (META_APP_SECRET), so no signature can be verified")
		})
		writeError(w, http.StatusServiceUnavailable, inbox.EUNAVAILABLE, "Webhook receiver is not configured.")
		return resultUnconfigured
	}
	body, result := r.readBody(w, req)
	if result != "" {
		return result
	}
	secret, problem := r.verifier.check(body, req.Header.Get(SignatureHeader))
	if problem != "" {
		r.logger.Warn("webhook delivery refused: bad signature", "reason", problem, "bytes", len(body))
		writeError(w, http.StatusUnauthorized, inbox.EUNAUTHORIZED, "Invalid signature.")
		return resultBadSignature
	}
	r.metrics.signature(secret)
	accepted := resultAccepted
	object, err := deliveryObject(body)
	if err != nil {
		r.logger.Warn("webhook delivery is signed but not in the form of a delivery; queued to be kept",
			"bytes", len(body), "shape", bodyShape(body), "secret", secret, "error", err)
		accepted = resultMalformed
		if len(body) == 0 {
			// A queue takes no empty message, and there is nothing to keep.
			writeReceived(w)
			return accepted
		}
	}
	return r.publish(w, req, body, object, secret, receivedAt, accepted)
}

// readBody reads the whole body up to the limit. On failure it has
// answered and returns the result.
func (r *Receiver) readBody(w http.ResponseWriter, req *http.Request) ([]byte, string) {
	if req.ContentLength > r.maxBodyBytes {
		return nil, r.tooLarge(w, req.ContentLength)
	}
	body, err := readAll(http.MaxBytesReader(w, req.Body, r.maxBodyBytes), req.ContentLength)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, r.tooLarge(w, -1)
	case err != nil:
		r.logger.Warn("webhook delivery refused: body could not be read", "error", err)
		writeError(w, http.StatusBadRequest, inbox.EINVALID, "Request body could not be read.")
		return nil, resultReadError
	}
	return body, ""
}

// readAll reads rd to the end into one buffer of the announced size, so
// that a body with a Content-Length up to maxPrealloc is neither grown nor
// copied on the way; a larger one, or one without, grows its buffer as
// io.ReadAll does.
func readAll(rd io.Reader, contentLength int64) ([]byte, error) {
	// One byte more than announced lets the read that finds the end do
	// so without growing a full buffer.
	size := contentLength + 1
	if contentLength <= 0 {
		size = 512
	}
	b := make([]byte, 0, min(size, maxPrealloc))
	for {
		n, err := rd.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

func (r *Receiver) tooLarge(w http.ResponseWriter, contentLength int64) string {
	r.logger.Warn("webhook delivery refused: body too large",
		"content_length", contentLength, "max_bytes", r.maxBodyBytes)
	writeError(w, http.StatusRequestEntityTooLarge, inbox.ETOOLARGE, "Request body is too large.")
	return resultTooLarge
}

// publish puts the verified body, unchanged, on the deliveries queue and
// returns result once it is there. No Key is set: deliveries are
// independent, and grouping them by Page would serialise all the city's
// traffic behind one key.
func (r *Receiver) publish(w http.ResponseWriter, req *http.Request, body []byte, object, secret string, receivedAt time.Time, result string) string {
	id, err := r.enqueue(req.Context(), inbox.OutgoingMessage{
		Body: body,
		Headers: map[string]string{
			HeaderReceivedAt:  receivedAt.UTC().Format(time.RFC3339Nano),
			HeaderSignature:   req.Header.Get(SignatureHeader),
			HeaderContentType: req.Header.Get("Content-Type"),
		},
	})
	if err != nil {
		r.logger.Error("webhook delivery not queued", "object", object, "bytes", len(body), "error", err)
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, inbox.EUNAVAILABLE, "Delivery could not be queued; try again.")
		return resultUnavailable
	}
	r.logger.Debug("webhook delivery queued", "delivery_id", id, "object", object, "bytes", len(body), "secret", secret)
	r.metrics.accepted(len(body))
	writeReceived(w)
	return result
}

// writeReceived answers 200, as Meta expects of a delivery taken.
func writeReceived(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "EVENT_RECEIVED")
}

// enqueue publishes msg on the deliveries queue within publishTimeout, but
// gives up after reachabilityCheck when the queue does not answer a ping.
// A publish that commits after that only makes Meta's retry a duplicate,
// which the ingest worker ignores. The publish runs on one of the
// receiver's publisher goroutines, so that the answer does not wait for a
// queue that hangs.
func (r *Receiver) enqueue(ctx context.Context, msg inbox.OutgoingMessage) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, publishTimeout)
	defer cancel()
	type result struct {
		id  string
		err error
	}
	done := make(chan result, 1)
	r.publishers.Go(func() {
		id, err := r.queue.Publish(ctx, inbox.QueueDeliveries, msg)
		done <- result{id, err}
	})
	check := time.NewTimer(reachabilityCheck)
	defer check.Stop()
	select {
	case res := <-done:
		return res.id, res.err
	case <-check.C:
	}
	pctx, pcancel := context.WithTimeout(ctx, pingTimeout)
	err := r.queue.Ping(pctx)
	pcancel()
	if err != nil {
		return "", err
	}
	res := <-done
	return res.id, res.err
}
