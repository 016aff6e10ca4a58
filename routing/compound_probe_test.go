package routing

import "testing"

// In a Swedish compound the last part, the head, says what kind of thing
// it is, and the first part often says whose it is. Questions whose
// compound has a first part pointing to one administration and a head
// pointing to another must route to the one whose duty it is: by the
// head ("vuxensimning" is swimming, not adult education) or by the first
// part ("skolskjutsbussen" is the schools' transport, not Västtrafik's).
func TestClassifyCompoundParts(t *testing.T) {
	c := NewClassifier(bundled(t))
	tests := []struct {
		name, text, want string
	}{
		{"OK/Head/Vuxensimning", "Var finns vuxensimningens tider?", "idrott-forening"},
		{"OK/Head/VuxensimningIndefinite", "Finns det vuxensimning på kvällarna?", "idrott-forening"},
		{"OK/Head/Seniorsimning", "När är det seniorsimning?", "idrott-forening"},
		{"OK/Head/Barnbibliotek", "Har barnbiblioteket sagostund på lördagar?", "kultur"},
		{"OK/Head/Förskolebygge", "När blir förskolebygget klart?", "stadsfastighet"},
		{"OK/Head/Vuxenpsykiatri", "Hur når jag vuxenpsykiatrin?", "ext-1177"},
		{"OK/Head/Skolhus", "Skolhusets tak läcker in", "stadsfastighet"},
		{"OK/Head/Barnvaccination", "När ska barnvaccinationen göras?", "ext-1177"},
		{"OK/Head/Familjebad", "När har familjebadet öppet?", "idrott-forening"},
		{"OK/Head/FamiljebadIndefinite", "Är det familjebad på söndag?", "idrott-forening"},
		{"OK/Modifier/Förskolemat", "Vem bestämmer förskolematen?", "forskola"},
		{"OK/Modifier/Skolskjutsbuss", "Skolskjutsbussen kom aldrig i morse", "grundskola"},
		{"OK/Modifier/Äldreboendeplats", "Hur lång kö är det till äldreboendeplats?", "aldre"},
		{"OK/Modifier/Fritidshemsavgift", "Hur mycket är fritidshemsavgiften?", "grundskola"},
		{"OK/Modifier/Bygglovshandläggare", "Bygglovshandläggaren svarar inte", "stadsbyggnad"},
		{"OK/Modifier/Skolsköterska", "Hur når jag skolsköterskan?", "grundskola"},
		{"OK/Phrase/ParkeringstillståndHemtjänst", "Hur får man parkeringstillstånd för hemtjänsten?", "stadsmiljo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scores := c.Classify(tt.text)
			if got := scores[0].Administration; got != tt.want {
				t.Errorf("Classify(%q): got %s (%.2f), then %s (%.2f), want %s", tt.text, got, scores[0].Confidence, scores[1].Administration, scores[1].Confidence, tt.want)
			}
		})
	}
}

// Who causes a complaint says more about whose it is than where it
// happens: a refuse truck blocking a street or a driveway is a matter for
// refuse collection, while a parked car or a snow bank blocking the same
// driveway stays with the streets.
func TestClassifyRefuseTruck(t *testing.T) {
	c := NewClassifier(bundled(t))
	tests := []struct {
		name, text, want string
	}{
		{"OK/Truck/Garageinfart", "Sopbilen blockerar garageinfarten", "kretslopp-vatten"},
		{"OK/Truck/Gata", "Sopbilen står och blockerar hela gatan", "kretslopp-vatten"},
		{"OK/Truck/GataMorgon", "Sopbilen blockerar vår gata varje morgon", "kretslopp-vatten"},
		{"OK/Other/Bil", "En bil står parkerad och blockerar min garageinfart", "stadsmiljo"},
		{"OK/Other/Snövall", "Snöplogen har lagt en vall som blockerar garageinfarten", "stadsmiljo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			scores := c.Classify(tt.text)
			if got := scores[0].Administration; got != tt.want {
				t.Errorf("Classify(%q): got %s (%.2f), then %s (%.2f), want %s", tt.text, got, scores[0].Confidence, scores[1].Administration, scores[1].Confidence, tt.want)
			}
		})
	}
}
