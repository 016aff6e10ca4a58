package answers

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// defaultPorts are the ports a URL names without changing where it leads.
var defaultPorts = map[string]string{"https": "443", "http": "80"}

// CanonicalURL is the one spelling of a page's URL that the answer bank
// stores and matches, so one page is one article however it was written:
// scheme and host in lower case, an international host name in its ASCII
// (xn--) form, the host without a trailing dot and the port without the
// scheme's default, no fragment, no tracking parameters (utm_*, fbclid,
// gclid), and "/" for an empty path. A host name must be a DNS name (see
// hostNameProblem) or an IP address. The path is kept as
// written, a trailing slash included: it is the link citizens are sent,
// and whether a site serves a page without its slash cannot be told
// offline. The path keeps its encoding and the other query parameters
// their order and encoding, so a canonical URL comes back unchanged.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Opaque != "" || u.Scheme == "" || u.Host == "" {
		return "", refusal("länken %q är ingen giltig webbadress", "url %q is not a valid URL", raw)
	}
	if u.User != nil {
		return "", refusal("länken %q får inte innehålla något användarnamn", "url %q must not carry a user name", raw)
	}
	scheme := strings.ToLower(u.Scheme)
	host, problem := canonicalHost(u.Hostname())
	if problem != nil {
		return "", led(fmt.Sprintf("länken %q har ett ogiltigt värdnamn: ", raw), fmt.Sprintf("url %q has an invalid host name: ", raw), problem)
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

// canonicalHost is host in lower case, in its ASCII form and without a
// trailing dot, or why it is no host name.
func canonicalHost(host string) (string, *reason) {
	host = strings.ToLower(host)
	if net.ParseIP(host) != nil {
		return host, nil
	}
	if !isASCII(host) {
		ascii, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return "", refusal("det är inget giltigt internationellt domännamn", "not a valid international domain name")
		}
		host = ascii
	}
	host = strings.TrimSuffix(host, ".")
	if problem := hostNameProblem(host); problem != nil {
		return "", problem
	}
	return host, nil
}

// Limits of a DNS name (RFC 1035): the length of one label and of the
// whole name without its trailing dot.
const (
	maxLabel    = 63
	maxHostName = 253
)

// hostNameProblem says why host (lower case, ASCII, no trailing dot)
// cannot be a web site's name, or nil when it can: dot-separated labels of
// letters a-z, digits and hyphens, none empty, none starting or ending
// with a hyphen, an xn-- label a valid international one.
func hostNameProblem(host string) *reason {
	switch {
	case host == "":
		return refusal("det är tomt", "it is empty")
	case len(host) > maxHostName:
		return refusal("det är längre än %d tecken", "it is longer than %d characters", maxHostName)
	}
	for _, label := range strings.Split(host, ".") {
		switch {
		case label == "":
			return refusal("en del mellan punkterna är tom (en punkt först, två i rad eller två sist)",
				"a part between dots is empty (a dot at the start, two in a row or two at the end)")
		case len(label) > maxLabel:
			return refusal("en del mellan punkterna är längre än %d tecken", "a part between dots is longer than %d characters", maxLabel)
		case strings.Trim(label, "abcdefghijklmnopqrstuvwxyz0123456789-") != "":
			return refusal("bara bokstäver a–z, siffror, bindestreck och punkter får användas", "only letters, digits, hyphens and dots may be used")
		case label[0] == '-' || label[len(label)-1] == '-':
			return refusal("delen %q börjar eller slutar med bindestreck", "part %q starts or ends with a hyphen", label)
		case strings.HasPrefix(label, "xn--"):
			if _, err := idna.Lookup.ToUnicode(label); err != nil {
				return refusal("delen %q är inget giltigt internationellt namn", "part %q is not a valid international name", label)
			}
		}
	}
	return nil
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
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

// checkCityLink reports why canon, the canonical form of raw, cannot be
// an answer-bank article's link: that is an https URL on the default port
// whose host is one of domains or a subdomain of one.
func checkCityLink(raw, canon string, domains []string) error {
	u, err := url.Parse(canon)
	switch {
	case err != nil:
		return refusal("länken %q är ingen giltig webbadress", "url %q is not a valid URL", raw)
	case u.Scheme != "https":
		return refusal("länken %q måste börja med https", "url %q must use https", raw)
	case u.Port() != "":
		return refusal("länken %q får inte ange någon annan port än 443", "url %q must not name a port other than 443", raw)
	case !onDomains(u.Hostname(), domains):
		return refusal("länken %q ligger inte på stadens domäner (%s)", "url %q is not on the city's domains (%s)", raw, strings.Join(domains, ", "))
	}
	return nil
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
