// Package routing decides where a citizen's question belongs: which of
// Göteborgs Stad's administrations (förvaltningar) or municipal companies
// answers it, or which body outside the city to refer the citizen to.
//
// Its configuration is data a city edits, not code: the administrations
// and their topics ship in data/administrations.json and an operator can
// replace the file.
package routing

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

//go:embed data/administrations.json
var bundledAdministrations []byte

// Kind is what sort of routing target an administration is.
type Kind string

// Kinds of routing targets.
const (
	KindAdministration Kind = "forvaltning" // a city administration
	KindCompany        Kind = "bolag"       // a municipal company
	KindExternal       Kind = "external"    // a body outside the city
)

// Administration is one routing target.
type Administration struct {
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	Name string `json:"name"`
	// Topics are what the target answers for, in the citizens' words.
	Topics []string `json:"topics"`
	// Aliases are other names citizens use, such as names from before a
	// reorganisation.
	Aliases []string `json:"aliases,omitempty"`
	// Referral is where to send citizens for an external target.
	Referral string `json:"referral,omitempty"`
	// Examples are questions the target answers, written as citizens
	// write them; the classifier learns from them and from Topics.
	Examples []string `json:"examples,omitempty"`
}

// Administrations is the set of routing targets, by id.
type Administrations struct {
	byID map[string]*Administration
	ids  []string
	// unrouted are the city's companies that are no target, and where
	// questions about them go.
	unrouted *Unrouted
}

// Unrouted lists the city's companies that are no routing target
// (Liseberg, Gryaab, Business Region Göteborg …): a question about one of
// them goes to RouteTo, the target that finds who answers (the
// kontaktcenter), and needs a person, instead of to the target whose
// words happen to be nearest. A company an administration answers for
// belongs among that administration's aliases instead (Renova, which
// collects waste for Kretslopp och vatten).
type Unrouted struct {
	About     string            `json:"about,omitempty"`
	RouteTo   string            `json:"route_to"`
	Companies []UnroutedCompany `json:"companies"`
}

// UnroutedCompany is one company that is no routing target: its name and
// the other names citizens use, each matched as whole words.
type UnroutedCompany struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadAdministrations reads a routing target file: a JSON object whose
// "targets" array holds the administrations. Every problem is reported
// with the target's position.
func LoadAdministrations(r io.Reader) (*Administrations, error) {
	var file struct {
		About    string            `json:"about"`
		Targets  []*Administration `json:"targets"`
		Unrouted *Unrouted         `json:"unrouted_companies"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("administrations: %w", err)
	}
	if len(file.Targets) == 0 {
		return nil, fmt.Errorf("administrations: no targets")
	}
	a := &Administrations{byID: make(map[string]*Administration, len(file.Targets))}
	for i, t := range file.Targets {
		if err := t.validate(); err != nil {
			return nil, fmt.Errorf("administrations: target %d: %w", i+1, err)
		}
		if _, dup := a.byID[t.ID]; dup {
			return nil, fmt.Errorf("administrations: target %d: duplicate id %q", i+1, t.ID)
		}
		a.byID[t.ID] = t
		a.ids = append(a.ids, t.ID)
	}
	sort.Strings(a.ids)
	if file.Unrouted != nil {
		if err := file.Unrouted.validate(a); err != nil {
			return nil, fmt.Errorf("administrations: unrouted_companies: %w", err)
		}
		a.unrouted = file.Unrouted
	}
	return a, nil
}

// validate checks that the companies go to a target and each has a name
// that no target has.
func (u *Unrouted) validate(a *Administrations) error {
	if _, ok := a.Get(u.RouteTo); !ok {
		return fmt.Errorf("route_to %q is no target id", u.RouteTo)
	}
	names := make(map[string]string)
	for _, id := range a.ids {
		t := a.byID[id]
		for _, n := range append([]string{t.Name}, t.Aliases...) {
			names[strings.ToLower(n)] = id
		}
	}
	for i, c := range u.Companies {
		if strings.TrimSpace(c.Name) == "" {
			return fmt.Errorf("company %d: name is required", i+1)
		}
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if len(tokenize(n)) == 0 {
				return fmt.Errorf("company %d: name %q has no word", i+1, n)
			}
			if id, ok := names[strings.ToLower(n)]; ok {
				return fmt.Errorf("company %d: %q is a name of target %s", i+1, n, id)
			}
		}
	}
	return nil
}

// BundledAdministrations returns the targets shipped with inkorg.
func BundledAdministrations() (*Administrations, error) {
	return LoadAdministrations(bytes.NewReader(bundledAdministrations))
}

func (t *Administration) validate() error {
	switch {
	case !idPattern.MatchString(t.ID):
		return fmt.Errorf("id %q must be lower-case letters, digits and single hyphens", t.ID)
	case strings.TrimSpace(t.Name) == "":
		return fmt.Errorf("%s: name is required", t.ID)
	case t.Kind != KindAdministration && t.Kind != KindCompany && t.Kind != KindExternal:
		return fmt.Errorf("%s: kind %q must be forvaltning, bolag or external", t.ID, t.Kind)
	case len(t.Topics) == 0:
		return fmt.Errorf("%s: at least one topic is required", t.ID)
	case t.Kind == KindExternal && !isHTTPS(t.Referral):
		return fmt.Errorf("%s: an external target needs an https referral link", t.ID)
	}
	return nil
}

func isHTTPS(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// Get returns the target with the id, or false.
func (a *Administrations) Get(id string) (*Administration, bool) {
	t, ok := a.byID[id]
	return t, ok
}

// IDs returns every target id, sorted.
func (a *Administrations) IDs() []string { return append([]string(nil), a.ids...) }
