package answers

import (
	"slices"
	"strings"
	"testing"
)

// vocabulary is a small index's document counts by stem.
var vocabulary = map[string]int{
	"sop": 12, "hämtning": 4, "sophämtning": 2,
	"parkering": 9, "tillstånd": 7, "parkeringstillstånd": 3,
	"bygglov": 8, "ansök": 15, "bygg": 6, "lov": 5,
	"kvinn": 4, "jour": 2,
	"gat": 3, "belysning": 2,
	"vårdnad": 6, "överflyttning": 2, "vårdnadsöverflyttning": 3,
	"barn": 40, "bidrag": 10,
	"äldr": 3, "social": 2, "tjänst": 9, "socialtjänst": 30,
}

func df(stem string) int { return vocabulary[stem] }

func TestDecompound(t *testing.T) {
	for _, tc := range []struct {
		name, stem string
		want       []string
	}{
		// The brief's cases, stemmed as the analyzer stems them.
		{"Sophamtningen", Stem("sophämtningen"), []string{"sop", "hämtning"}},
		{"Parkeringstillstandet", Stem("parkeringstillståndet"), []string{"parkering", "tillstånd"}},
		{"Bygglovsansokan", Stem("bygglovsansökan"), []string{"bygglov", "ansök"}},
		// Linking letters dropped: -o-, -u-.
		{"LinkingO", "kvinnojour", []string{"kvinn", "jour"}},
		{"LinkingU", "gatubelysning", []string{"gat", "belysning"}},
		// An unknown compound of known parts.
		{"Unknown", "barnbidrag", []string{"barn", "bidrag"}},
		// Three parts, the head itself a compound.
		{"LongModifier", "bygglovsparkering", []string{"bygglov", "parkering"}},
		{"ThreePartsSplit", "sopparkeringstillstånd", []string{"sop", "parkering", "tillstånd"}},
		// The whole is more common than its parts: kept whole.
		{"CommonWhole", "socialtjänst", nil},
		// "föräldr" is no compound: "för" is a stop word, never indexed,
		// and "fö" too short.
		{"NoKnownParts", "föräldr", nil},
		{"TooShort", "sopkä", nil},
		{"UnknownHead", "sopxyz", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decompound(tc.stem, df); !slices.Equal(got, tc.want) {
				t.Errorf("Decompound(%q): got %v, want %v", tc.stem, got, tc.want)
			}
		})
	}
}

// TestDecompoundLooksUpOnce checks that each stem is looked up at most
// once per word: a search splits every long query word, so lookups cost.
func TestDecompoundLooksUpOnce(t *testing.T) {
	seen := map[string]int{}
	Decompound("sopparkeringstillstånd", func(s string) int {
		seen[s]++
		return vocabulary[s]
	})
	for s, n := range seen {
		if n > 1 {
			t.Errorf("%q looked up %d times", s, n)
		}
	}
	if len(seen) == 0 {
		t.Fatal("no lookups")
	}
}

// TestDecompoundNoWord checks that a run of letters far longer than any
// word (a held key, pasted data in a comment) is not split: the splitter
// looks up every prefix of it, a cost that grows with the square of its
// length and made one search take minutes.
func TestDecompoundNoWord(t *testing.T) {
	long := strings.Repeat("sopa", 5000)
	lookups := 0
	got := Decompound(long, func(s string) int {
		lookups++
		return vocabulary[s]
	})
	if got != nil || lookups != 0 {
		t.Fatalf("Decompound of %d letters: got %v after %d lookups, want nil after none", len([]rune(long)), got, lookups)
	}
	if got := Decompound("sophämtning", df); !slices.Equal(got, []string{"sop", "hämtning"}) {
		t.Errorf("Decompound(sophämtning): got %v, want [sop hämtning]", got)
	}
}
