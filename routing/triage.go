package routing

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"inkorg/inbox"
)

// Result is the triage of one message.
type Result = inbox.Triage

// Suggestion is a goteborg.se link suggested as an answer.
type Suggestion = inbox.LinkSuggestion

// Suggester finds goteborg.se pages that answer a question, best first.
// administrationID narrows the search to one target's pages; empty means
// all. The answer bank implements it.
type Suggester interface {
	Suggest(ctx context.Context, text, administrationID string, k int) ([]Suggestion, error)
}

// Config tunes triage. The zero value is not useful; start from
// DefaultConfig.
type Config struct {
	// NeedsHumanBelow is the confidence under which a person must choose
	// the administration.
	NeedsHumanBelow float64
	// FilterSuggestionsAbove is the confidence at or above which link
	// suggestions are narrowed to the chosen administration's pages.
	FilterSuggestionsAbove float64
	// Suggestions is how many links to suggest.
	Suggestions int
	// PrivateReply is the text offered for a private reply when a public
	// comment holds a personal identity number.
	PrivateReply string
	// CardPrivateReply is the text offered instead when the comment holds
	// a payment card number and no personal identity number.
	CardPrivateReply string
	// Now is the clock used to stamp results and validate dates of birth.
	Now func() time.Time
}

// DefaultPrivateReply is offered to the agent when a public comment holds
// a personal identity number.
const DefaultPrivateReply = "Hej! Vi har dolt din kommentar eftersom den innehöll ett personnummer, " +
	"för att skydda dina uppgifter. Vi hjälper dig gärna här i ett privat meddelande. " +
	"Skriv inte ditt personnummer i kommentarer eller meddelanden."

// DefaultCardPrivateReply is offered to the agent when a public comment
// holds a payment card number.
const DefaultCardPrivateReply = "Hej! Vi har dolt din kommentar eftersom den innehöll ett kortnummer, " +
	"för att skydda dina uppgifter. Vi hjälper dig gärna här i ett privat meddelande. " +
	"Skriv aldrig ditt kortnummer i kommentarer eller meddelanden, och kontakta din bank om du tror att någon kan ha använt det."

// DefaultConfig returns the settings inkorg ships with.
func DefaultConfig() Config {
	return Config{
		NeedsHumanBelow:        0.5,
		FilterSuggestionsAbove: 0.7,
		Suggestions:            3,
		PrivateReply:           DefaultPrivateReply,
		CardPrivateReply:       DefaultCardPrivateReply,
		Now:                    time.Now,
	}
}

// Triager triages citizen messages. It is safe for concurrent use.
type Triager struct {
	targets    *Administrations
	classifier atomic.Pointer[Classifier]
	// base is the classifier trained on the configuration alone, which
	// tells the corrections about a company from the rest.
	base *Classifier
	// companyRoutes are where corrections route questions about the
	// unrouted companies, learned with the classifier.
	companyRoutes atomic.Pointer[map[string]companyRoute]
	rules         atomic.Pointer[RuleSet]
	topics        topicIndex
	companies     *companyMatcher
	suggester     Suggester
	cfg           Config
}

