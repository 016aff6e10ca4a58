package routing

import (
	"context"
	"testing"

	"inkorg/inbox"
)

// TestUnroutedCompanies: a question about one of the city's companies
// that is no routing target goes to the kontaktcenter and needs a person,
// not to the target whose words are nearest (Liseberg's opening hours
// went to the arenas' company, a berth at Grefab to land development);
// a question that names one as a place, or whose rest is clearly a
// target's, keeps its route.
func TestUnroutedCompanies(t *testing.T) {
	tr, err := NewTriager(bundled(t), nil, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	const kc = "demokrati-medborgarservice"
	tests := []struct {
		text, want string
		needsHuman bool
	}{
		{"När öppnar Liseberg i sommar?", kc, true},
		{"Lisebergs julmarknad, när öppnar den?", kc, true},
		{"Hur mycket kostar ett åkband på Liseberg?", kc, true},
		{"Det luktar illa från Gryaab", kc, true},
		{"Jag vill starta företag, kan Business Region Göteborg hjälpa mig?", kc, true},
		{"Hur köper jag biljetter till Stadsteatern?", kc, true},
		{"Jag vill ha en båtplats hos Grefab", kc, true},
		{"Älvstranden Utveckling bygger i Frihamnen", kc, true},
		{"Vilka båtar kommer in i Göteborgs Hamn i dag?", kc, true},
		// The first part of a compound: the company's ride, its job.
		{"När öppnar Lisebergsbanan igen?", kc, true},
		{"Hur söker jag ett Lisebergsjobb?", kc, true},
		// The company acts: the employer, the one who rents out.
		{"Hur söker man jobb på Liseberg i sommar?", kc, true},
		{"Hur får man sommarjobb hos Liseberg?", kc, true},
		{"Can I work at Liseberg this summer?", kc, true},
		{"Jag vill hyra en butikslokal på torget via GöteborgsLokaler", kc, true},
		// A place, not the company.
		{"Jag vill överklaga en parkeringsbot jag fick vid Liseberg", "parkering-goteborg", false},
		{"Soporna har inte hämtats på gatan bakom Liseberg", "kretslopp-vatten", false},
		{"Jag fick en parkeringsbot vid Lisebergsentrén", "parkering-goteborg", false},
		{"Jag fick en parkeringsbot i Lisebergsområdet", "parkering-goteborg", false},
		{"Fjärrvärmen är avstängd vid Ryaverket", "goteborg-energi", false},
		// The rest is clearly a target's.
		{"Spårvagnen till Liseberg var försenad igen", "ext-vasttrafik", false},
		// A company an administration answers for is its alias.
		{"Renova hämtade inte mina sopor", "kretslopp-vatten", false},
	}
	for _, tt := range tests {
		r, err := tr.Triage(context.Background(), tt.text, "")
		if err != nil {
			t.Fatal(err)
		}
		if r.Administration != tt.want || r.NeedsHuman != tt.needsHuman || tt.needsHuman && r.Referral != "" {
			t.Errorf("%q: got %s (%.2f) needs human %v referral %q, want %s needs human %v",
				tt.text, r.Administration, r.Confidence, r.NeedsHuman, r.Referral, tt.want, tt.needsHuman)
		}
		for _, a := range r.Alternatives {
			if a.Administration == r.Administration {
				t.Errorf("%q: the chosen %s is among the alternatives %v", tt.text, a.Administration, r.Alternatives)
			}
		}
	}
}

// TestCompanyPlaceCompounds: a compound of a company's name that names a
// place by it is routed as the question would be without the company.
func TestCompanyPlaceCompounds(t *testing.T) {
	tr, err := NewTriager(bundled(t), nil, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Var kan jag parkera i Lisebergsområdet?", "Gatlampan vid Lisebergsgatan är trasig"} {
		r, err := tr.Triage(context.Background(), text, "")
		if err != nil {
			t.Fatal(err)
		}
		if r.Administration == "demokrati-medborgarservice" {
			t.Errorf("%q: got %s (%.2f), want the place's question routed, not the company's", text, r.Administration, r.Confidence)
		}
	}
}

// TestCompanyCorrections: when people route questions about one of the
// companies to a target, at least twice and mostly to it, such questions
// go there without needing a person; corrections that disagree, a single
// one, or questions that were not about the company teach nothing.
func TestCompanyCorrections(t *testing.T) {
	const kc, arenas = "demokrati-medborgarservice", "goteborg-co"
	question := "Hur mycket kostar årskortet på Liseberg?"
	tests := []struct {
		name        string
		corrections []Example
		want        string
		needsHuman  bool
	}{
		{"OKTwice", []Example{{"När öppnar Liseberg i sommar?", arenas}, {"Lisebergs julmarknad, när öppnar den?", arenas}}, arenas, false},
		{"OKMostly", []Example{{"När öppnar Liseberg i sommar?", arenas}, {"Lisebergs julmarknad, när öppnar den?", arenas},
			{"Hur mycket kostar ett åkband på Liseberg?", "kultur"}}, arenas, false},
		{"ErrOnce", []Example{{"När öppnar Liseberg i sommar?", arenas}}, kc, true},
		{"ErrSplit", []Example{{"När öppnar Liseberg i sommar?", arenas}, {"Lisebergs julmarknad, när öppnar den?", "kultur"}}, kc, true},
		{"ErrPlace", []Example{{"Jag fick en parkeringsbot vid Liseberg", arenas}, {"Soporna har inte hämtats bakom Liseberg", arenas}}, kc, true},
		{"ErrAnotherCompany", []Example{{"Det luktar illa från Gryaab", arenas}, {"Gryaab släpper ut avloppsvatten", arenas}}, kc, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := NewTriager(bundled(t), nil, DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			tr.Retrain(tt.corrections)
			r, err := tr.Triage(context.Background(), question, "")
			if err != nil {
				t.Fatal(err)
			}
			if r.Administration != tt.want || r.NeedsHuman != tt.needsHuman {
				t.Errorf("got %s (%.2f) needs human %v, want %s needs human %v", r.Administration, r.Confidence, r.NeedsHuman, tt.want, tt.needsHuman)
			}
			for _, a := range r.Alternatives {
				if a.Administration == r.Administration {
					t.Errorf("the chosen %s is among the alternatives %v", r.Administration, r.Alternatives)
				}
			}
		})
	}
	// Retraining without the corrections forgets the route.
	tr, err := NewTriager(bundled(t), nil, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	tr.Retrain(tests[0].corrections)
	tr.Retrain(nil)
	if r, _ := tr.Triage(context.Background(), question, ""); r.Administration != kc || !r.NeedsHuman {
		t.Errorf("after the corrections are withdrawn: got %s needs human %v, want %s needs human", r.Administration, r.NeedsHuman, kc)
	}
}

// A rule an admin wrote still decides before the company rule.
func TestUnroutedCompanyRule(t *testing.T) {
	tr, err := NewTriager(bundled(t), nil, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	rule := &inbox.Rule{ID: 1, Name: "Liseberg till evenemang", Enabled: true, Match: inbox.MatchWords, Pattern: "liseberg", Administration: "goteborg-co"}
	if err := tr.SetRules([]*inbox.Rule{rule}); err != nil {
		t.Fatal(err)
	}
	r, err := tr.Triage(context.Background(), "När öppnar Liseberg i sommar?", "")
	if err != nil {
		t.Fatal(err)
	}
	if r.Administration != "goteborg-co" || r.NeedsHuman {
		t.Errorf("got %s needs human %v, want goteborg-co by the rule", r.Administration, r.NeedsHuman)
	}
}
