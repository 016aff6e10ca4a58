package routing

import "testing"

// TestDetectLanguageWithoutSpecialLetters: Turkish, Finnish and BKS typed
// on a keyboard without their letters (ı ş ğ ç, ä ö, š č ž) are still
// told. These lines were written when the words were added, so they show
// the gap closed rather than measure it.
func TestDetectLanguageWithoutSpecialLetters(t *testing.T) {
	for text, want := range map[string]string{
		"Cocugum okula gitmek istemiyor ne yapmaliyim": "tr",
		"Kira yardimi nasil alirim":                    "tr",
		"Tesekkurler":                                  "tr",
		"Zasto niste odvezli smece":                    "bs",
		"Roskat on hakematta":                          "fi",
		"Lapseni tarvitsee paivakotipaikan":            "fi",
	} {
		if got := DetectLanguage(text); got.Code != want {
			t.Errorf("%q: got %s, want %s", text, got.Code, want)
		}
	}
}
