package routing

import (
	"strings"
	"unicode"
)

// Language is a detected language: an ISO 639-1 code and the detector's
// confidence. Bosnian, Croatian and Serbian are one language for routing
// and share the code "bs"; Kurmanji (Latin script) and Sorani (Arabic
// script) share the code "ku". Code "und" means undetermined.
type Language struct {
	Code       string  `json:"code"`
	Confidence float64 `json:"confidence"`
}

// Undetermined is the code for text whose language could not be told.
const Undetermined = "und"

// latinWords are frequent words of the languages written in Latin script.
// Words shared by several languages count for each.
var latinWords = map[string]map[string]bool{
	"sv": toSet(`och att det som är på för med har inte jag vi ni du kan hur när var vad varför
		vill ska får min mitt mina en ett till från om den detta hej tack snälla vem inga ingen
		också eller men så barn skola vår våra kommer finns behöver måste blir hos efter mycket
		i av vid sedan inget något här där nu bara hemma igen`),
	"en": toSet(`the and is are to of in for my our you your it this that with have has how what when
		where why who can could would please thanks hello hi not do does there from will be was
		i we they need help get any on at a an one some about us thank yes ok`),
	"fi": toSet(`ja on ei se että kun mutta minä sinä hän me te he mitä missä miten kuinka milloin
		voi voin voiko onko ole olen kiitos hei tämä tuo minun meidän teidän saada pitää
		lapsi koulu kaupunki asunto apua haluan haluaisin tarvitsen mikä mika mitä mita missä missa
		mistä mista mihin miksi kuka paljonko tänään tanaan nyt myös myos auki kiinni
		saa lapseni roskat roskis taynna täynnä paivakoti päiväkoti`),
	"so": toSet(`waa iyo ka ku la ah aan in u ee waxaan maxaa sidee goorma xaggee halkee haddii
		mahadsanid fadlan waxa ayaa kale ma caawimaad hooyo aabe carruurta iskuul guriga
		rabaa doonayaa baan yahay tahay jiraa sida`),
	"pl": toSet(`i w na nie jest się że do to jak co czy mam moje mój ale dla z ze po jestem
		dziękuję dzień dobry proszę gdzie kiedy dlaczego można mieszkanie dziecko szkoła pomoc`),
	"bs": toSet(`i je u na da se ne za od sa su što šta kako gdje gde kada zašto imam moj moja
		hvala molim dobar dan pomoć dijete škola stan ja mi vi trebam može li
		zasto sta pomoc niste nije smo moze`),
	"tr": toSet(`ve bir bu için ile da de mi mı ne nasıl nerede neden ben biz siz var yok çok
		teşekkürler merhaba lütfen çocuk okul ev yardım istiyorum nedir değil olarak
		nasil icin cok tesekkurler tesekkur lutfen cocuk cocugum yardim yardimi degil iki istemiyor
		yapmaliyim alirim`),
	"es": toSet(`el la los las de que y en un una por para con no es mi mis su cómo como dónde
		cuándo qué por qué hola gracias necesito ayuda niño escuela casa está estoy tengo a hay`),
	"de": toSet(`der die das und ist nicht ich wir sie ein eine mit für auf wie wo wann warum
		danke bitte hallo haben habe kann können mein meine kind schule`),
	"da": toSet(`og er jeg det ikke til på med hvordan hvornår hvor hvad hvorfor tak
		kan har min mit mine barn skole ønsker gerne`),
	"no": toSet(`og er jeg det ikke til på med hvordan når hvor hva hvorfor takk hei
		kan har min mitt mine barn skole ønsker gjøre meg deg noen åpner`),
	// Persian typed in Latin letters ("Finglish"), as Iranians often
	// write on phones and social media; its kh ("mikham") is not Somali.
	// Only words no other language here writes: not "man", "ba", "ro".
	"fa": toSet(`mikham mikhastam mikhaam mikhastim mikhay mikhai mikhad baraye bedonam bedunam chetori
		lotfan mamnoon mamnun khoone khune khoonam khunam khaneh bacham bachehaye bachehayam mishe
		mitoonam mitunam mitoonim hastam nistam dashtam kojast chera komak shoma kardam konam konid
		konim begiram zobale ashghal sabt mahd koodak kudak midoonam midunam nemidoonam nemidunam`),
	// Vietnamese: its frequent words, most with the tone marks that no
	// other language here writes (see vietnameseLetter), and a few as
	// typed without them.
	"vi": toSet(`tôi của và là có không được cho với một những các này để trong người
		xin chào cảm ơn giúp đỡ muốn hỏi về làm sao thế nào ở đâu khi bao giờ nhà trường học
		cần bạn chúng gì tại vì đã sẽ đang rồi nhé ạ vui lòng con em anh chị
		toi khong duoc muon giup`),
	// Finnish, Turkish and BKS above hold some words as typed without
	// their special letters (täynnä → taynna, nasıl → nasil, zašto →
	// zasto), as phones without the language's keyboard send them.
	// Kurmanji, with and without its special letters.
	"ku": toSet(`ez tu ew em hûn hun ji li di bi û u jî ku çawa cawa kengê kenge çi ci çima cima
		çiqas ciqas heye hene nîne nine tune ye min te me we xwe vê wê dixwazim dixwazin dikarim
		dikarin bikim silav spas gelek zarok zarokê zarokên dibistan dibistanê xanî xani mal
		malê alîkarî alikari alîkariyê kurdî kurdi`),
}

