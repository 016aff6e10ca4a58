package main

import "inkorg/inbox/httpapi"

// readyChecks are what /readyz asks of the roles r runs. Every role needs
// the queue; only the workers and the API use the database, so a receiver
// stays ready, and keeps putting webhooks on the queue, while the database
// is down. (With the queue in the database, the queue's check finds that
// out too.)
func readyChecks(r roles, b *backends) []httpapi.Check {
	var checks []httpapi.Check
	if r.workers || r.api {
		checks = append(checks, httpapi.Check{Name: "database", Pinger: b.db})
	}
	return append(checks, httpapi.Check{Name: "queue", Pinger: b.queue})
}
