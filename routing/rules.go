package routing

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"inkorg/inbox"
)

// Message is what triage reads of one citizen message.
type Message struct {
	Text    string
	Channel inbox.Channel
	// Account is the external id of the Page or Instagram account the
	// message came to; empty when unknown.
	Account string
}

// RuleSet is the enabled admin-defined rules, ready to match, in the order
// they are tried. The zero RuleSet matches nothing.
type RuleSet struct {
	rules []compiledRule
	// unknown are the rules routing to an administration that is not a
	// target of the triager using the set.
	unknown []*inbox.Rule
}

type compiledRule struct {
	rule *inbox.Rule
	// words are the folded one-word entries of a words pattern; an entry
	// ending in * (kept without it in prefixes) matches every word it
	// starts. runs are the entries of several words (split as the text
	// is: "covid-19" is covid, 19), which match consecutive words.
	words, prefixes []string
	runs            []wordRun
	phrase          []string
	re              *regexp.Regexp
}

// wordRun is a words-pattern entry of several words; prefix marks one
// whose last word ended in *.
type wordRun struct {
	words  []string
	prefix bool
}

// CompileRules returns the enabled rules of rules, sorted by position and
// id, ready to match. A rule that does not validate is an error naming it.
func CompileRules(rules []*inbox.Rule) (*RuleSet, error) {
	sorted := slices.Clone(rules)
	slices.SortStableFunc(sorted, func(a, b *inbox.Rule) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.ID, b.ID))
	})
	rs := &RuleSet{}
	for _, r := range sorted {
		if !r.Enabled {
			continue
		}
		c, err := compileRule(r)
		if err != nil {
			return nil, fmt.Errorf("routing: rule %d %q: %w", r.ID, r.Name, err)
		}
		rs.rules = append(rs.rules, c)
	}
	return rs, nil
}

func compileRule(r *inbox.Rule) (compiledRule, error) {
	c := compiledRule{rule: r}
	switch r.Match {
	case inbox.MatchWords:
		c.compileWords(r.Pattern)
	case inbox.MatchPhrase:
		for _, w := range words(r.Pattern) {
			c.phrase = append(c.phrase, fold(w))
		}
	case inbox.MatchRegex:
		re, err := regexp.Compile(unicodeBoundaries("(?i)" + r.Pattern))
		if err != nil {
			return c, err
		}
		c.re = re
	}
	return c, nil
}

// compileWords splits a words pattern into its entries (separated by
// commas, spaces or new lines) and each entry into words as the text is
// split, so an entry with a hyphen or a dot matches those words in a row.
func (c *compiledRule) compileWords(pattern string) {
	for _, entry := range strings.FieldsFunc(pattern, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		entry, prefix := strings.CutSuffix(entry, "*")
		var ws []string
		for _, w := range words(entry) {
			ws = append(ws, fold(w))
		}
		switch {
		case len(ws) == 0:
		case len(ws) > 1:
			c.runs = append(c.runs, wordRun{words: ws, prefix: prefix})
		case prefix:
			c.prefixes = append(c.prefixes, ws[0])
		default:
			c.words = append(c.words, ws[0])
		}
	}
}

// Len is how many enabled rules the set holds.
func (rs *RuleSet) Len() int { return len(rs.rules) }

// First returns the first rule every condition of which holds for m in
// language lang, or nil.
func (rs *RuleSet) First(m Message, lang string) *inbox.Rule {
	var folded []string
	for i := range rs.rules {
		c := &rs.rules[i]
		if !c.holdsFor(m, lang) {
			continue
		}
		if folded == nil && (c.words != nil || c.prefixes != nil || c.runs != nil || c.phrase != nil) {
			for _, w := range words(m.Text) {
				folded = append(folded, fold(w))
			}
		}
		if c.textMatches(m.Text, folded) {
			return c.rule
		}
	}
	return nil
}

// holdsFor checks the conditions on channel, account and language.
func (c *compiledRule) holdsFor(m Message, lang string) bool {
	r := c.rule
	return (len(r.Channels) == 0 || slices.Contains(r.Channels, m.Channel)) &&
		(len(r.Accounts) == 0 || slices.Contains(r.Accounts, m.Account)) &&
		(len(r.Languages) == 0 || slices.Contains(r.Languages, lang))
}

// textMatches checks the pattern against the text and its folded words.
func (c *compiledRule) textMatches(text string, folded []string) bool {
	switch c.rule.Match {
	case inbox.MatchWords:
		for _, w := range folded {
			if slices.Contains(c.words, w) || slices.ContainsFunc(c.prefixes, func(p string) bool { return strings.HasPrefix(w, p) }) {
				return true
			}
		}
		return slices.ContainsFunc(c.runs, func(run wordRun) bool { return run.in(folded) })
	case inbox.MatchPhrase:
		return containsRun(folded, c.phrase)
	case inbox.MatchRegex:
		return c.re.MatchString(text)
	}
	return true
}

