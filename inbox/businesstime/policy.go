package businesstime

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"os"
	"slices"
	"time"

	"inkorg/inbox"
)

//go:embed default_sla.json
var defaultSLAFile []byte

// DefaultSLAFile returns the bundled SLA configuration, a starting point
// for an operator's own file.
func DefaultSLAFile() []byte { return slices.Clone(defaultSLAFile) }

// SLA is the kontaktcenter's calendar and its SLA policies. A conversation
// gets the first policy that matches it.
type SLA struct {
	Calendar *Calendar
	// AtRisk is the fraction of a target after which a running clock is at
	// risk.
	AtRisk float64
	Rules  []Rule
}

// Rule is one SLA policy and the conversations it applies to. Empty match
// lists match everything.
type Rule struct {
	Name            string
	Channels        []inbox.Channel
	Priorities      []inbox.Priority
	Administrations []string
	Metric          Metric
	Target          time.Duration
}

// Matches reports whether r applies to a conversation.
func (r Rule) Matches(ch inbox.Channel, prio inbox.Priority, admin string) bool {
	return (len(r.Channels) == 0 || slices.Contains(r.Channels, ch)) &&
		(len(r.Priorities) == 0 || slices.Contains(r.Priorities, prio)) &&
		(len(r.Administrations) == 0 || slices.Contains(r.Administrations, admin))
}

// PolicyFor returns the first rule that applies to a conversation.
func (s *SLA) PolicyFor(ch inbox.Channel, prio inbox.Priority, admin string) (Rule, bool) {
	for _, r := range s.Rules {
		if r.Matches(ch, prio, admin) {
			return r, true
		}
	}
	return Rule{}, false
}

// DefaultSLA returns the bundled configuration: DefaultWeek and Swedish
// holidays; first response within 30 minutes for urgent conversations, 2
// business hours for Messenger and Instagram Direct, 4 for comments.
func DefaultSLA() *SLA {
	s, err := ParseSLA(defaultSLAFile)
	if err != nil {
		panic("businesstime: bundled SLA configuration: " + err.Error())
	}
	return s
}

// LoadSLA reads an SLA configuration file; an empty path is the bundled
// default.
func LoadSLA(path string) (*SLA, error) {
	if path == "" {
		return DefaultSLA(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, inbox.WrapError(inbox.EINVALID, err, "SLA configuration: cannot read %s", path)
	}
	s, err := ParseSLA(data)
	if err != nil {
		return nil, inbox.Errorf(inbox.EINVALID, "%s: %s", path, inbox.ErrorMessage(err))
	}
	return s, nil
}

// slaFile is the JSON form of an SLA configuration (see default_sla.json).
type slaFile struct {
	BusinessHours json.RawMessage `json:"business_hours"`
	AtRisk        *float64        `json:"at_risk"`
	Policies      []slaFilePolicy `json:"policies"`
}

// slaFilePolicy is one policy as written.
type slaFilePolicy struct {
	Name           string   `json:"name"`
	Channel        []string `json:"channel"`
	Priority       []string `json:"priority"`
	Administration []string `json:"administration"`
	Metric         string   `json:"metric"`
	Target         string   `json:"target"`
}

// ParseSLA reads a JSON SLA configuration. Unknown fields are an error.
func ParseSLA(data []byte) (*SLA, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f slaFile
	if err := dec.Decode(&f); err != nil {
		return nil, invalidf("SLA configuration: %s", describeJSONError(data, err))
	}
	hours := f.BusinessHours
	if len(hours) == 0 {
		hours = []byte("{}")
	}
	cal, err := Parse(hours)
	if err != nil {
		return nil, err
	}
	s := &SLA{Calendar: cal, AtRisk: 0.75}
	if f.AtRisk != nil {
		s.AtRisk = *f.AtRisk
	}
	if s.AtRisk < 0 || s.AtRisk >= 1 {
		return nil, invalidf("SLA configuration: at_risk must be at least 0 and below 1, such as 0.75")
	}
	for i, p := range f.Policies {
		r, err := p.rule(i)
		if err != nil {
			return nil, err
		}
		s.Rules = append(s.Rules, r)
	}
	return s, nil
}

func (p slaFilePolicy) rule(i int) (Rule, error) {
	r := Rule{Name: p.Name, Metric: Metric(p.Metric), Administrations: p.Administration}
	if r.Name == "" {
		return Rule{}, invalidf("SLA configuration: policies[%d]: name is required", i)
	}
	if r.Metric == "" {
		r.Metric = MetricFirstResponse
	}
	if !r.Metric.Valid() {
		return Rule{}, invalidf("SLA configuration: policies[%d] (%s): metric %q must be %q or %q", i, p.Name, p.Metric, MetricFirstResponse, MetricResolution)
	}
	d, err := time.ParseDuration(p.Target)
	if err != nil || d <= 0 {
		return Rule{}, invalidf("SLA configuration: policies[%d] (%s): target %q must be a positive duration such as \"2h\" or \"30m\"", i, p.Name, p.Target)
	}
	r.Target = d
	for _, c := range p.Channel {
		if !inbox.Channel(c).Valid() {
			return Rule{}, invalidf("SLA configuration: policies[%d] (%s): unknown channel %q; use facebook_comment, messenger, instagram_comment or instagram_direct", i, p.Name, c)
		}
		r.Channels = append(r.Channels, inbox.Channel(c))
	}
	for _, pr := range p.Priority {
		if !inbox.Priority(pr).Valid() {
			return Rule{}, invalidf("SLA configuration: policies[%d] (%s): unknown priority %q; use urgent, normal or low", i, p.Name, pr)
		}
		r.Priorities = append(r.Priorities, inbox.Priority(pr))
	}
	return r, nil
}
