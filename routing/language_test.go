package routing

import "testing"

func TestDetectLanguage(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"OK/Swedish", "Hej! När kommer sopbilen och hämtar våra sopor?", "sv"},
		{"OK/English", "Hello, when will the garbage be collected on my street?", "en"},
		{"OK/Arabic", "مرحبا، متى يتم جمع القمامة في الحي الذي أسكن فيه؟", "ar"},
		{"OK/Persian", "سلام، چطور می توانم برای فرزندم در پیش دبستانی جا بگیرم؟", "fa"},
		{"OK/Somali", "Waxaan rabaa inaan ka diwaangeliyo ilmahayga iskuul, sidee baan u sameeyaa?", "so"},
		{"OK/Finnish", "Hei, missä voin hakea lapselleni päiväkotipaikkaa kaupungissa?", "fi"},
		{"OK/Tigrinya", "ሰላም፡ ንውላደይ ኣብ ቤት ትምህርቲ ከመይ ገይረ ክምዝግብ ይኽእል?", "ti"},
		{"OK/Polish", "Dzień dobry, gdzie mogę zapisać dziecko do szkoły? Dziękuję", "pl"},
		{"OK/Bosnian", "Dobar dan, kako mogu upisati dijete u školu? Hvala", "bs"},
		{"OK/SerbianCyrillic", "Добар дан, како могу да упишем дете у школу? Хвала, љубазно", "bs"},
		{"OK/Turkish", "Merhaba, çocuğumu okula nasıl kaydedebilirim? Teşekkürler", "tr"},
		{"OK/Spanish", "Hola, ¿cómo puedo inscribir a mi hijo en la escuela? Gracias", "es"},
		{"OK/Ukrainian", "Добрий день, як я можу записати дитину до школи? Дякую", "uk"},
		{"ErrNoLetters", "123 !!! ?", Undetermined},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DetectLanguage(tt.text)
			if got.Code != tt.want {
				t.Fatalf("got %s (%.2f), want %s", got.Code, got.Confidence, tt.want)
			}
			if tt.want != Undetermined && (got.Confidence <= 0.5 || got.Confidence > 1) {
				t.Errorf("confidence: got %.2f, want in (0.5, 1]", got.Confidence)
			}
		})
	}
}

// Short greetings carry little evidence: the language must still be right,
// with ties going to the language most citizens write.
func TestDetectLanguageShort(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Hej", "sv"},
		{"Tack!", "sv"},
		{"Kiitos paljon", "fi"},
		{"Mahadsanid", "so"},
		{"Goormee la furayaa maktabadda?", "so"},
		{"Hei, når åpner biblioteket?", "no"},
		{"Hvala puno", "bs"},
	}
	for _, tt := range tests {
		if got := DetectLanguage(tt.text); got.Code != tt.want {
			t.Errorf("%q: got %s, want %s", tt.text, got.Code, tt.want)
		}
	}
}

// Swedish with the preposition "i", which English, Polish and BKS also
// write, is Swedish.
func TestDetectLanguageSwedishWithI(t *testing.T) {
	for _, text := range []string{
		"Vi har inget vatten i kranen sedan i morse i Biskopsgården",
		"Taket läcker i skolan", "Hål i vägen vid Järntorget", "Stor skada i gatan", "Vi bor i Majorna i en lägenhet",
	} {
		if got := DetectLanguage(text); got.Code != "sv" {
			t.Errorf("%q: got %s %.2f, want sv", text, got.Code, got.Confidence)
		}
	}
}

// Links say nothing about the language of a text.
func TestDetectLanguageLinks(t *testing.T) {
	tests := []struct{ text, want string }{
		{"https://www.gp.se/nyheter/goteborg/artikel-123", Undetermined},
		{"https://www.vasttrafik.se/reseplanering/", Undetermined},
		{"Hello, when will the garbage be collected? https://goteborg.se/wps/portal/start", "en"},
	}
	for _, tt := range tests {
		if got := DetectLanguage(tt.text); got.Code != tt.want {
			t.Errorf("%q: got %s, want %s", tt.text, got.Code, tt.want)
		}
	}
}

// Vietnamese writes đ, as BKS does, but also letters no other language
// here writes (ơ, ư, ă and the vowels with tone marks below or hooks
// above): it is Vietnamese, and BKS with its đ stays BKS.
func TestDetectLanguageVietnamese(t *testing.T) {
	tests := []languageCase{
		{"Xin chào, tôi cần giúp đỡ về thuế nhà", "vi"},
		{"Tôi muốn hỏi về việc đăng ký nhà trẻ cho con tôi", "vi"},
		{"Thùng rác ở đường nhà tôi đã đầy hai tuần rồi", "vi"},
		{"Làm sao để đăng ký học tiếng Thụy Điển?", "vi"},
		{"Cảm ơn", "vi"},
		{"Đi đâu để đổi thẻ thư viện?", "vi"},
		{"Dobar dan, đak je bolestan, kako da mu pomognem?", "bs"},
		{"Hvala, riješeno je, đe si", "bs"},
	}
	checkLanguages(t, tests)
}

// languageCase is a text and the language it is written in.
type languageCase struct{ text, want string }

// checkLanguages checks that DetectLanguage tells each text's language.
func checkLanguages(t *testing.T, tests []languageCase) {
	t.Helper()
	for _, tt := range tests {
		if got := DetectLanguage(tt.text); got.Code != tt.want {
			t.Errorf("%q: got %s %.2f, want %s", tt.text, got.Code, got.Confidence, tt.want)
		}
	}
}
