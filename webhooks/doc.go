// Package webhooks receives Meta's webhook deliveries and turns them into
// inbox events.
//
// The Receiver is the HTTP edge: it answers Meta's verification handshake,
// checks the X-Hub-Signature-256 HMAC over the raw body, and publishes the
// body unchanged on the deliveries queue before it answers 200, so nothing
// Meta sends is lost once acknowledged. Parse maps a delivery to normalised
// inbox.Event values, and the Ingester keeps each delivery's raw body in
// the store and applies its events from a queue consumer. The parser runs
// in the worker, never in the request, so a parser change can be replayed
// over stored deliveries (Ingester.Reparse).
package webhooks
