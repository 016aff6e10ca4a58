package routing

import (
	"testing"

	"inkorg/inbox"
)

// TestSwedishUrgentPhrasings: the ways Swedish citizens write self-harm,
// threats, violence and emergencies are urgent, and everyday uses of the
// same words (a street number 112, "brinner för", a fire station) are
// not. The phrasings were gathered by trying the triage, so they show
// what was missed rather than measure how much still is.
func TestSwedishUrgentPhrasings(t *testing.T) {
	urgent := map[string]string{
		"Jag vill dö":               "självskada",
		"Jag vill inte längre leva": "självskada",
		"Jag orkar inte mer, jag tänker ta mitt eget liv ikväll":       "självskada",
		"Jag skär mig varje kväll och ingen bryr sig":                  "självskada",
		"Jag har tagit alla mina tabletter":                            "självskada",
		"Jag ska hoppa från Älvsborgsbron ikväll":                      "självskada",
		"Jag kommer döda dig om ni inte ger mig en lägenhet":           "hot",
		"Jag ska slå ihjäl handläggaren":                               "hot",
		"Jag vet var du bor":                                           "hot",
		"Jag vet var handläggaren bor, ni kommer att ångra er":         "hot",
		"Jag skjuter er allihop":                                       "hot",
		"Jag ska tända eld på socialkontoret":                          "hot",
		"Jag bränner ner hela stadshuset":                              "hot",
		"Jag har fått dödshot från grannen":                            "hot",
		"Min man slog mig igår och jag vågar inte gå hem":              "kris",
		"Pappa slår mamma varje helg":                                  "kris",
		"Jag blev våldtagen i parken":                                  "kris",
		"Det luktar gas i hela trappuppgången":                         "nödläge",
		"En man ligger livlös vid busshållplatsen":                     "nödläge",
		"Någon har ramlat i vattnet vid Stenpiren":                     "nödläge",
		"Det är en skottlossning på Hammarkullen":                      "nödläge",
		"Det brinner för fullt i huset bredvid":                        "nödläge",
		"Ring 112, det brinner!":                                       "nödläge",
		"Någon borde larma 112":                                        "nödläge",
		"Det finns en bomb i skolan":                                   "hot",
		"The fire is spreading to the next house":                      "nödläge",
		"Jag ska spränga kommunhuset":                                  "hot",
		"Det brinner i trapphuset":                                     "nödläge",
		"Översvämning i källaren, vattnet stiger":                      "nödläge",
		"Min granne hotar mig med kniv":                                "hot",
		"Jag orkar inte leva längre":                                   "självskada",
		"Inget vatten i hela området sedan i morse":                    "kris",
		"He beats me every night":                                      "kris",
		"Jag bor på Långströmsgatan 112 och har inget vatten sen igår": "kris",
	}
	for text, tag := range urgent {
		tags, p := TagsAndPriority(text)
		if p != inbox.PriorityUrgent || !contains(tags, tag) {
			t.Errorf("%q: got %v %s, want %s and urgent", text, tags, p, tag)
		}
	}
	for _, text := range []string{
		"Jag bor på Långströmsgatan 112, soporna har inte hämtats",
		"Parkeringen kostade 112 kr för två timmar",
		"Buss 112 har slutat gå",
		"Jag brinner verkligen för min stadsdel, hur blir jag volontär?",
		"Det brinner i knutarna, när kommer beslutet om bygglov?",
		"Det slår mig att ni aldrig svarar på mejl",
		"Bomba inte mitt inbox med utskick tack",
		"Får man ha bombmatta på balkongen?",
		"Det var en bombastisk föreställning på Stadsteatern",
		"The fire alarm in my apartment keeps beeping",
		"Where is the nearest fire station?",
		"Finns det översvämningsrisk för vår villa vid ån?",
		"Var hittar jag översvämningskartan för Göteborg?",
		"Finns det en evakueringsplan för skolan?",
		"Jag dör av skratt åt era skyltar",
		"Vi vill skjuta upp mötet",
	} {
		if tags, p := TagsAndPriority(text); p == inbox.PriorityUrgent {
			t.Errorf("%q: got %v %s, want not urgent", text, tags, p)
		}
	}
}

func contains(tags []string, tag string) bool {
	for _, t := range tags {
		if t == tag {
			return true
		}
	}
	return false
}
