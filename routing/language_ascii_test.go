package routing

import "testing"

// TestDetectLanguageWithoutSpecialLetters: Turkish, Finnish and BKS typed
// on a keyboard without their letters (ı ş ğ ç, ä ö, š č ž), and Persian
// in Latin letters, are still told. These lines were written when the words were added, so they show
// the gap closed rather than measure it.
func TestDetectLanguageWithoutSpecialLetters(t *testing.T) {
	for text, want := range map[string]string{
		"Cocugum okula gitmek istemiyor ne yapmaliyim": "tr",
		"Kira yardimi nasil alirim":                    "tr",
		"Tesekkurler":                                  "tr",
		"Zasto niste odvezli smece":                    "bs",
		"Roskat on hakematta":                          "fi",
		"Lapseni tarvitsee paivakotipaikan":            "fi",
		// Persian in Latin letters, whose kh read as Somali's.
		"Salam, man mikham baraye bacham mahd koodak sabt nam konam": "fa",
		"salam mn mikhastam bedonam key zobale ro mibaran":           "fa",
		"Lotfan komak konid, khoonam ab gerefte":                     "fa",
	} {
		if got := DetectLanguage(text); got.Code != want {
			t.Errorf("%q: got %s, want %s", text, got.Code, want)
		}
	}
}
