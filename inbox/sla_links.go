package inbox

import (
	"regexp"
	"strings"
)

// urlPattern finds links in reply texts.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"')\]]+`)

// AnswerLinkMatcher returns a function that reports whether a reply text
// links one of the answer bank's pages. Links are compared without scheme,
// "www.", query, fragment, trailing slash and trailing punctuation, and
// case-insensitively in the host.
func AnswerLinkMatcher(urls []string) func(text string) bool {
	known := make(map[string]bool, len(urls))
	for _, u := range urls {
		if k := normalizeLink(u); k != "" {
			known[k] = true
		}
	}
	return func(text string) bool {
		if len(known) == 0 || !strings.Contains(text, "http") {
			return false
		}
		for _, u := range urlPattern.FindAllString(text, -1) {
			if known[normalizeLink(u)] {
				return true
			}
		}
		return false
	}
}

// normalizeLink returns the comparable form of a link.
func normalizeLink(u string) string {
	u = strings.TrimSpace(u)
	u = strings.TrimRight(u, ".,;:!?")
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	host, path, _ := strings.Cut(u, "/")
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	path = strings.TrimRight(path, "/")
	if host == "" {
		return ""
	}
	return host + "/" + path
}
