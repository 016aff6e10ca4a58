package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"inkorg/webhooks"
)

// No container engine runs where the tests run, so these tests check the
// deployment files against the binary: they parse, name only variables,
// roles and paths inkorg has, and the role sets they use start and answer
// their probes.

const deployDir = "../../deploy"

// yamlDocs returns every YAML document of every .yaml file under deploy/,
// keyed by path relative to deploy/.
func yamlDocs(t *testing.T) map[string][]map[string]any {
	t.Helper()
	docs := map[string][]map[string]any{}
	err := filepath.WalkDir(deployDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(path) != ".yaml" && filepath.Ext(path) != ".yml") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(deployDir, path)
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Errorf("%s: %v", rel, err)
				break
			}
			if doc != nil {
				docs[rel] = append(docs[rel], doc)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func TestDeployFilesParse(t *testing.T) {
	docs := yamlDocs(t)
	for _, want := range []string{"compose.yaml", "kubernetes/kustomization.yaml", "kubernetes/deployment-webhooks.yaml"} {
		if len(docs[want]) == 0 {
			t.Errorf("deploy/%s: missing or empty", want)
		}
	}
	err := filepath.WalkDir(deployDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil && !json.Valid(b) {
			t.Errorf("%s: not valid JSON", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	kust := docs["kubernetes/kustomization.yaml"][0]
	for _, r := range kust["resources"].([]any) {
		if _, ok := docs[filepath.Join("kubernetes", r.(string))]; !ok {
			t.Errorf("kustomization.yaml lists %s, which does not parse or exist", r)
		}
	}
}

// knownVariable reports whether inkorg reads name (or name is NAME_FILE of
// a secret it reads).
func knownVariable(name string) bool {
	if base, ok := strings.CutSuffix(name, "_FILE"); ok && secretVars[base] {
		return true
	}
	return slices.Contains(configVariables, name)
}

func TestDeployEnvironment(t *testing.T) {
	docs := yamlDocs(t)
	check := func(where string, names []string) {
		if len(names) == 0 {
			t.Errorf("%s: sets no variables; the test looks in the wrong place", where)
		}
		for _, n := range names {
			if !knownVariable(n) {
				t.Errorf("%s sets %s, which inkorg does not read", where, n)
			}
		}
	}
	compose := docs["compose.yaml"][0]
	for name, svc := range compose["services"].(map[string]any) {
		s := svc.(map[string]any)
		if s["image"] == "inkorg:local" {
			check("compose.yaml service "+name, mapKeys(s["environment"]))
		}
	}
	check("kubernetes/configmap.yaml", mapKeys(docs["kubernetes/configmap.yaml"][0]["data"]))
	check("kubernetes/secret.example.yaml", mapKeys(docs["kubernetes/secret.example.yaml"][0]["stringData"]))

	// .env.example documents inkorg's variables and the passwords the
	// compose file hands to its other services.
	composeText, err := os.ReadFile(filepath.Join(deployDir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	env, err := os.ReadFile(filepath.Join(deployDir, ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(string(env), "\n") {
		name, _, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		documented[name] = true
		if !knownVariable(name) && !strings.Contains(string(composeText), "${"+name) {
			t.Errorf(".env.example sets %s, which neither inkorg nor compose.yaml uses", name)
		}
	}
	for _, name := range configVariables {
		if !documented[name] {
			t.Errorf(".env.example does not document %s", name)
		}
	}

	// What .env sets reaches every inkorg service: through env_file, or
	// set by the compose file itself.
	for name, svc := range compose["services"].(map[string]any) {
		s := svc.(map[string]any)
		if s["image"] != "inkorg:local" {
			continue
		}
		fromFile := slices.Contains(envFiles(s["env_file"]), ".env")
		set := mapKeys(s["environment"])
		for v := range documented {
			if knownVariable(v) && !fromFile && !slices.Contains(set, v) {
				t.Errorf("compose.yaml service %s: %s from .env does not reach it", name, v)
			}
		}
	}
}

// envFiles returns the paths of a compose service's env_file, in any of
// its forms.
func envFiles(v any) []string {
	var paths []string
	switch v := v.(type) {
	case string:
		paths = append(paths, v)
	case []any:
		for _, f := range v {
			if m, ok := f.(map[string]any); ok {
				f = m["path"]
			}
			if p, ok := f.(string); ok {
				paths = append(paths, strings.TrimPrefix(p, "./"))
			}
		}
	}
	return paths
}

func mapKeys(v any) []string {
	m, _ := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

var rolesRE = regexp.MustCompile(`--roles=([a-z,]+)`)

// deployRoles returns every --roles value the deployment files use, and
// every path the Kubernetes probes ask.
func deployRoles(t *testing.T) (roleSets []string, probes []string) {
	t.Helper()
	err := filepath.WalkDir(deployDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		for _, m := range rolesRE.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(roleSets, m[1]) {
				roleSets = append(roleSets, m[1])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, docs := range yamlDocs(t) {
		for _, doc := range docs {
			if doc["kind"] != "Deployment" {
				continue
			}
			for _, c := range dig(doc, "spec", "template", "spec", "containers").([]any) {
				for _, probe := range []string{"readinessProbe", "livenessProbe"} {
					p, _ := dig(c, probe, "httpGet", "path").(string)
					if p != "" && !slices.Contains(probes, p) {
						probes = append(probes, p)
					}
				}
			}
		}
	}
	return roleSets, probes
}

// dig walks nested YAML maps by key; nil when a key is missing.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func TestDeployRolesStart(t *testing.T) {
	roleSets, probes := deployRoles(t)
	if len(roleSets) < 3 || len(probes) < 2 {
		t.Fatalf("got role sets %v and probes %v, want the three roles and two probe paths", roleSets, probes)
	}
	for _, roles := range roleSets {
		t.Run(roles, func(t *testing.T) {
			if _, err := parseRoles(roles); err != nil {
				t.Fatalf("--roles=%s: %v", roles, err)
			}
			env := map[string]string{"INKORG_ADDR": "127.0.0.1:0", "INKORG_DATA_DIR": t.TempDir()}
			in := startServe(t, env, "--roles="+roles)
			for _, p := range probes {
				httpGet(t, in.baseURL+p)
			}
			// The image's health check is `inkorg healthcheck` on the
			// instance's own port.
			_, port, _ := net.SplitHostPort(strings.TrimPrefix(in.baseURL, "http://"))
			env["INKORG_ADDR"] = "127.0.0.1:" + port
			if code, _ := runCmd(t, env, "", "healthcheck"); code != exitOK {
				t.Errorf("healthcheck: got exit %d, want 0", code)
			}
		})
	}
}

var metricRE = regexp.MustCompile(`inkorg_[a-z0-9_]+`)

// TestDashboardMetrics checks that every metric the Grafana dashboard
// plots is one a running inkorg exports.
func TestDashboardMetrics(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(deployDir, "grafana", "inkorg-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"INKORG_ADDR": "127.0.0.1:0", "INKORG_DATA_DIR": t.TempDir(), "META_APP_SECRET": testAppSecret}
	in := startServe(t, env)
	// A message and a delivery this version skips parts of, so that
	// every labelled series has a value.
	for _, name := range []string{"messenger_message_text.json", "fb_feed_two_entries_batch.json"} {
		body := fixture(t, name)
		if code := in.postWebhook(body, webhooks.Sign(testAppSecret, body)); code != 200 {
			t.Fatalf("POST %s: got %d, want 200", name, code)
		}
	}
	names := metricRE.FindAllString(string(b), -1)
	if len(names) == 0 {
		t.Fatal("the dashboard names no inkorg metric")
	}
	// The workers take the deliveries in the background; wait for their
	// series rather than for a fixed time.
	var missing []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		missing = missingMetrics(httpGet(t, in.baseURL+"/metrics"), names)
		if len(missing) == 0 {
			return
		}
	}
	t.Errorf("the dashboard plots %v, which /metrics does not export", missing)
}

// sharedGauges are gauges of shared state (the queue backend, the
// database) that every process exports with the same value: summed over
// instances they count it once per instance.
var sharedGauges = []string{
	"inkorg_queue_length", "inkorg_queue_pending", "inkorg_queue_oldest_age_seconds", "inkorg_queue_dead_letters",
	"inkorg_backlog", "inkorg_oldest_unanswered_seconds",
}

// TestDashboardSharedGauges checks that the dashboard never sums a shared
// gauge over instances.
func TestDashboardSharedGauges(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(deployDir, "grafana", "inkorg-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range sharedGauges {
		if !strings.Contains(string(b), name) {
			t.Errorf("the dashboard does not plot %s; the test looks for the wrong names", name)
		}
		summed := regexp.MustCompile(`\bsum\s*(by\s*\([^)]*\)\s*)?\(\s*` + name + `\b`)
		if m := summed.Find(b); m != nil {
			t.Errorf("the dashboard sums %s over instances (%s...); every instance exports the same value: use max", name, m)
		}
	}
}

// missingMetrics returns the names whose metric family exported lacks.
func missingMetrics(exported string, names []string) []string {
	var missing []string
	for _, name := range names {
		family := name
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			family = strings.TrimSuffix(family, suffix)
		}
		if !strings.Contains(exported, "# TYPE "+family+" ") && !slices.Contains(missing, name) {
			missing = append(missing, name)
		}
	}
	return missing
}
