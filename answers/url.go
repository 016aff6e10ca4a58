package answers

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// defaultPorts are the ports a URL names without changing where it leads.
var defaultPorts = map[string]string{"https": "443", "http": "80"}

// CanonicalURL is the one spelling of a page's URL that the answer bank
// stores and matches, so one page is one article however it was written:
// scheme and host in lower case, the host without a trailing dot and the
// port without the scheme's default, no fragment, no tracking parameters
// (utm_*, fbclid, gclid), and "/" for an empty path. The path is kept as
// written, a trailing slash included: it is the link citizens are sent,
// and whether a site serves a page without its slash cannot be told
// offline. The path keeps its encoding and the other query parameters
// their order and encoding, so a canonical URL comes back unchanged.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Opaque != "" || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("url %q is not a valid URL", raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("url %q must not carry a user name", raw)
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", fmt.Errorf("url %q is not a valid URL", raw)
	}
	switch port := u.Port(); {
	case port != "" && port != defaultPorts[scheme]:
		host = net.JoinHostPort(host, port)
	case strings.Contains(host, ":"): // an IPv6 address
		host = "[" + host + "]"
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	out := scheme + "://" + host + path
	if q := withoutTracking(u.RawQuery); q != "" {
		out += "?" + q
	}
	return out, nil
}

// withoutTracking drops the parameters that say where a visitor came
// from, not which page they asked for, and empty ones; the rest keep
// their order and encoding.
func withoutTracking(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	var kept []string
	for _, p := range strings.Split(rawQuery, "&") {
		if p == "" {
			continue
		}
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		switch key = strings.ToLower(key); {
		case strings.HasPrefix(key, "utm_"), key == "fbclid", key == "gclid":
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "&")
}

// onDomains reports whether host (canonical: lower case, no trailing dot)
// is one of domains or a subdomain of one.
func onDomains(host string, domains []string) bool {
	for _, d := range domains {
		d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
		if d != "" && (host == d || strings.HasSuffix(host, "."+d)) {
			return true
		}
	}
	return false
}
