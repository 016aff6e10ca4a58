package answers

import "testing"

// TestStemInflections checks that the inflections Snowball alone leaves
// apart stem alike: genitives of definite forms and the doubled m.
func TestStemInflections(t *testing.T) {
	for _, tc := range []struct {
		name  string
		words []string
	}{
		{"DefiniteNeuterGenitive", []string{"barn", "barnet", "barnets", "barnen", "barnens"}},
		{"DefiniteNeuterGenitive2", []string{"beslut", "beslutet", "beslutets", "besluten"}},
		{"DefiniteAGenitive", []string{"kvinna", "kvinnan", "kvinnans", "kvinnor", "kvinnorna"}},
		{"AnGenitive", []string{"ansökan", "ansökans", "ansöka"}},
		{"DoubledM", []string{"familjehem", "familjehemmet", "familjehemmen", "familjehemmets"}},
		{"DoubledMProgram", []string{"program", "programmet", "programmen"}},
		{"Compound", []string{"parkeringstillstånd", "parkeringstillståndet", "parkeringstillståndets"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := Stem(tc.words[0])
			for _, w := range tc.words[1:] {
				if got := Stem(w); got != want {
					t.Errorf("Stem(%q) = %q, Stem(%q) = %q: want the same", w, got, tc.words[0], want)
				}
			}
		})
	}
}

// TestStemKeepsApart checks that the extra trimming does not join words
// that differ: a vowel before -et is no definite ending ("kvalitet"), and a
// word of five letters is left alone ("paket").
func TestStemKeepsApart(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"kvalitet", "kval"},
		{"paket", "pak"},
	} {
		if Stem(tc.a) == Stem(tc.b) {
			t.Errorf("Stem(%q) = Stem(%q) = %q: want them apart", tc.a, tc.b, Stem(tc.a))
		}
	}
}