// preference breaks ties between languages: the languages the city's
// citizens write most come first.
var preference = map[string]int{
	"sv": 0, "en": 1, "ar": 2, "fa": 3, "so": 4, "fi": 5, "ti": 6, "bs": 7, "pl": 8, "tr": 9,
	"es": 10, "uk": 11, "ru": 12, "de": 13, "no": 14, "da": 15, "ku": 16, "vi": 17,
}

// latinLetters are letters that point to one language.
var latinLetters = map[rune]string{
	'å': "sv", 'ą': "pl", 'ę': "pl", 'ł': "pl", 'ś': "pl", 'ź': "pl", 'ż': "pl", 'ń': "pl",
	'č': "bs", 'ć': "bs", 'đ': "bs", 'š': "bs", 'ž': "bs",
	'ı': "tr", 'ğ': "tr", 'ş': "tr", 'ñ': "es", '¿': "es", '¡': "es",
	'ß': "de", 'æ': "da", 'ø': "da", 'ê': "ku", 'î': "ku", 'û': "ku",
}

// sharedLetters are letters frequent in a few languages only: ä and ö in
// Swedish and Finnish set those two apart from English, Polish and BKS,
// which share short words such as "i" with Swedish; ç is Turkish and
// Kurmanji.
var sharedLetters = map[rune][]string{'ä': {"sv", "fi"}, 'ö': {"sv", "fi"}, 'ç': {"tr", "ku"}}

// DetectLanguage tells which language text is written in. Scripts decide
// first (Arabic script, Ge'ez, Cyrillic), then letters within a script
// (Sorani, Persian and Arabic) and frequent words and telltale letters
// among the Latin-script languages. Links are set aside; a text of links
// only is undetermined.
func DetectLanguage(text string) Language {
	text = withoutURLs(text)
	counts := scriptCounts(text)
	switch {
	case counts.letters == 0:
		return Language{Undetermined, 0}
	case counts.arabic*2 > counts.letters:
		return arabicScript(text)
	case counts.ethiopic*2 > counts.letters:
		// Tigrinya is the Ge'ez-script language Göteborg's citizens write.
		return Language{"ti", 0.9}
	case counts.cyrillic*2 > counts.letters:
		return cyrillic(text)
	}
	return latin(text)
}

type scripts struct{ letters, arabic, ethiopic, cyrillic int }

func scriptCounts(text string) scripts {
	var s scripts
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		s.letters++
		switch {
		case unicode.Is(unicode.Arabic, r):
			s.arabic++
		case unicode.Is(unicode.Ethiopic, r):
			s.ethiopic++
		case unicode.Is(unicode.Cyrillic, r):
			s.cyrillic++
		}
	}
	return s
}

