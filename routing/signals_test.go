package routing

import (
	"slices"
	"testing"

	"inkorg/inbox"
)

func TestTagsAndPriority(t *testing.T) {
	tests := []struct {
		name, text string
		wantTags   []string
		want       inbox.Priority
	}{
		{"OK/SelfHarm", "Jag orkar inte leva längre", []string{"självskada"}, inbox.PriorityUrgent},
		{"OK/Threat", "Jag ska spränga kommunhuset", []string{"hot"}, inbox.PriorityUrgent},
		{"OK/Emergency", "Det brinner i trapphuset, ring 112!", []string{"nödläge"}, inbox.PriorityUrgent},
		{"OK/Crisis", "Inget vatten i hela området sedan i morse", []string{"kris"}, inbox.PriorityUrgent},
		{"OK/Praise", "Stort tack för hjälpen, bra jobbat!", []string{"beröm"}, inbox.PriorityLow},
		{"OK/PraiseForAFix", "Tack för att ni lagade gatlyktorna så snabbt! 👏", []string{"beröm"}, inbox.PriorityLow},
		{"OK/PraiseWithQuestion", "Tusen tack! När öppnar badet?", []string{"beröm"}, inbox.PriorityNormal},
		{"OK/Spam", "Tjäna pengar snabbt med bitcoin, klicka här", []string{"spam"}, inbox.PriorityLow},
		{"OK/Complaint", "Jag vill klaga på snöröjningen", []string{"klagomål"}, inbox.PriorityNormal},
		{"OK/Plain", "När töms soptunnan?", []string{}, inbox.PriorityNormal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tags, p := TagsAndPriority(tt.text)
			if !slices.Equal(tags, tt.wantTags) || p != tt.want {
				t.Errorf("got %v %s, want %v %s", tags, p, tt.wantTags, tt.want)
			}
		})
	}
}
