package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"

	"inkorg/inbox"
	"inkorg/webhooks"
	"inkorg/webhooks/demo"
)

// demoUsers are created by `serve --demo` when missing.
// Their passwords are fixed and printed: the demo is for trying inkorg
// out, never for real data.
var demoUsers = []inbox.User{
	{Name: "anna", Role: inbox.RoleAgent},
	{Name: "sara", Role: inbox.RoleSpecialist, AdministrationID: "stadsmiljo"},
	{Name: "lena", Role: inbox.RoleSupervisor},
	{Name: "admin", Role: inbox.RoleAdmin},
}

// demoPassword is the password `serve --demo` gives a demo user.
func demoPassword(name string) string { return "inkorg-demo-" + name }

// runDemo seeds the demo account and users, prints how to use the API, and
// replays the sample webhooks through the real signed receiver.
func runDemo(ctx context.Context, e *env, store inbox.Store, baseURL, appSecret string, r roles) error {
	err := store.CreateAccount(ctx, &inbox.Account{Platform: inbox.PlatformFacebook, ExternalID: demo.PageID, Name: "Göteborgs Stad (demo)"})
	if err != nil && inbox.ErrorCode(err) != inbox.ECONFLICT {
		return err
	}
	for _, u := range demoUsers {
		hash, err := inbox.HashPassword(demoPassword(u.Name))
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		if err := store.CreateUser(ctx, &u); err != nil && inbox.ErrorCode(err) != inbox.ECONFLICT {
			return err
		}
	}
	agent, err := store.FindUserByName(ctx, "anna")
	if err != nil {
		return err
	}
	token, err := demoToken(ctx, store, agent)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo: users anna (agent), sara (specialist, stadsmiljo), lena (supervisor), admin (admin)\n")
	fmt.Fprintf(e.stdout, "demo: sign in at %s/login with the password inkorg-demo-<name>, e.g. anna / %s\n", baseURL, demoPassword("anna"))
	fmt.Fprintf(e.stdout, "demo: API token for anna: %s\n", token)
	fmt.Fprintf(e.stdout, "demo: try  curl -H 'Authorization: Bearer %s' %s/api/v1/conversations\n", token, baseURL)
	if !r.webhooks {
		return nil
	}
	n, err := replaySamples(ctx, baseURL, appSecret)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo: replayed %d sample webhooks through %s/webhooks/meta\n", n, baseURL)
	return nil
}

// demoTokenName names the API token `serve --demo` prints for anna.
const demoTokenName = "serve --demo"

// demoToken issues agent's demo API token and revokes the ones earlier
// starts issued, so that each start leaves one working demo token behind
// rather than one more.
func demoToken(ctx context.Context, store inbox.Store, agent *inbox.User) (string, error) {
	earlier, err := store.FindAPITokens(ctx, agent.ID)
	if err != nil {
		return "", err
	}
	token, err := issueToken(ctx, store, agent, demoTokenName)
	if err != nil {
		return "", err
	}
	for _, t := range earlier {
		if t.Name != demoTokenName {
			continue
		}
		switch err := store.DeleteAPIToken(ctx, t.ID); {
		case inbox.ErrorCode(err) == inbox.ENOTFOUND:
			continue // revoked meanwhile
		case err != nil:
			return "", err
		}
		if err := store.AddAudit(ctx, inbox.TokenAudit(inbox.ActionTokenRevoke, 0, t, "cli")); err != nil {
			return "", err
		}
	}
	return token, nil
}

// replaySamples posts the demo deliveries, signed, to the receiver.
func replaySamples(ctx context.Context, baseURL, appSecret string) (int, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	deliveries := demo.Deliveries(time.Now())
	for _, body := range deliveries {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/webhooks/meta", bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hub-Signature-256", webhooks.Sign(appSecret, body))
		resp, err := client.Do(req)
		if err != nil {
			return 0, fmt.Errorf("replay sample webhook: %w", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("replay sample webhook: receiver answered %s", resp.Status)
		}
	}
	return len(deliveries), nil
}

func randomSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}