// arabicScript tells Sorani, Persian and Arabic apart. Sorani writes
// letters neither of the others does (ڕ ڵ ۆ ێ ە ھ); it shares پ چ ژ گ and
// the Persian kāf and yeh with Persian, so each of its own letters counts
// double. Persian is told from Arabic by those shared letters and the
// ones only Arabic uses (ة ي ك ى).
func arabicScript(text string) Language {
	var ku, fa, ar int
	for _, r := range text {
		switch r {
		case 'ڕ', 'ڵ', 'ۆ', 'ێ', 'ە', 'ھ':
			ku += 2
		case 'پ', 'چ', 'ژ', 'گ', 'ک', 'ی':
			fa++
		case 'ة', 'ي', 'ك', 'ى', 'إ', 'أ':
			ar++
		}
	}
	// Sorani typed on an Arabic or Persian keyboard has none of its own
	// letters: ە becomes ه, often with a space after it ("هه یه" for
	// "هەیە"). Its frequent words written that way, with none of Persian's
	// or Arabic's, tell it.
	var kuWords, faWords, arWords int
	for _, w := range words(text) {
		switch w {
		case "است", "می", "را", "برای", "این", "چطور", "کجا":
			fa += 2
			faWords++
		case "از", "در", "هست", "باید", "دارم", "داشتم", "اینکه", "میشه", "میخوام", "میخواهم", "هستم",
			"نیست", "چیه", "رو", "شده", "کردم", "کنم", "شما", "ما", "آیا":
			// Persian's, not Sorani's, but weighed only against it.
			faWords++
		case "في", "على", "هل", "كيف", "إلى", "الى", "لا":
			ar += 2
			arWords++
		case "عن", "ماذا", "متى", "أين", "اين", "يمكن":
			// Not من: "from" in Arabic, but "I" in Sorani and Persian.
			arWords++
		case "له", "هه", "وه", "ئه", "یه", "ده", "بو", "کراوه", "براوه", "کردووه", "نییه", "چییه", "ئیمه", "ئیوه",
			"روژ", "روژی", "کاتژمیر", "مندال", "منداله":
			kuWords++
		default:
			// Sorani's long û is a double waw, which Persian and Arabic
			// words seldom end in: خانوو (house), the perfect's -ووه
			// (وتووه, هاتووه).
			if strings.HasSuffix(w, "وو") || strings.HasSuffix(w, "ووه") {
				kuWords++
			}
		}
	}
	if ku == 0 && kuWords >= 2 && faWords == 0 && arWords == 0 {
		return Language{"ku", margin(kuWords, 1)}
	}
	switch {
	case ku > 0 && ku >= fa && ku >= ar:
		return Language{"ku", margin(ku, max(fa, ar))}
	case fa > ar:
		return Language{"fa", margin(fa, ar)}
	case ar > fa:
		return Language{"ar", margin(ar, fa)}
	}
	return Language{"ar", 0.5}
}

// cyrillic tells Ukrainian (і ї є ґ), Serbian (ђ ј љ њ ћ џ) and Russian
// (ы э ё ъ) apart by their own letters and a few frequent words.
func cyrillic(text string) Language {
	var uk, sr, ru int
	lower := strings.ToLower(text)
	for _, r := range lower {
		switch r {
		case 'і', 'ї', 'є', 'ґ':
			uk++
		case 'ђ', 'ј', 'љ', 'њ', 'ћ', 'џ':
			sr++
		case 'ы', 'э', 'ё', 'ъ':
			ru++
		}
	}
	for _, w := range words(lower) {
		switch w {
		case "як", "дякую", "що", "це", "мені", "будь", "добрий":
			uk++
		case "како", "хвала", "шта", "добар":
			sr++
		case "как", "спасибо", "что", "это", "мне", "здравствуйте", "пожалуйста":
			ru++
		}
	}
	if uk+sr+ru == 0 {
		return Language{"ru", 0.5}
	}
	scores := map[string]float64{"uk": float64(uk), "bs": float64(sr), "ru": float64(ru)}
	best, second := top2(scores)
	return Language{best, margin(scores[best], scores[second])}
}

