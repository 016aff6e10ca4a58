// Package moderation flags public comments that may break the city's
// rules for its channels or Swedish law (the BBS law obliges the page
// owner to remove clearly illegal content: threats, hate speech against a
// group, and more): it puts them in the moderation queue for a person to
// decide on. Its word rules are data (data/rules.json); personal data,
// threats and spam signals come from triage's own detectors in routing.
package moderation

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"inkorg/inbox"
	"inkorg/routing"
)

//go:embed data/rules.json
var defaultRules []byte

// Rule flags a comment when one of its phrases starts a word in it and,
// when With is set, one of With appears anywhere in it.
type Rule struct {
	ID       string                   `json:"id"`
	Category inbox.ModerationCategory `json:"category"`
	Phrases  []string                 `json:"phrases"`
	With     []string                 `json:"with,omitempty"`
}

// Classifier finds the moderation categories of a public comment.
type Classifier struct {
	rules []Rule
}

// Default returns the classifier with the bundled rules.
func Default() *Classifier {
	c, err := Parse(defaultRules)
	if err != nil {
		panic(err) // the bundled rules are tested
	}
	return c
}

// Parse reads rules in the format of data/rules.json.
func Parse(data []byte) (*Classifier, error) {
	var doc struct {
		Rules []Rule `json:"rules"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("moderation rules: %w", err)
	}
	for i, r := range doc.Rules {
		if r.ID == "" || !r.Category.Valid() || len(r.Phrases) == 0 {
			return nil, fmt.Errorf("moderation rule %d (%q): needs an id, a known category and phrases", i+1, r.ID)
		}
		for j := range r.Phrases {
			doc.Rules[i].Phrases[j] = strings.ToLower(r.Phrases[j])
		}
	}
	return &Classifier{rules: doc.Rules}, nil
}

// Finding is why a comment is flagged.
type Finding struct {
	Categories []inbox.ModerationCategory
	Rules      []string
}

// Classify returns the categories and rule ids that flag text, sorted,
// or an empty finding. now bounds valid dates of birth in identity numbers.
func (c *Classifier) Classify(text string, now time.Time) Finding {
	var f Finding
	add := func(cat inbox.ModerationCategory, rule string) {
		f.Categories = append(f.Categories, cat)
		f.Rules = append(f.Rules, rule)
	}
	if len(routing.FindSensitive(text, true, now)) > 0 {
		add(inbox.ModerationPersonalData, "triage-personal-data")
	}
	tags, _ := routing.TagsAndPriority(text)
	if slices.Contains(tags, "hot") {
		add(inbox.ModerationThreat, "triage-threat")
	}
	if slices.Contains(tags, "spam") {
		add(inbox.ModerationSpam, "triage-spam")
	}
	lower := " " + strings.ToLower(text)
	for _, r := range c.rules {
		if anyWordStart(lower, r.Phrases) && (len(r.With) == 0 || anyContains(lower, r.With)) {
			add(r.Category, r.ID)
		}
	}
	slices.Sort(f.Categories)
	f.Categories = slices.Compact(f.Categories)
	slices.Sort(f.Rules)
	return f
}

// anyWordStart reports whether one of phrases occurs in text at the start
// of a word. text starts with a space.
func anyWordStart(text string, phrases []string) bool {
	for _, p := range phrases {
		for i := strings.Index(text, p); i >= 0; {
			if r := lastRune(text[:i]); !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return true
			}
			next := strings.Index(text[i+1:], p)
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return false
}

func anyContains(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

func lastRune(s string) rune {
	if s == "" {
		return ' '
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
