package main

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"inkorg/answers"
)

// AnswersConfig is how the answer bank runs in the server.
type AnswersConfig struct {
	// Domains are the sites articles may link to (INKORG_ANSWER_DOMAINS,
	// comma-separated; subdomains are included).
	Domains []string
	// Refresh is how often a running server checks the stored answer bank
	// for changes made elsewhere (INKORG_ANSWER_REFRESH).
	Refresh time.Duration
}

// defaultAnswerRefresh is how soon a server sees a command-line import.
const defaultAnswerRefresh = 10 * time.Second

func parseAnswersConfig(domains, refresh string) (AnswersConfig, error) {
	c := AnswersConfig{Domains: answers.DefaultDomains, Refresh: defaultAnswerRefresh}
	if strings.TrimSpace(domains) != "" {
		c.Domains = splitList(domains)
		// Only commas is a list left empty by mistake, refused as
		// answers import --domains refuses it, not the default taken.
		if len(c.Domains) == 0 {
			return c, configErrorf("INKORG_ANSWER_DOMAINS %q names no domain; give the domains article links may use, such as goteborg.se, or unset it", domains)
		}
		if err := checkDomains(c.Domains); err != nil {
			return c, configErrorf("INKORG_ANSWER_DOMAINS: %v", err)
		}
	}
	if refresh != "" {
		d, err := time.ParseDuration(refresh)
		if err != nil || d < time.Second {
			return c, configErrorf("INKORG_ANSWER_REFRESH: %q must be a duration of at least 1s, such as 10s", refresh)
		}
		c.Refresh = d
	}
	return c, nil
}

// domainLabel is one label of a domain name: letters (å ä ö too, as an
// international name has them), digits and inner hyphens.
var domainLabel = regexp.MustCompile(`^[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?$`)

// checkDomains accepts a list of bare domain names, such as goteborg.se.
// A name covers its subdomains already, so a wildcard (*.se) is refused
// rather than kept as a name no link has.
func checkDomains(domains []string) error {
	for _, d := range domains {
		labels := strings.Split(d, ".")
		ok := len(labels) > 1
		for _, l := range labels {
			ok = ok && domainLabel.MatchString(l)
		}
		if !ok {
			return fmt.Errorf("%q is not a domain name like goteborg.se (which covers its subdomains too)", d)
		}
	}
	return nil
}