// latin scores each Latin-script language by its frequent words and
// telltale letters and picks the best.
func latin(text string) Language {
	scores := make(map[string]float64)
	ws := words(text)
	for _, w := range ws {
		for code, set := range latinWords {
			if set[w] {
				scores[code]++
			}
		}
		scoreFinnishSomali(w, scores)
	}
	for _, r := range strings.ToLower(text) {
		if code, ok := latinLetters[r]; ok {
			scores[code] += 0.5
		}
		if vietnameseLetter(r) {
			scores["vi"] += 0.5
		}
	}
	for _, r := range strings.ToLower(text) {
		for _, code := range sharedLetters[r] {
			scores[code] += 0.25
		}
	}
	best, second := top2(scores)
	if scores[best] == 0 {
		return Language{Undetermined, 0}
	}
	conf := margin(scores[best], scores[second]) * min(1, scores[best]/2)
	return Language{best, conf}
}

// vietnameseLetter reports whether r is a lower-case letter only
// Vietnamese writes: ă, ơ, ư, and the vowels with a tone mark below or a
// hook above, or with both a circumflex or breve and a tone mark (ạ ả ấ
// ầ … ỹ). Its đ is BKS's too, and counts for both: without these
// Vietnamese was taken for BKS by its đ.
func vietnameseLetter(r rune) bool {
	return r == 'ă' || r == 'ơ' || r == 'ư' || r == 'đ' || r >= '\u1ea0' && r <= '\u1ef9' && r%2 == 1
}

// scoreFinnishSomali adds the word shapes that set Finnish and Somali apart
// from the other Latin-script languages: Finnish case endings and front
// vowels, and Somali's letters x, dh and kh in words without ä, ö or y.
// Both write doubled vowels (aa, uu, ii); a word with one is Finnish when
// it also has what Somali spelling never writes (p, v, ts, kk, tt, or two
// different vowels side by side: "auttaa", "tietaa", "vapaa") and none of
// Somali's own letters (c, q, x, dh, kh, sh), and Somali otherwise.
func scoreFinnishSomali(w string, scores map[string]float64) {
	if !strings.ContainsAny(w, "äöyå") {
		if strings.Contains(w, "aa") || strings.Contains(w, "uu") || strings.Contains(w, "ii") {
			if finnishShape(w) && !somaliShape(w) {
				scores["fi"] += 0.25
			} else {
				scores["so"] += 0.25
			}
		}
		if strings.Contains(w, "x") || strings.Contains(w, "dh") || strings.Contains(w, "kh") {
			scores["so"] += 0.25
		}
	}
	for _, suf := range []string{"ssa", "ssä", "sta", "stä", "lla", "llä", "lle", "ksi", "iin"} {
		if len(w) > 5 && strings.HasSuffix(w, suf) {
			scores["fi"] += 0.5
			break
		}
	}
	if strings.Contains(w, "ä") && strings.ContainsAny(w, "y") {
		scores["fi"] += 0.5
	}
}

// finnishShape reports whether w has letters or letter pairs Finnish
// writes and Somali does not: p, v, ts, kk, tt, pp, or two different
// vowels side by side.
func finnishShape(w string) bool {
	if strings.ContainsAny(w, "pv") || strings.Contains(w, "ts") || strings.Contains(w, "kk") || strings.Contains(w, "tt") {
		return true
	}
	var prev rune
	for _, r := range w {
		if strings.ContainsRune("aeiou", r) && strings.ContainsRune("aeiou", prev) && r != prev {
			return true
		}
		prev = r
	}
	return false
}

// somaliShape reports whether w has letters Somali writes and Finnish
// does not: c, q, x, dh, kh or sh.
func somaliShape(w string) bool {
	return strings.ContainsAny(w, "cqx") || strings.Contains(w, "dh") || strings.Contains(w, "kh") || strings.Contains(w, "sh")
}

// top2 returns the keys with the highest and second highest score; ties
// go to the preferred language so the result is stable.
func top2(scores map[string]float64) (string, string) {
	var best, second string
	for code, s := range scores {
		switch {
		case best == "" || s > scores[best] || (s == scores[best] && preference[code] < preference[best]):
			best, second = code, best
		case second == "" || s > scores[second] || (s == scores[second] && preference[code] < preference[second]):
			second = code
		}
	}
	return best, second
}

// margin turns a winner's and a runner-up's evidence into a confidence
// between 0.5 (a tie) and 1.
func margin[N int | float64](best, second N) float64 {
	b, s := float64(best), float64(second)
	if b+s == 0 {
		return 0
	}
	return b / (b + s)
}
