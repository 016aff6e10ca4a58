package main

import (
	"fmt"
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

// checkDomains accepts a list of bare domain names, such as goteborg.se.
func checkDomains(domains []string) error {
	for _, d := range domains {
		if strings.ContainsAny(d, "/:@ ") || !strings.Contains(d, ".") {
			return fmt.Errorf("%q is not a domain name like goteborg.se", d)
		}
	}
	return nil
}
