package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConfigWebhookSecrets checks the extra secrets that may sign webhooks:
// read like META_APP_SECRET (also from NAME_FILE), and a previous secret
// only with a current one.
func TestConfigWebhookSecrets(t *testing.T) {
	file := filepath.Join(t.TempDir(), "ig_secret")
	if err := os.WriteFile(file, []byte("ig-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		cfg, err := loadConfig(envFrom(map[string]string{
			"META_APP_SECRET": "new", "META_APP_SECRET_PREVIOUS": "old", "META_INSTAGRAM_APP_SECRET_FILE": file,
		}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.MetaAppSecret != "new" || cfg.MetaAppSecretPrevious != "old" || cfg.MetaInstagramAppSecret != "ig-secret" {
			t.Errorf("got %q, %q, %q, want new, old, ig-secret", cfg.MetaAppSecret, cfg.MetaAppSecretPrevious, cfg.MetaInstagramAppSecret)
		}
	})
	t.Run("ErrPreviousAlone", func(t *testing.T) {
		_, err := loadConfig(envFrom(map[string]string{"META_APP_SECRET_PREVIOUS": "old"}))
		if err == nil {
			t.Fatal("got no error, want one naming META_APP_SECRET_PREVIOUS")
		}
	})
}
