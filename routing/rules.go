package routing

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"

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
}

type compiledRule struct {
	rule *inbox.Rule
	// words are the folded words of a words pattern; a word ending in *
	// (kept without it in prefixes) matches every word it starts.
	words, prefixes []string
	phrase          []string
	re              *regexp.Regexp
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
		for _, w := range strings.FieldsFunc(strings.ToLower(r.Pattern), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
			if p, ok := strings.CutSuffix(w, "*"); ok && p != "" {
				c.prefixes = append(c.prefixes, fold(p))
			} else if w != "" {
				c.words = append(c.words, fold(w))
			}
		}
	case inbox.MatchPhrase:
		for _, w := range words(r.Pattern) {
			c.phrase = append(c.phrase, fold(w))
		}
	case inbox.MatchRegex:
		re, err := regexp.Compile("(?i)" + r.Pattern)
		if err != nil {
			return c, err
		}
		c.re = re
	}
	return c, nil
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
		if folded == nil && (c.words != nil || c.prefixes != nil || c.phrase != nil) {
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
		return false
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

// SetRules makes the triager try rules before the classifier from now on.
func (t *Triager) SetRules(rules []*inbox.Rule) error {
	rs, err := CompileRules(rules)
	if err != nil {
		return err
	}
	t.rules.Store(rs)
	return nil
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
func (t *Triager) RefreshRulesEvery(ctx context.Context, store inbox.RuleStore, interval time.Duration, logger *slog.Logger) {
	every(ctx, interval, func() {
		if err := t.RefreshRules(ctx, store); err != nil && ctx.Err() == nil {
			logger.Warn("routing: reading rules failed; the rules in use stay", "error", err)
		}
	})
}

// applyRule makes rule decide r: its administration replaces the
// classifier's choice (which stays among the alternatives when it differs),
// its tags are added and its priority replaces the words' priority.
func (t *Triager) applyRule(rule *inbox.Rule, scores []Score, r *Result) {
	r.Rule = &inbox.RuleRef{ID: rule.ID, Name: rule.Name}
	if rule.Administration != "" {
		r.Administration, r.Confidence, r.NeedsHuman, r.Referral = rule.Administration, 1, false, ""
		rest := slices.DeleteFunc(slices.Clone(scores), func(s Score) bool { return s.Administration == rule.Administration })
		r.Alternatives = alternatives(append([]Score{{}}, rest...))
		if target, ok := t.targets.Get(rule.Administration); ok && target.Kind == KindExternal {
			r.Referral = target.Referral
		}
	}
	if len(rule.Tags) > 0 {
		r.Tags = append(r.Tags, rule.Tags...)
		slices.Sort(r.Tags)
		r.Tags = slices.Compact(r.Tags)
	}
	if rule.Priority != "" {
		r.Priority = rule.Priority
	}
}
