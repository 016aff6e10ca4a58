package routing

import "testing"

// TestSwedishIdiomsNotUrgent: blasting at a building site, a landlord who
// threatens to end a lease, the city that threatens to close a preschool,
// a park threatened by a building site, drowning in paperwork, a crisis on
// the housing market and getting ready for a crisis hold an urgent word
// but are ordinary city matters; the threats against people, drownings
// and crises written with the same words next to them stay urgent.
func TestSwedishIdiomsNotUrgent(t *testing.T) {
	checkUrgent(t, []urgentCase{
		{"När ska ni sluta spränga vid bygget på Hisingen? Det skakar hela huset varje morgon.", false},
		{"Hur länge ska de spränga i berget bakom skolan?", false},
		{"Får man spränga på söndagar? Bygget bredvid håller på hela helgen.", false},
		{"Sprängarbetena vid Västlänken väcker oss klockan sju", false},
		{"Berget ska sprängas bort för nya bostäder, när börjar det?", false},
		{"Kostnaden för badhuset kommer att spränga budgeten", false},
		{"Jag ska spränga skolan", true},
		{"Om ni inte svarar kommer jag att spränga kommunhuset", true},
		{"Det ligger en bomb vid bygget på Hisingen", true},
		{"Jag ska spränga bort hela socialkontoret", true},
		{"Jag ska spränga byggnaden vid Järntorget", true},

		{"Hyresvärden hotar att säga upp mitt kontrakt, vad gäller?", false},
		{"Arbetsgivaren hotade med uppsägning när jag blev sjuk", false},
		{"Hyresvärden hotar med vräkning om vi inte betalar i tid", false},
		{"Finns det hotade arter i Delsjöområdet?", false},
		{"Han hotar mig", true},
		{"Grannen hotar att döda min hund och mig", true},
		{"Hyresvärden hotar mig och säger att han ska säga upp mitt kontrakt", true},
		{"Han hotar med kniv i trapphuset", true},

		{"Kommunen hotar att stänga förskolan", false},
		{"Staden hotar att lägga ner biblioteket i Kortedala", false},
		{"Politikerna hotar nu att stänga ner fritidsgården", false},
		{"Parken hotas av bygget", false},
		{"Skolan hotas av nedläggning", false},
		{"Parken hotas nu av det nya bygget", false},
		{"Biblioteket hotas av kommunens besparingar", false},
		{"Förskolan är hotad av personalbrist", false},
		{"Hotet om nedläggning oroar alla föräldrar", false},
		{"Han hotar att slå mig", true},
		{"Jag blir hotad av grannen", true},
		{"Någon hotar att skada sig själv", true},
		{"Han hotar att stänga in mig i källaren", true},
		{"Förskolan hotas av en pappa som vill hämta sitt barn", true},
		{"Personalen på skolan hotas av en elev", true},
		{"Min dotter hotades av ett gäng efter skolan", true},
		{"Jag hotas av att bli slagen om jag går hem", true},
		{"Kommunen hotar att stänga förskolan och pappa hotar att döda oss", true},

		{"Jag drunknar i papper från Försäkringskassan, kan någon hjälpa mig?", false},
		{"Vi drunknar i jobb, när kommer svaret?", false},
		{"Handläggarna drunknar i arbete, men jag har väntat i tre månader", false},
		{"Jag drunknar i mejl från förskolan om samma sak", false},
		{"Någon drunknar i älven!", true},
		{"Ett barn håller på att drunkna i poolen på badhuset", true},

		{"Det är kris i ekonomin, får vi mindre bidrag nu?", false},
		{"Krisen på bostadsmarknaden gör att vi inte hittar någon lägenhet", false},
		{"Det är kris med parkeringen vid Järntorget", false},
		{"Jag är i kris och vet inte vad jag ska göra", true},
		{"Akut kris, jag behöver prata med någon nu", true},
		{"Det är kris i min ekonomi, vi har ingen mat till barnen", true},
		{"Vi har kris i familjen och min dotter har inte kommit hem", true},
		{"Hur förbereder jag mig för en kris?", false},
		{"Var finns information om krisberedskap?", false},
		{"Vad ska man ha hemma vid en kris?", false},
		{"Vad gör kommunen vid kris eller krig?", false},
		{"Hur länge ska vi klara oss själva i händelse av en kris?", false},
		{"Jag är i kris och vill inte leva", true},
		{"Jag är i en kris och vet inte vart jag ska vända mig", true},
		{"Min son är i kris efter att hans pappa dog", true},
		{"Jag behöver hjälp för en kris i familjen", true},
		{"Jag vill prata om en kris jag går igenom", true},
		{"Hur förbereder vi oss för kris och krig?", false},
		{"Hur blir man beredd på en kris?", false},
		{"Hur förbereder jag mig för en kris? Jag är redan i kris och vill inte leva", true},
	})
}
