package moderation_test

import (
	"slices"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/moderation"
)

var now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestClassify(t *testing.T) {
	c := moderation.Default()
	tests := []struct {
		name, text string
		want       []inbox.ModerationCategory
	}{
		{"OKQuestion", "Hej! När öppnar Valhallabadet efter renoveringen?", nil},
		{"OKCriticism", "Det är oacceptabelt att soporna inte hämtats på två veckor. Skärpning!", nil},
		{"OKWordInside", "Kommer det en klassiker i Slottsskogen i år?", nil},
		{"Threat", "Jag vet var du bor, akta dig", []inbox.ModerationCategory{inbox.ModerationThreat}},
		{"ThreatTriage", "Jag ska spränga stadshuset", []inbox.ModerationCategory{inbox.ModerationThreat}},
		{"Hate", "Skicka hem alla svartskallar", []inbox.ModerationCategory{inbox.ModerationHate}},
		{"HateWith", "Alla flyktingar är ohyra", []inbox.ModerationCategory{inbox.ModerationHate}},
		{"OthersPersonalData", "Grannen heter Per, hans personnummer är 19811218-9876", []inbox.ModerationCategory{inbox.ModerationPersonalData}},
		{"Phone", "Ring Lisa på 070-123 45 67 hon vet", []inbox.ModerationCategory{inbox.ModerationPersonalData}},
		{"Advertising", "Rabattkod GBG20 på www.example.com, gratis frakt!", []inbox.ModerationCategory{inbox.ModerationAdvertising}},
		{"OKOfferWithoutLink", "Finns det något erbjudande om sommarjobb för unga?", nil},
		{"Spam", "Tjäna pengar snabbt med bitcoin, dm me", []inbox.ModerationCategory{inbox.ModerationSpam}},
		{"Harassment", "Håll käften din jävla idiot", []inbox.ModerationCategory{inbox.ModerationHarassment}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.text, now)
			if !slices.Equal(got.Categories, tt.want) {
				t.Errorf("Classify(%q) = %v (rules %v), want %v", tt.text, got.Categories, got.Rules, tt.want)
			}
			if len(got.Categories) > 0 && len(got.Rules) == 0 {
				t.Error("got categories without the rules that set them")
			}
		})
	}
}

func TestParseErrInvalid(t *testing.T) {
	for _, doc := range []string{`{`, `{"rules":[{"id":"x","category":"rude","phrases":["a"]}]}`, `{"rules":[{"id":"x","category":"spam"}]}`} {
		if _, err := moderation.Parse([]byte(doc)); err == nil {
			t.Errorf("Parse(%s) = nil error, want one", doc)
		}
	}
}
