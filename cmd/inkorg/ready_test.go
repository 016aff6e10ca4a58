package main

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"testing"
	"time"

	"inkorg/inbox/inboxtest"
	"inkorg/inbox/queuetest"
	"inkorg/webhooks"
)

// TestReadyPerRole cuts PostgreSQL off from instances on Redis: a webhook
// receiver, which never uses the database, stays ready and keeps taking
// webhooks onto the queue; the workers, which do, report the database.
func TestReadyPerRole(t *testing.T) {
	dbURL, err := url.Parse(inboxtest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	p := queuetest.NewProxy(t, dbURL.Host)
	dbURL.Host = p.Addr()
	redisURL, prefix := inboxtest.RedisURL(t)
	env := baseEnv(t)
	env["DATABASE_URL"], env["REDIS_URL"], env["INKORG_REDIS_PREFIX"] = dbURL.String(), redisURL, prefix
	if code, out := runCmd(t, env, "", "migrate"); code != exitOK {
		t.Fatalf("migrate: got exit %d: %s", code, out)
	}
	receiver := startServe(t, env, "--roles=webhooks")
	workersEnv := maps.Clone(env)
	workersEnv["INKORG_DATA_DIR"] = t.TempDir()
	workers := startServe(t, workersEnv, "--roles=workers")
	for _, in := range []*instance{receiver, workers} {
		if code, checks := readiness(t, in.baseURL); code != http.StatusOK {
			t.Fatalf("%s/readyz before the outage: got %d %v, want 200", in.baseURL, code, checks)
		}
	}

	p.Down()
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, checks := readiness(t, workers.baseURL)
		if code == http.StatusServiceUnavailable && checks["database"] == "unavailable" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("workers' /readyz without the database: got %d %v, want 503 naming the database", code, checks)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, checks := readiness(t, receiver.baseURL); code != http.StatusOK || checks["queue"] != "ok" || checks["database"] != "" {
		t.Errorf("receiver's /readyz without the database: got %d %v, want 200 with the queue only", code, checks)
	}
	body := messengerDelivery("m_ready_", 0, 1)
	if code := receiver.postWebhook(body, webhooks.Sign(testAppSecret, body)); code != http.StatusOK {
		t.Errorf("POST /webhooks/meta without the database: got %d, want 200", code)
	}
}

// readiness asks baseURL's /readyz and returns the status and the checks.
func readiness(t *testing.T, baseURL string) (int, map[string]string) {
	t.Helper()
	resp, err := http.Get(baseURL + "/readyz")
	if err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	defer resp.Body.Close()
	var body struct{ Checks map[string]string }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	return resp.StatusCode, body.Checks
}
