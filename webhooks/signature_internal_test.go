package webhooks

import (
	"fmt"
	"sync"
	"testing"
)

// TestVerifierReuse checks that reused HMACs carry nothing from one check
// to the next, with checks running concurrently, good and bad mixed.
func TestVerifierReuse(t *testing.T) {
	const secret = "app-secret"
	v := newVerifier(signingSecret{secretApp, secret})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				body := []byte(fmt.Sprintf(`{"object":"page","n":%d}`, g*1000+i))
				if p := v.problem(body, Sign(secret, body)); p != "" {
					t.Errorf("good signature of %s: %s", body, p)
				}
				if p := v.problem(body, Sign("other", body)); p != "mismatch" {
					t.Errorf("wrong secret on %s: got %q, want mismatch", body, p)
				}
				if p := v.problem(body[1:], Sign(secret, body)); p != "mismatch" {
					t.Errorf("changed body %s: got %q, want mismatch", body[1:], p)
				}
			}
		})
	}
	wg.Wait()
}
