package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// internalPaths are served by every instance but only for the cluster:
// Prometheus and the probes reach the pods directly.
var internalPaths = []string{"/metrics", "/healthz", "/readyz"}

var routeRE = regexp.MustCompile(`\b(e|api)\.(?:GET|POST|PUT|PATCH|DELETE)\("([^"]+)"`)

// inkorgRoutes returns every path inbox/httpapi/routes.go mounts, with
// parameters filled in.
func inkorgRoutes(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "inbox", "httpapi", "routes.go"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, m := range routeRE.FindAllStringSubmatch(string(b), -1) {
		p := m[2]
		if m[1] == "api" {
			p = "/api/v1" + p
		}
		p = regexp.MustCompile(`:[a-z_]+`).ReplaceAllString(p, "1")
		paths = append(paths, strings.ReplaceAll(p, "*", "app.js"))
	}
	if len(paths) < 20 {
		t.Fatalf("found %d routes in routes.go; the test reads it wrongly", len(paths))
	}
	return paths
}

// ingressPath is one path of an Ingress rule.
type ingressPath struct{ path, pathType, service string }

// ingressBackend returns the service an Ingress sends path to, as
// Kubernetes matches paths (the longest match; Prefix by whole path
// elements), or "" when no path matches.
func ingressBackend(paths []ingressPath, path string) string {
	best, bestLen := "", -1
	for _, p := range paths {
		match := path == p.path
		if p.pathType == "Prefix" {
			prefix := strings.TrimSuffix(p.path, "/")
			match = match || prefix == "" || path == prefix || strings.HasPrefix(path, prefix+"/")
		}
		if match && len(p.path) > bestLen {
			best, bestLen = p.service, len(p.path)
		}
	}
	return best
}

// TestDeployIngressRoutes checks that the Ingress sends Meta's webhooks to
// the receivers and every route of the API and web UI to the API, keeps
// /metrics and the probes inside the cluster, and takes a webhook as
// large as the receiver does.
func TestDeployIngressRoutes(t *testing.T) {
	ing := yamlDocs(t)["kubernetes/ingress.yaml"][0]
	if dig(ing, "spec", "ingressClassName") == nil {
		t.Error("ingress.yaml: no ingressClassName")
	}
	if got := dig(ing, "metadata", "annotations", "nginx.ingress.kubernetes.io/proxy-body-size"); got != "16m" {
		t.Errorf("ingress.yaml: proxy-body-size %v, want 16m: the receiver takes deliveries up to 16 MiB, ingress-nginx 1 MiB by default", got)
	}
	var paths []ingressPath
	for _, rule := range dig(ing, "spec", "rules").([]any) {
		for _, p := range dig(rule, "http", "paths").([]any) {
			svc, _ := dig(p, "backend", "service", "name").(string)
			paths = append(paths, ingressPath{dig(p, "path").(string), dig(p, "pathType").(string), svc})
		}
	}
	for _, route := range inkorgRoutes(t) {
		want := "inkorg-api"
		switch {
		case strings.HasPrefix(route, "/webhooks/"):
			want = "inkorg-webhooks"
		case isInternalPath(route):
			want = ""
		}
		if got := ingressBackend(paths, route); got != want {
			t.Errorf("ingress.yaml sends %s to %q, want %q", route, got, want)
		}
	}
}

func isInternalPath(p string) bool {
	for _, internal := range internalPaths {
		if p == internal {
			return true
		}
	}
	return false
}

// TestDeployCaddyHidesMetrics checks that compose's reverse proxy answers
// /metrics itself instead of passing it to inkorg.
func TestDeployCaddyHidesMetrics(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(deployDir, "Caddyfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`handle /metrics\*? \{\s*respond 404\s*\}`).Match(b) {
		t.Error("Caddyfile: /metrics goes to inkorg; want it answered 404 by the proxy")
	}
}