// NewTriager returns a Triager routing to targets. suggester may be nil:
// results then have no suggestions.
func NewTriager(targets *Administrations, suggester Suggester, cfg Config) (*Triager, error) {
	if cfg.NeedsHumanBelow < 0 || cfg.NeedsHumanBelow > 1 {
		return nil, fmt.Errorf("routing: needs-human threshold %v must be between 0 and 1", cfg.NeedsHumanBelow)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	t := &Triager{targets: targets, topics: newTopicIndex(targets), companies: newCompanyMatcher(targets),
		suggester: suggester, cfg: cfg}
	t.base = NewClassifier(targets)
	t.classifier.Store(t.base)
	t.companyRoutes.Store(&map[string]companyRoute{})
	t.rules.Store(&RuleSet{})
	return t, nil
}

// HasSuggester reports whether link suggestions are configured.
func (t *Triager) HasSuggester() bool { return t.suggester != nil }

// Classifier returns the triager's current classifier.
func (t *Triager) Classifier() *Classifier { return t.classifier.Load() }

// Triage examines one message. channel is the inbox channel it came on;
// empty when unknown, which counts as private.
func (t *Triager) Triage(ctx context.Context, text string, channel inbox.Channel) (*Result, error) {
	return t.TriageMessage(ctx, Message{Text: text, Channel: channel})
}

// TriageMessage examines one message. The first admin-defined rule that
// matches it decides before the classifier (see SetRules); the result
// then names the rule.
func (t *Triager) TriageMessage(ctx context.Context, m Message) (*Result, error) {
	r := t.TriageWithoutSuggestions(m)
	if err := t.Suggest(ctx, m.Text, r); err != nil {
		return nil, err
	}
	return r, nil
}

// TriageWithoutSuggestions examines one message as TriageMessage does but
// does not look for answer-bank links, which costs more than the rest of
// triage together: the result says SuggestionsPending when a suggester is
// configured, and Suggest fills them in later.
func (t *Triager) TriageWithoutSuggestions(m Message) *Result {
	text := m.Text
	// A message of hashtags only is no question for any target and in no
	// language, as one of links only is; its hashtags still give it tags
	// and priority, and rules still see it.
	question := text
	if onlyHashtags(text) {
		question = ""
	}
	scores, companies := t.classify(question)
	best := scores[0]
	lang := DetectLanguage(question)
	public := m.Channel.Public()
	r := &Result{
		Administration:     best.Administration,
		Confidence:         round3(best.Confidence),
		Alternatives:       alternatives(scores),
		Language:           lang.Code,
		LanguageConfidence: round3(lang.Confidence),
		NeedsHuman:         best.Confidence < t.cfg.NeedsHumanBelow,
		Sensitive:          FindSensitive(text, public, t.cfg.Now()),
		Suggestions:        []Suggestion{},
		TriagedAt:          t.cfg.Now().UTC(),
	}
	// A referral sends the citizen elsewhere: only a confident route may.
	if target, ok := t.targets.Get(best.Administration); ok && target.Kind == KindExternal && !r.NeedsHuman {
		r.Referral = target.Referral
	}
	if companies != nil {
		t.routeCompany(scores, companies, r)
	}
	r.Tags, r.Priority = TagsAndPriority(text)
	if rule := t.rules.Load().First(m, lang.Code); rule != nil {
		t.applyRule(rule, scores, r)
	}
	if !r.NeedsHuman {
		r.Tags = append(r.Tags, t.topics.topics(r.Administration, text)...)
	}
	// A card number in a public comment is hidden like a personal
	// identity number: anyone reading it can use it.
	switch {
	case !public:
	case r.HasSensitive(inbox.SensitivePersonalIdentityNumber, inbox.SensitiveCoordinationNumber):
		r.HideRecommended, r.PrivateReply = true, t.cfg.PrivateReply
	case r.HasSensitive(inbox.SensitivePaymentCard):
		r.HideRecommended, r.PrivateReply = true, t.cfg.CardPrivateReply
	}
	r.SuggestionsPending = t.HasSuggester() && t.cfg.Suggestions > 0
	return r
}

// withoutIdentifiers returns text with the identity and coordination
// numbers, payment card and phone numbers, e-mail and home addresses
// among spans blanked out.
func withoutIdentifiers(text string, spans []inbox.SensitiveSpan) string {
	var runes []rune
	for _, s := range spans {
		switch s.Kind {
		case inbox.SensitivePersonalIdentityNumber, inbox.SensitiveCoordinationNumber,
			inbox.SensitivePaymentCard, inbox.SensitivePhone, inbox.SensitiveEmail, inbox.SensitiveAddress:
			if runes == nil {
				runes = []rune(text)
			}
			for i := s.Start; i < s.End && i < len(runes); i++ {
				runes[i] = ' '
			}
		}
	}
	if runes == nil {
		return text
	}
	return string(runes)
}

// Suggest fills r's link suggestions for the message text it triaged
// from the suggester, narrowed to the chosen administration when triage is
// confident of it, and clears SuggestionsPending. The answer bank may be a
// separate search service: it gets the question without the citizen's
// identifiers (r.Sensitive), which only add noise.
func (t *Triager) Suggest(ctx context.Context, text string, r *Result) error {
	if t.suggester == nil || t.cfg.Suggestions <= 0 {
		r.SuggestionsPending = false
		return nil
	}
	text = withoutIdentifiers(text, r.Sensitive)
	admin := ""
	if r.Confidence >= t.cfg.FilterSuggestionsAbove {
		admin = r.Administration
	}
	sugs, err := t.suggester.Suggest(ctx, text, admin, t.cfg.Suggestions)
	if err != nil {
		return fmt.Errorf("routing: suggest links: %w", err)
	}
	if len(sugs) == 0 && admin != "" {
		// The chosen administration has no page on this; any page is
		// better than none.
		if sugs, err = t.suggester.Suggest(ctx, text, "", t.cfg.Suggestions); err != nil {
			return fmt.Errorf("routing: suggest links: %w", err)
		}
	}
	if sugs != nil {
		r.Suggestions = sugs
	}
	r.SuggestionsPending = false
	return nil
}

// alternatives returns the next two targets after the best.
func alternatives(scores []Score) []inbox.Alternative {
	alts := make([]inbox.Alternative, 0, 2)
	for _, s := range scores[1:min(3, len(scores))] {
		alts = append(alts, inbox.Alternative{Administration: s.Administration, Confidence: round3(s.Confidence)})
	}
	return alts
}

// alternativesBut returns the best two targets other than id.
func alternativesBut(scores []Score, id string) []inbox.Alternative {
	rest := slices.DeleteFunc(slices.Clone(scores), func(s Score) bool { return s.Administration == id })
	return alternatives(append([]Score{{}}, rest...))
}

// round3 keeps three decimals: more is noise to an agent and to a diff.
func round3(f float64) float64 {
	return float64(int64(f*1000+0.5)) / 1000
}
