package main

import (
	"fmt"
	"strings"
	"testing"
)

func TestTrustedProxiesConfig(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		cfg, err := loadConfig(envFrom(map[string]string{"INKORG_TRUSTED_PROXIES": " 10.0.0.0/8, 192.168.1.7 ,fd00::/8,10.1.2.3/16"}))
		if err != nil {
			t.Fatalf("loadConfig: %v", err)
		}
		if got, want := fmt.Sprint(cfg.TrustedProxies), "[10.0.0.0/8 192.168.1.7/32 fd00::/8 10.1.0.0/16]"; got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	})
	t.Run("OKNone", func(t *testing.T) {
		if cfg, err := loadConfig(envFrom(nil)); err != nil || cfg.TrustedProxies != nil {
			t.Errorf("got %v, %v; want none", cfg.TrustedProxies, err)
		}
	})
	for name, v := range map[string]string{"ErrNotAnAddress": "10.0.0.0/8,proxy.local", "ErrEveryAddress": "0.0.0.0/0",
		"ErrBadRange": "10.0.0.0/33"} {
		t.Run(name, func(t *testing.T) {
			_, err := loadConfig(envFrom(map[string]string{"INKORG_TRUSTED_PROXIES": v}))
			if err == nil || !strings.Contains(err.Error(), "INKORG_TRUSTED_PROXIES") {
				t.Errorf("%q: got %v, want an error naming INKORG_TRUSTED_PROXIES", v, err)
			}
		})
	}
}