// containsRun reports whether seq holds run as consecutive items.
func containsRun(seq, run []string) bool {
	if len(run) == 0 {
		return false
	}
	for i := 0; i+len(run) <= len(seq); i++ {
		if slices.Equal(seq[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// in reports whether seq holds the run's words in a row, the last one as
// a prefix when the entry ended in *.
func (run wordRun) in(seq []string) bool {
	if !run.prefix {
		return containsRun(seq, run.words)
	}
	n := len(run.words)
	for i := 0; i+n <= len(seq); i++ {
		if slices.Equal(seq[i:i+n-1], run.words[:n-1]) && strings.HasPrefix(seq[i+n-1], run.words[n-1]) {
			return true
		}
	}
	return false
}

// SetRules makes the triager try rules before the classifier from now on.
// A rule routing to an administration that is not among the triager's
// targets (one removed from INKORG_ROUTING_TARGETS) is kept for its tags
// and priority but routes nothing; RulesToUnknownAdministrations names
// such rules.
func (t *Triager) SetRules(rules []*inbox.Rule) error {
	rs, err := CompileRules(rules)
	if err != nil {
		return err
	}
	for _, c := range rs.rules {
		if a := c.rule.Administration; a != "" && !t.knows(a) {
			rs.unknown = append(rs.unknown, c.rule)
		}
	}
	t.rules.Store(rs)
	return nil
}

// RulesToUnknownAdministrations returns the enabled rules in use that
// route to an administration that is not among the triager's targets.
func (t *Triager) RulesToUnknownAdministrations() []*inbox.Rule {
	return slices.Clone(t.rules.Load().unknown)
}

// knows reports whether id is one of the triager's targets.
func (t *Triager) knows(id string) bool {
	_, ok := t.targets.Get(id)
	return ok
}

// RefreshRules reads the rules from the store and uses them from now on.
func (t *Triager) RefreshRules(ctx context.Context, store inbox.RuleStore) error {
	rules, err := store.FindRules(ctx)
	if err != nil {
		return fmt.Errorf("routing: read rules: %w", err)
	}
	return t.SetRules(rules)
}

// RefreshRulesEvery refreshes the rules every interval until ctx ends, so
// a rule changed on any instance applies on all of them without a restart.
// A failed round keeps the rules in use. Call RefreshRules first to start
// with the stored rules.
//
// It warns, at once for the rules in use and then for every changed rule,
// once per rule and administration, about a rule routing to an
// administration that is not among the targets.
func (t *Triager) RefreshRulesEvery(ctx context.Context, store inbox.RuleStore, interval time.Duration, logger *slog.Logger) {
	warned := map[string]bool{}
	t.warnUnknownAdministrations(warned, logger)
	every(ctx, interval, func() {
		if err := t.RefreshRules(ctx, store); err != nil && ctx.Err() == nil {
			logger.Warn("routing: reading rules failed; the rules in use stay", "error", err)
		}
		t.warnUnknownAdministrations(warned, logger)
	})
}

// warnUnknownAdministrations logs each rule in use that routes to an
// unknown administration, unless warned already holds it.
func (t *Triager) warnUnknownAdministrations(warned map[string]bool, logger *slog.Logger) {
	for _, r := range t.RulesToUnknownAdministrations() {
		key := strconv.FormatInt(r.ID, 10) + "/" + r.Administration
		if warned[key] {
			continue
		}
		warned[key] = true
		logger.Warn("routing: rule routes to an administration that is not a routing target; it only adds its tags and priority",
			"rule_id", r.ID, "rule", r.Name, "administration", r.Administration)
	}
}

// applyRule makes rule decide r: its administration replaces the
// classifier's choice (which stays among the alternatives when it differs),
// its tags are added and its priority replaces the words' priority, except
// that an urgent priority (self-harm, a threat, a fire …) stays: a rule
// may raise priority but never take urgency away. An administration that
// is not among the targets is ignored: agents could not route to it, so
// the classifier's choice stands.
func (t *Triager) applyRule(rule *inbox.Rule, scores []Score, r *Result) {
	r.Rule = &inbox.RuleRef{ID: rule.ID, Name: rule.Name}
	if target, ok := t.targets.Get(rule.Administration); ok {
		r.Administration, r.Confidence, r.NeedsHuman, r.Referral = rule.Administration, 1, false, ""
		r.Alternatives = alternativesBut(scores, rule.Administration)
		if target.Kind == KindExternal {
			r.Referral = target.Referral
		}
	}
	if len(rule.Tags) > 0 {
		r.Tags = append(r.Tags, rule.Tags...)
		slices.Sort(r.Tags)
		r.Tags = slices.Compact(r.Tags)
	}
	if rule.Priority != "" && r.Priority != inbox.PriorityUrgent {
		r.Priority = rule.Priority
	}
}
