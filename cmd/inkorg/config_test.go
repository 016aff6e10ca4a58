package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadConfig(t *testing.T) {
	t.Run("OK/Defaults", func(t *testing.T) {
		cfg, err := loadConfig(envFrom(nil))
		if err != nil {
			t.Fatalf("loadConfig: %v", err)
		}
		if cfg.Addr != ":8080" || cfg.DataDir != "./inkorg-data" || cfg.LogFormat != "text" {
			t.Errorf("got addr %q data dir %q log format %q, want :8080 ./inkorg-data text", cfg.Addr, cfg.DataDir, cfg.LogFormat)
		}
		if got, want := cfg.databaseURL(), filepath.Join("inkorg-data", "inkorg.db"); got != want {
			t.Errorf("got database %q, want %q", got, want)
		}
	})
	t.Run("OK/SecretFromFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "secret")
		if err := os.WriteFile(path, []byte("s3cret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadConfig(envFrom(map[string]string{"META_APP_SECRET_FILE": path}))
		if err != nil {
			t.Fatalf("loadConfig: %v", err)
		}
		if cfg.MetaAppSecret != "s3cret" {
			t.Errorf("got secret %q, want s3cret", cfg.MetaAppSecret)
		}
	})
	t.Run("OK/DatabaseURLSocket", func(t *testing.T) {
		cfg, err := loadConfig(envFrom(map[string]string{"DATABASE_URL": "postgres://inkorg@/inkorg?host=/run/postgresql"}))
		if err != nil {
			t.Fatalf("loadConfig: %v", err)
		}
		if got, want := cfg.databaseName(), "PostgreSQL database inkorg on the socket in /run/postgresql (port 5432)"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("OK/SecretKeyHex", func(t *testing.T) {
		cfg, err := loadConfig(envFrom(map[string]string{"INKORG_SECRET_KEY": strings.Repeat("ab", 32)}))
		if err != nil {
			t.Fatalf("loadConfig: %v", err)
		}
		if len(cfg.SecretKey) != 32 {
			t.Errorf("got key of %d bytes, want 32", len(cfg.SecretKey))
		}
	})

	bad := []struct {
		name   string
		env    map[string]string
		naming string
	}{
		{"ErrAddr", map[string]string{"INKORG_ADDR": "8080"}, "INKORG_ADDR"},
		{"ErrAddrPortTooLarge", map[string]string{"INKORG_ADDR": ":99999"}, "INKORG_ADDR"},
		{"ErrAddrPortName", map[string]string{"INKORG_ADDR": "foo:bar"}, "INKORG_ADDR"},
		{"ErrAddrPortNegative", map[string]string{"INKORG_ADDR": "127.0.0.1:-1"}, "INKORG_ADDR"},
		{"ErrAddrHost", map[string]string{"INKORG_ADDR": "in korg:8080"}, "INKORG_ADDR"},
		{"ErrAddrIP", map[string]string{"INKORG_ADDR": "10.0.0.256:8080"}, "INKORG_ADDR"},
		{"ErrDatabaseURL", map[string]string{"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"},
		{"ErrDatabaseURLSSLMode", map[string]string{"DATABASE_URL": "postgres://inkorg@db:5432/inkorg?sslmode=bogus"}, "DATABASE_URL"},
		{"ErrDatabaseURLPort", map[string]string{"DATABASE_URL": "postgres://inkorg@db:http/inkorg"}, "DATABASE_URL"},
		{"ErrDatabaseURLNoHost", map[string]string{"DATABASE_URL": "postgres:///inkorg"}, "DATABASE_URL"},
		{"ErrDatabaseURLEmptyHostParameter", map[string]string{"DATABASE_URL": "postgres://inkorg@/inkorg?host="}, "DATABASE_URL"},
		{"ErrRedisURL", map[string]string{"REDIS_URL": "http://x"}, "REDIS_URL"},
		{"ErrRedisURLNegativeDB", map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/-1"}, "REDIS_URL"},
		{"ErrRedisURLHugeDB", map[string]string{"REDIS_URL": "redis://127.0.0.1:6379/99999999999"}, "REDIS_URL"},
		{"ErrMeiliURL", map[string]string{"MEILI_URL": "ftp://x"}, "MEILI_URL"},
		{"ErrMeiliKeyWithoutURL", map[string]string{"MEILI_API_KEY": "k"}, "MEILI_API_KEY"},
		{"ErrGraphURLPlainHTTP", map[string]string{"META_GRAPH_URL": "http://graph.example.org/v25.0"}, "META_GRAPH_URL"},
		{"ErrLogFormat", map[string]string{"INKORG_LOG_FORMAT": "xml"}, "INKORG_LOG_FORMAT"},
		{"ErrSecretKey", map[string]string{"INKORG_SECRET_KEY": "short"}, "INKORG_SECRET_KEY"},
		{"ErrBothValueAndFile", map[string]string{"META_APP_SECRET": "a", "META_APP_SECRET_FILE": "/x"}, "META_APP_SECRET"},
		{"ErrMissingFile", map[string]string{"META_VERIFY_TOKEN_FILE": "/nonexistent/inkorg"}, "META_VERIFY_TOKEN_FILE"},
		{"ErrAnswerDomainsOnlyCommas", map[string]string{"INKORG_ANSWER_DOMAINS": " , ,"}, "INKORG_ANSWER_DOMAINS"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadConfig(envFrom(tc.env))
			if err == nil {
				t.Fatalf("got no error, want one naming %s", tc.naming)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.naming) || strings.Contains(msg, "\n") {
				t.Errorf("got %q, want one line naming %s", msg, tc.naming)
			}
		})
	}
}

// TestLoadConfigAddr checks the listen addresses INKORG_ADDR accepts.
func TestLoadConfigAddr(t *testing.T) {
	for _, addr := range []string{":8080", ":0", "127.0.0.1:8080", "[::1]:65535", "localhost:80", "inkorg.internal:8080", "inkorg_web:8080"} {
		t.Run("OK/"+addr, func(t *testing.T) {
			if _, err := loadConfig(envFrom(map[string]string{"INKORG_ADDR": addr})); err != nil {
				t.Errorf("got %v, want no error", err)
			}
		})
	}
}

// TestLoadConfigFiles checks configuration naming files and directories:
// a secret file must hold a value, and the data and archive directories
// must be directories or creatable as ones.
func TestLoadConfigFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	empty, newline, file := write("empty", ""), write("newline", "\n"), write("file", "x")
	t.Run("OK/DataDirToCreate", func(t *testing.T) {
		if _, err := loadConfig(envFrom(map[string]string{"INKORG_DATA_DIR": filepath.Join(dir, "a", "b"), "INKORG_ARCHIVE_DIR": filepath.Join(dir, "c", "d")})); err != nil {
			t.Errorf("got %v, want no error", err)
		}
	})
	bad := []struct {
		name   string
		env    map[string]string
		naming string
	}{
		{"ErrEmptySecretFile", map[string]string{"DATABASE_URL_FILE": empty}, "DATABASE_URL_FILE"},
		{"ErrNewlineSecretFile", map[string]string{"REDIS_URL_FILE": newline}, "REDIS_URL_FILE"},
		{"ErrSecretFileIsDirectory", map[string]string{"META_APP_SECRET_FILE": dir}, "META_APP_SECRET_FILE"},
		{"ErrDataDirIsFile", map[string]string{"INKORG_DATA_DIR": file}, "INKORG_DATA_DIR"},
		{"ErrDataDirUnderFile", map[string]string{"INKORG_DATA_DIR": filepath.Join(file, "data")}, "INKORG_DATA_DIR"},
		{"ErrArchiveDirIsFile", map[string]string{"INKORG_DATA_DIR": dir, "INKORG_ARCHIVE_DIR": file}, "INKORG_ARCHIVE_DIR"},
		{"ErrArchiveDirUnderFile", map[string]string{"INKORG_DATA_DIR": dir, "INKORG_ARCHIVE_DIR": filepath.Join(file, "archive")}, "INKORG_ARCHIVE_DIR"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadConfig(envFrom(tc.env))
			if err == nil {
				t.Fatalf("got no error, want one naming %s", tc.naming)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.naming) || strings.Contains(msg, "\n") {
				t.Errorf("got %q, want one line naming %s", msg, tc.naming)
			}
		})
	}
	t.Run("ErrEmptySecretFilesServe", func(t *testing.T) {
		env := map[string]string{"INKORG_DATA_DIR": t.TempDir(), "INKORG_ADDR": "127.0.0.1:0", "DATABASE_URL_FILE": empty, "REDIS_URL_FILE": empty}
		// Should the configuration be taken, serve stops after a while
		// rather than hang the test.
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		var stdout, stderr strings.Builder
		if got := run(ctx, []string{"serve", "--roles=webhooks"}, envFrom(env), strings.NewReader(""), &stdout, &stderr); got != exitUsage {
			t.Fatalf("got exit status %d, want %d (stdout %q, stderr %q)", got, exitUsage, stdout.String(), stderr.String())
		}
		if msg := strings.TrimSpace(stderr.String()); strings.Contains(msg, "\n") || !strings.Contains(msg, "DATABASE_URL_FILE") {
			t.Errorf("got stderr %q, want one line naming DATABASE_URL_FILE", msg)
		}
	})
}

// TestLoadConfigDatabaseURLPassword checks that a DATABASE_URL the driver
// cannot parse is reported without its password.
func TestLoadConfigDatabaseURLPassword(t *testing.T) {
	_, err := loadConfig(envFrom(map[string]string{"DATABASE_URL": "postgres://inkorg:hunter2@db/inkorg?sslmode=bogus"}))
	if err == nil {
		t.Fatal("got no error, want one naming DATABASE_URL")
	}
	if msg := err.Error(); !strings.Contains(msg, "DATABASE_URL") || !strings.Contains(msg, "sslmode") || strings.Contains(msg, "hunter2") {
		t.Errorf("got %q, want DATABASE_URL and the reason named, without the password", msg)
	}
}

func TestRunExitStatus(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want int
	}{
		{"ErrNoCommand", nil, nil, exitUsage},
		{"OK/Help", []string{"help"}, nil, exitOK},
		{"ErrUnknownCommand", []string{"frobnicate"}, nil, exitUsage},
		{"ErrBadConfig", []string{"migrate"}, map[string]string{"INKORG_LOG_FORMAT": "xml"}, exitUsage},
		{"ErrBadAddr", []string{"serve", "--roles=webhooks"}, map[string]string{"INKORG_ADDR": ":99999"}, exitUsage},
		{"ErrBadDatabaseURLOption", []string{"migrate"}, map[string]string{"DATABASE_URL": "postgres://inkorg@127.0.0.1:1/inkorg?sslmode=bogus"}, exitUsage},
		{"ErrUnknownFlag", []string{"serve", "--nope"}, nil, exitUsage},
		{"ErrUnknownRole", []string{"serve", "--roles=webhooks,cooking"}, nil, exitUsage},
		{"ErrUserAddBadRole", []string{"user", "add", "--name", "x", "--role", "chef"}, nil, exitUsage},
		{"ErrUserAddUnknownAdministration", []string{"user", "add", "--name", "x", "--role", "specialist", "--administration", "narnia"}, nil, exitUsage},
		{"ErrUserAddSpecialistWithoutAdministration", []string{"user", "add", "--name", "x", "--role", "specialist"}, nil, exitUsage},
		{"ErrTokenCreateNoUser", []string{"token", "create"}, nil, exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"INKORG_DATA_DIR": t.TempDir()}
			for k, v := range tc.env {
				env[k] = v
			}
			var stdout, stderr strings.Builder
			got := run(t.Context(), tc.args, envFrom(env), strings.NewReader(""), &stdout, &stderr)
			if got != tc.want {
				t.Errorf("got exit status %d, want %d (stderr %q)", got, tc.want, stderr.String())
			}
			if tc.want == exitUsage && tc.args != nil && strings.Count(strings.TrimSpace(stderr.String()), "\n") != 0 {
				t.Errorf("got stderr %q, want one line", stderr.String())
			}
		})
	}
}

// TestConfigVariables keeps configVariables true: it is exactly what
// loadConfig asks the environment for.
func TestConfigVariables(t *testing.T) {
	asked := map[string]bool{}
	if _, err := loadConfig(func(k string) string { asked[k] = true; return "" }); err != nil {
		t.Fatal(err)
	}
	for _, name := range configVariables {
		if !asked[name] {
			t.Errorf("configVariables lists %s, but loadConfig does not read it", name)
		}
		delete(asked, name)
		if secretVars[name] {
			delete(asked, name+"_FILE")
		}
	}
	for name := range asked {
		t.Errorf("loadConfig reads %s, but configVariables does not list it", name)
	}
}
