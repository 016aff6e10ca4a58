// Package graph is inkorg's client for Meta's Graph API, the outbound side
// of the inbox: public comment replies, private replies, Messenger and
// Instagram Direct sends, hiding, unhiding and deleting comments, looking
// up a contact's public name, and reading the post a comment is on. It
// also holds the sandbox, an http.Handler that answers those endpoints
// with their documented shapes and records every call, used by the demo
// and by tests.
//
// Calls for an account with Instagram Login go to graph.instagram.com,
// the others to graph.facebook.com: a client made with ForAccount or
// ForLogin is bound to one host, and otherwise Config.Logins tells each
// call's host from the account its token belongs to (TokenLogins).
//
// The client takes the access token per call and sends it in the
// Authorization header only, so it never appears in a URL, a log line, a
// sandbox record or an error message. The one exception is debug_token,
// whose inspected token Meta takes only in the query: the client removes
// it (and the app secret) from errors, and the sandbox from its records.
//
// The reconciliation poll reads through the same client: recent posts, an
// Instagram account's live broadcasts, and their comments, private
// conversations with their latest messages (on the linked Page for an
// Instagram account with Facebook Login, which LinkedInstagram finds), and
// the token's validity, expiry and permissions (debug_token, or /me
// without the app's credentials).
//
// Every failure is an *Error whose Class says what a sender should do:
// retry with back-off (Transient), ask an agent to check before sending
// again (Ambiguous), or give up and tell the agent why (the permanent
// classes). Classification happens in one function, classify.
//
// A sender worker on the outbound queue uses it like this:
//
//   - Mark the outbound message "sending" and commit before the call, and
//     put the outbound message's idempotency key in Message.Metadata: Meta
//     returns it in the echo webhook, which is how a send whose answer was
//     lost is matched to the message later.
//   - On success, store Sent.MessageID (or Created.ID) as the platform id.
//   - On Transient, retry with back-off; never before
//     Error.RateLimit.WaitUntil, and spaced out while RateLimit.SlowDown.
//     Successful answers carry a RateLimit too, so the worker slows down
//     before Meta throttles it.
//   - On Ambiguous, do not resend: mark the message for an agent to check
//     (or wait for the echo), since Meta may have posted it.
//   - On Token, mark the account as needing a new token and alert
//     supervisors; on the other permanent classes, fail the message with
//     Error.Explain().SV for the agent.
//
// Hiding, unhiding, deleting and profile lookups are idempotent, so for
// them a lost answer is Transient rather than Ambiguous.
package graph
