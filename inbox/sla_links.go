package inbox

import (
	"regexp"
	"strings"
)

// LinkQuotes are the quotation marks that end a link in a reply text: the
// double quote and the typographic quotes that cannot stand unencoded in a
// URL (Swedish ”…”, »…«, ’…’, and “…”, „…“, «…», ‚…‘). The answer bank's
// link finder (answers.LinksIn) ends links at the same ones, so a reply
// counts as linking an article in the SLA metrics and in its statistics
// alike.
const LinkQuotes = `"“”„«»‘’‚`

// urlPattern finds links in reply texts; a link ends at white space
// (no-break space included), <, >, an apostrophe, a closing bracket or
// one of LinkQuotes.
var urlPattern = regexp.MustCompile(`(?i)https?://[^\s\p{Z}<>')\]` + LinkQuotes + `]+`)

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
