package inbox

import (
	"context"
	"errors"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MatchKind says how a routing rule's pattern is matched against a
// message's text.
type MatchKind string

// Match kinds. Text matching ignores case.
const (
	// MatchWords matches when any of the pattern's entries (separated by
	// commas or spaces) is a word of the text; an entry split into
	// several words as the text is ("covid-19") matches them in a row.
	MatchWords MatchKind = "words"
	// MatchPhrase matches when the text holds the phrase, word for word.
	MatchPhrase MatchKind = "phrase"
	// MatchRegex matches when the Go regular expression (RE2) matches.
	MatchRegex MatchKind = "regex"
)

// Rule is an admin-defined routing rule. Enabled rules are tried in
// Position order (then by ID) before the classifier; the first whose every
// condition holds decides the routing. A rule needs at least one
// condition and at least one outcome.
type Rule struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Position int    `json:"position"`
	Enabled  bool   `json:"enabled"`

	// Conditions. Empty ones hold for every message.
	Match     MatchKind `json:"match,omitempty"`
	Pattern   string    `json:"pattern,omitempty"`
	Channels  []Channel `json:"channels,omitempty"`
	Accounts  []string  `json:"accounts,omitempty"`  // account external ids
	Languages []string  `json:"languages,omitempty"` // language codes: sv, en, ar …

	// Outcomes. Empty ones leave the classifier's.
	Administration string   `json:"administration,omitempty"`
	Tags           []string `json:"tags,omitempty"`
	Priority       Priority `json:"priority,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// RuleRef names the rule that decided a triage.
type RuleRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Limits on rules.
const (
	MaxRuleNameLength = 100
	MaxRulePattern    = 2000
	MaxRuleItems      = 50
	// MinRulePosition and MaxRulePosition bound a rule's position, which
	// the database stores as a 32-bit integer.
	MinRulePosition = math.MinInt32
	MaxRulePosition = math.MaxInt32
)

var languageCode = regexp.MustCompile(`^[a-z]{2,3}$`)

// Normalize trims r's texts, lower-cases its tags and languages and sorts
// its lists, so equal rules are stored alike.
func (r *Rule) Normalize() {
	r.Name = strings.TrimSpace(r.Name)
	r.Pattern = strings.TrimSpace(r.Pattern)
	r.Administration = strings.TrimSpace(r.Administration)
	if r.Pattern == "" {
		r.Match = ""
	}
	for i, t := range r.Tags {
		r.Tags[i] = NormalizeTag(t)
	}
	for i, l := range r.Languages {
		r.Languages[i] = strings.ToLower(strings.TrimSpace(l))
	}
	for i, a := range r.Accounts {
		r.Accounts[i] = strings.TrimSpace(a)
	}
	r.Tags = sortedSet(r.Tags)
	r.Languages = sortedSet(r.Languages)
	r.Accounts = sortedSet(r.Accounts)
	r.Channels = sortedSet(r.Channels)
}

func sortedSet[T ~string](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// Validate reports the first reason r cannot be stored, as EINVALID.
// Call Normalize first.
func (r *Rule) Validate() error {
	switch {
	case r.Name == "":
		return ruleError(EINVALID, "En regel måste ha ett namn.", "A rule needs a name.")
	case utf8.RuneCountInString(r.Name) > MaxRuleNameLength:
		return ruleError(EINVALID, "En regels namn får vara högst %d tecken.", "A rule name is at most %d characters.", MaxRuleNameLength)
	case r.Position < MinRulePosition || r.Position > MaxRulePosition:
		return ruleError(EINVALID, "En regels plats är ett heltal från %d till %d.", "A rule position is a whole number from %d to %d.",
			MinRulePosition, MaxRulePosition)
	case len(r.Pattern) > MaxRulePattern:
		return ruleError(EINVALID, "En regels mönster får vara högst %d byte.", "A rule pattern is at most %d bytes.", MaxRulePattern)
	case r.Pattern == "" && len(r.Channels) == 0 && len(r.Accounts) == 0 && len(r.Languages) == 0:
		return ruleError(EINVALID, "En regel måste ha ett villkor: ett mönster, kanaler, konton eller språk.",
			"A rule needs a condition: a pattern, channels, accounts or languages.")
	case r.Administration == "" && len(r.Tags) == 0 && r.Priority == "":
		return ruleError(EINVALID, "En regel måste ha ett utfall: en förvaltning, taggar eller en prioritet.",
			"A rule needs an outcome: an administration, tags or a priority.")
	case r.Priority != "" && !r.Priority.Valid():
		return ruleError(EINVALID, "Okänd prioritet %q; använd urgent, normal eller low.", "Unknown priority %q; use urgent, normal or low.", r.Priority)
	}
	if err := r.validatePattern(); err != nil {
		return err
	}
	return r.validateLists()
}

func (r *Rule) validatePattern() error {
	switch r.Match {
	case "":
		if r.Pattern != "" {
			return ruleError(EINVALID, "Ange hur mönstret matchar: words, phrase eller regex.", "Say how the pattern matches: words, phrase or regex.")
		}
	case MatchWords, MatchPhrase:
		// Routing looks for words: runs of letters and digits. A pattern
		// of punctuation only would be saved and never match.
		if r.Pattern != "" && strings.IndexFunc(r.Pattern, func(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }) < 0 {
			return ruleError(EINVALID, "Mönstret har inget ord att leta efter (bokstäver eller siffror).",
				"The pattern has no word to look for (letters or digits).")
		}
	case MatchRegex:
		if err := CheckRegex(r.Pattern); err != nil {
			return err
		}
	default:
		return ruleError(EINVALID, "Okänd matchning %q; använd words, phrase eller regex.",
			"Unknown match %q; use words, phrase or regex.", r.Match)
	}
	return nil
}

// regexProblems says in Swedish what regexp/syntax finds wrong in a
// pattern; its own messages are English.
var regexProblems = map[syntax.ErrorCode]string{
	syntax.ErrMissingParen:          "en ( saknar sin )",
	syntax.ErrUnexpectedParen:       "en ) saknar sin (",
	syntax.ErrMissingBracket:        "en [ saknar sin ]",
	syntax.ErrInvalidCharRange:      "ett teckenintervall är ogiltigt",
	syntax.ErrInvalidCharClass:      "en teckenklass är ogiltig",
	syntax.ErrInvalidEscape:         "en \\-sekvens är ogiltig",
	syntax.ErrTrailingBackslash:     "det slutar med \\",
	syntax.ErrMissingRepeatArgument: "*, + eller ? har inget att upprepa",
	syntax.ErrInvalidRepeatOp:       "en upprepning är ogiltig",
	syntax.ErrInvalidRepeatSize:     "ett antal {n,m} är ogiltigt eller för stort",
	syntax.ErrInvalidPerlOp:         "en (?-grupp är ogiltig",
	syntax.ErrInvalidNamedCapture:   "ett gruppnamn är ogiltigt",
	syntax.ErrInvalidUTF8:           "texten är inte giltig UTF-8",
	syntax.ErrNestingDepth:          "uttrycket är för djupt nästlat",
	syntax.ErrLarge:                 "uttrycket är för stort",
}

// CheckRegex returns nil when pattern is a regular expression routing can
// use, else an EINVALID error saying what is wrong with it in Swedish and
// English. The part of the pattern at fault is left out: it may hold
// " / ", which separates the two languages.
func CheckRegex(pattern string) error {
	_, err := regexp.Compile(pattern)
	if err == nil {
		return nil
	}
	var se *syntax.Error
	if !errors.As(err, &se) {
		return ruleError(EINVALID, "Mönstret är inget giltigt reguljärt uttryck.",
			"The pattern is not a valid regular expression.")
	}
	sv, ok := regexProblems[se.Code]
	if !ok {
		sv = string(se.Code)
	}
	return Errorf(EINVALID, "%s / %s", "Mönstret är inget giltigt reguljärt uttryck: "+sv+".",
		"The pattern is not a valid regular expression: "+string(se.Code)+".")
}

func (r *Rule) validateLists() error {
	for _, n := range []int{len(r.Channels), len(r.Accounts), len(r.Languages), len(r.Tags)} {
		if n > MaxRuleItems {
			return ruleError(EINVALID, "En regel får ha högst %d kanaler, konton, språk och taggar av varje slag.",
				"A rule lists at most %d channels, accounts, languages and tags each.", MaxRuleItems)
		}
	}
	for _, c := range r.Channels {
		if !c.Valid() {
			return ruleError(EINVALID, "Okänd kanal %q.", "Unknown channel %q.", c)
		}
	}
	for _, l := range r.Languages {
		if !languageCode.MatchString(l) {
			return ruleError(EINVALID, "Språket %q är ingen språkkod som sv eller en.", "Language %q is not a language code such as sv or en.", l)
		}
	}
	if _, err := normalizeTags(r.Tags); err != nil {
		return err
	}
	for _, a := range r.Accounts {
		if a == "" {
			return ruleError(EINVALID, "Ett kontos id är tomt.", "An account id is empty.")
		}
	}
	return nil
}

// Audit actions on rules.
const (
	ActionRuleCreate = "rule_create"
	ActionRuleUpdate = "rule_update"
	ActionRuleDelete = "rule_delete"
)

// RuleChange is the detail of a rule's audit entry: the rule before and
// after (nil when created or deleted).
type RuleChange struct {
	RuleID int64 `json:"rule_id"`
	Before *Rule `json:"before"`
	After  *Rule `json:"after"`
}

// RuleStore keeps the routing rules. Every change is stored together with
// its audit entry (action, actor, and a RuleChange as detail), in one
// transaction.
type RuleStore interface {
	// FindRules returns every rule in the order they are tried.
	FindRules(ctx context.Context) ([]*Rule, error)
	// FindRule returns the rule, or ENOTFOUND.
	FindRule(ctx context.Context, id int64) (*Rule, error)
	// CreateRule stores r and sets its ID and times.
	CreateRule(ctx context.Context, actorID int64, r *Rule) error
	// UpdateRule replaces rule r.ID and sets r's times; an unknown rule is
	// ENOTFOUND.
	UpdateRule(ctx context.Context, actorID int64, r *Rule) error
	// MoveRule has rule id trade places with its neighbour, the one
	// before it (down false) or after it, and stores the positions that
	// MoveRules says change, each with its audit entry, in one
	// transaction: nothing else of any rule changes. An unknown rule is
	// ENOTFOUND.
	MoveRule(ctx context.Context, actorID int64, id int64, down bool) error
	// DeleteRule removes the rule; an unknown rule is ENOTFOUND.
	DeleteRule(ctx context.Context, actorID int64, id int64) error
	// FindRuleAudit returns the audit entries of a rule, oldest first.
	FindRuleAudit(ctx context.Context, id int64) ([]*AuditEntry, error)
}

// RulePositionStep is the step between the positions MoveRules gives.
const RulePositionStep = 10

// MoveRules returns the rules of list, which is in the order they are
// tried, whose position changes when rule id trades places with its
// neighbour (the one before it, or after it when down) and the rules are
// numbered again in steps of RulePositionStep: copies with their new
// position. Moving the first rule up or the last down changes no places;
// an id not in list is ENOTFOUND.
func MoveRules(list []*Rule, id int64, down bool) ([]*Rule, error) {
	i := slices.IndexFunc(list, func(r *Rule) bool { return r.ID == id })
	if i < 0 {
		return nil, ruleError(ENOTFOUND, "Regeln finns inte.", "Rule not found.")
	}
	j := i - 1
	if down {
		j = i + 1
	}
	if j < 0 || j >= len(list) {
		return nil, nil
	}
	order := slices.Clone(list)
	order[i], order[j] = order[j], order[i]
	var changed []*Rule
	for k, r := range order {
		if want := (k + 1) * RulePositionStep; r.Position != want {
			moved := *r
			moved.Position = want
			changed = append(changed, &moved)
		}
	}
	return changed, nil
}
