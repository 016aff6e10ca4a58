package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"inkorg/inbox/slawatch"
)

func TestSLAConfig(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "sla.json")
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(good, []byte(`{"policies": [{"name": "all", "target": "3h"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"policies": [{"name": "all", "target": "soon"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(path string) func(string) string {
		return func(k string) string {
			if k == "INKORG_SLA_CONFIG" {
				return path
			}
			return ""
		}
	}
	t.Run("OKDefault", func(t *testing.T) {
		cfg, err := loadConfig(env(""))
		if err != nil || cfg.SLA == nil || len(cfg.SLA.Rules) != 3 {
			t.Fatalf("got %v, want the bundled three policies", err)
		}
	})
	t.Run("OKFile", func(t *testing.T) {
		cfg, err := loadConfig(env(good))
		if err != nil || len(cfg.SLA.Rules) != 1 || cfg.SLA.Rules[0].Name != "all" {
			t.Fatalf("got %v, want the file's one policy", err)
		}
	})
	for name, path := range map[string]string{"ErrInvalid": bad, "ErrMissing": filepath.Join(dir, "missing.json")} {
		t.Run(name, func(t *testing.T) {
			_, err := loadConfig(env(path))
			if err == nil || !strings.HasPrefix(err.Error(), "INKORG_SLA_CONFIG: ") || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %v, want one line naming INKORG_SLA_CONFIG", err)
			}
		})
	}
}

func TestSLAInterval(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "INKORG_SLA_INTERVAL" {
				return v
			}
			return ""
		}
	}
	for v, want := range map[string]time.Duration{"": slawatch.DefaultInterval, "5s": 5 * time.Second, "2m": 2 * time.Minute} {
		cfg, err := loadConfig(env(v))
		if err != nil || cfg.SLAInterval != want {
			t.Errorf("INKORG_SLA_INTERVAL=%q: got %v, %v; want %v", v, cfg.SLAInterval, err, want)
		}
	}
	for _, v := range []string{"soon", "500ms", "2h", "-5s"} {
		_, err := loadConfig(env(v))
		if err == nil || !strings.HasPrefix(err.Error(), "INKORG_SLA_INTERVAL: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("INKORG_SLA_INTERVAL=%q: got %v, want one line naming the variable", v, err)
		}
	}
}
