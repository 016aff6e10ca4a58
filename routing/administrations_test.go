package routing

import (
	"strings"
	"testing"
)

func TestBundledAdministrations(t *testing.T) {
	a, err := BundledAdministrations()
	if err != nil {
		t.Fatalf("BundledAdministrations: %v", err)
	}
	for _, id := range []string{"demokrati-medborgarservice", "kretslopp-vatten", "ext-vasttrafik"} {
		if _, ok := a.Get(id); !ok {
			t.Errorf("bundled administrations lack %q", id)
		}
	}
	if got, ok := a.Get("ext-1177"); !ok || got.Kind != KindExternal || got.Referral == "" {
		t.Errorf("got %+v, want an external target with a referral", got)
	}
	if _, ok := a.Get("no-such-administration"); ok {
		t.Error("got an unknown id, want false")
	}
}

func TestLoadAdministrations(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"ErrNotJSON", `nope`, "administrations:"},
		{"ErrNoTargets", `{"targets":[]}`, "no targets"},
		{"ErrUnknownField", `{"targets":[],"extra":1}`, "unknown field"},
		{"ErrBadID", `{"targets":[{"id":"Bad ID","kind":"bolag","name":"X","topics":["a"]}]}`, "target 1: id"},
		{"ErrNoName", `{"targets":[{"id":"x","kind":"bolag","topics":["a"]}]}`, "name is required"},
		{"ErrKind", `{"targets":[{"id":"x","kind":"club","name":"X","topics":["a"]}]}`, "kind"},
		{"ErrNoTopics", `{"targets":[{"id":"x","kind":"bolag","name":"X"}]}`, "topic"},
		{"ErrExternalNoReferral", `{"targets":[{"id":"x","kind":"external","name":"X","topics":["a"],"referral":"http://x.se"}]}`, "https referral"},
		{"ErrUnroutedTarget", `{"targets":[{"id":"x","kind":"bolag","name":"X","topics":["a"]}],"unrouted_companies":{"route_to":"y","companies":[{"name":"Z"}]}}`, "unrouted_companies: route_to \"y\" is no target id"},
		{"ErrUnroutedNoName", `{"targets":[{"id":"x","kind":"bolag","name":"X","topics":["a"]}],"unrouted_companies":{"route_to":"x","companies":[{"name":" "}]}}`, "unrouted_companies: company 1: name is required"},
		{"ErrUnroutedNoWord", `{"targets":[{"id":"x","kind":"bolag","name":"X","topics":["a"]}],"unrouted_companies":{"route_to":"x","companies":[{"name":"Z","aliases":["&"]}]}}`, "company 1: name \"&\" has no word"},
		{"ErrUnroutedTargetName", `{"targets":[{"id":"x","kind":"bolag","name":"X","topics":["a"],"aliases":["Renova"]}],"unrouted_companies":{"route_to":"x","companies":[{"name":"renova"}]}}`, "company 1: \"renova\" is a name of target x"},
		{"ErrDuplicate", `{"targets":[{"id":"x","kind":"bolag","name":"X","topics":["a"]},{"id":"x","kind":"bolag","name":"Y","topics":["b"]}]}`, "target 2: duplicate id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadAdministrations(strings.NewReader(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		a, err := LoadAdministrations(strings.NewReader(`{"targets":[{"id":"b-2","kind":"bolag","name":"B","topics":["t"]},{"id":"a","kind":"forvaltning","name":"A","topics":["t"]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(a.IDs(), ","); got != "a,b-2" {
			t.Errorf("got ids %s, want a,b-2", got)
		}
	})
}
