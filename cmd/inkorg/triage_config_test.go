package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoutingConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `{"targets":[{"id":"park","kind":"forvaltning","name":"Park","topics":["parker","lekplatser"]}]}`)
	tests := []struct {
		name, targets, autoHide string
		wantErr                 string // empty: no error
	}{
		{"OK/Bundled", "", "", ""},
		{"OK/File", good, "1", ""},
		{"ErrMissingFile", filepath.Join(dir, "missing.json"), "", "INKORG_ROUTING_TARGETS: cannot read"},
		{"ErrNotJSON", write("bad.json", "{targets: nope\n}"), "", "INKORG_ROUTING_TARGETS " + filepath.Join(dir, "bad.json") + ": administrations:"},
		{"ErrNoTopics", write("notopics.json", `{"targets":[{"id":"park","kind":"forvaltning","name":"Park","topics":[]}]}`), "",
			"target 1: park: at least one topic is required"},
		{"ErrAutoHide", "", "maybe", "INKORG_AUTO_HIDE_PERSONAL_NUMBERS \"maybe\" must be 1 or 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"INKORG_ROUTING_TARGETS": tt.targets, "INKORG_AUTO_HIDE_PERSONAL_NUMBERS": tt.autoHide}
			cfg, err := loadConfig(func(k string) string { return env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("got %v, want one line with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			targets, err := cfg.Routing.targets()
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := targets.Get("park"); ok != (tt.targets != "") {
				t.Errorf("got park target %v, want it only from the file", ok)
			}
			if cfg.Routing.AutoHide != (tt.autoHide == "1") {
				t.Errorf("got auto-hide %v for %q", cfg.Routing.AutoHide, tt.autoHide)
			}
		})
	}
}
