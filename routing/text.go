package routing

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/swedish"
)

// words splits text into lower-case words of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// urlPattern finds links: with a scheme or "www.", or a domain under a
// common top-level domain with or without a path ("bit.ly/3xYz",
// "goteborg.se").
var urlPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+|\b[\pL\pN-]+(?:\.[\pL\pN-]+)*\.(?:se|com|org|net|eu|fi|io|ly|gl|info)\b(?:/\S*)?`)

// handlePattern finds @handles: a tagged friend or account ("@anna_s",
// "@goteborgsstad") at the start of a word.
var handlePattern = regexp.MustCompile(`(?:^|[\s(])@[\pL\pN._]+`)

// withoutURLs returns text with its links and @handles blanked out: the
// words of a link (a host, a path, an id) or of a tagged name say nothing
// about what a citizen asks, nor in which language.
func withoutURLs(text string) string {
	if strings.Contains(text, "@") {
		text = handlePattern.ReplaceAllString(text, " ")
	}
	if !strings.Contains(text, ".") {
		return text // every link has a dot; most messages have none
	}
	return urlPattern.ReplaceAllString(text, " ")
}

// hashtagPattern finds #hashtags, also written together ("#göteborg#sommar").
var hashtagPattern = regexp.MustCompile(`#[\pL\pN_]+`)

// onlyHashtags reports whether text says nothing but hashtags, besides
// links, @handles, emoji and punctuation: "#göteborg #sommar" under a post
// asks nothing, however surely its words point at a target. Hashtags in a
// sentence count as words ("När töms soptunnan? #sopor").
func onlyHashtags(text string) bool {
	if !strings.Contains(text, "#") {
		return false
	}
	rest := hashtagPattern.ReplaceAllString(withoutURLs(text), " ")
	return !strings.ContainsFunc(rest, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

// fold replaces Swedish and other accented letters with their plain Latin
// letter, so "sophamtning" typed without å, ä and ö still matches.
func fold(w string) string {
	if isASCII(w) {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		if f, ok := foldMap[r]; ok {
			b.WriteRune(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldMap = map[rune]rune{
	'å': 'a', 'ä': 'a', 'á': 'a', 'à': 'a', 'â': 'a',
	'ö': 'o', 'ø': 'o', 'ó': 'o', 'ò': 'o', 'ô': 'o',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'ü': 'u', 'ú': 'u', 'í': 'i', 'ï': 'i', 'æ': 'a',
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// swedishSuffixes are inflection endings removed by stem, longest first:
// definite forms, plurals and genitives of nouns, and common verb endings.
var swedishSuffixes = []string{
	"arnas", "ernas", "ornas", "andet", "andes", "heten", "arna", "erna", "orna",
	"ende", "ande", "aste", "ades", "ning", "ens", "ets", "het", "are", "ade",
	"ast", "en", "et", "na", "ar", "er", "or", "ad", "at", "as", "es", "a", "e", "s",
}

// stem strips one inflection ending from a Swedish word, keeping at least
// three letters, so "sopkärlen", "sopkärlet" and "sopkärl" meet. Topic
// tagging looks for message words starting with it; the classifier uses
// swedishStem.
func stem(w string) string {
	for _, suf := range swedishSuffixes {
		if strings.HasSuffix(w, suf) && len([]rune(w))-len([]rune(suf)) >= 3 {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// stopwords are frequent function words that say nothing about where a
// question belongs: question words, pronouns, auxiliaries, greetings and
// "I want to know" in Swedish and English and in the city's other common
// languages. Arabic words come with and without their hamza.
var stopwords = toSet(`
och i att det som en på är av för med till den har de inte om ett han men
vi var jag sig från så kan man när år här där vad hur vem vilken vilka varför
du ni dig er oss mig min mitt mina din ditt dina vår vårt våra er ert era
hans hennes deras dem denna detta dessa då nu ska skall skulle kunde vill
får fick blir blev bli vara varit ha hade göra gör gjorde finns fanns någon
något några ingen inget inga alla allt mycket mer mest även också bara redan
tycker tänkte gärna igen efter före under över vid mot utan genom eller samt hej tack snälla
hallå undrar fråga frågor behöver måste kommer sedan ju väl nog just
är än åt ut upp in ner hit dit ja nej vet veta tror the a an and or of to in
on at for with is are was be it this that my our your we you i me can do does
how what when where who why which please hi hello thanks there have has
`,
	// Arabic
	`في من الى إلى على عن هل ما ماذا متى كيف أين اين لماذا هو هي أنا انا نحن أنت انت
	هذا هذه ذلك التي الذي لا لم لن أن ان إن قد كان مع أو او كل أريد اريد أعرف اعرف
	نريد شكرا مرحبا السلام عليكم ممكن يمكن`,
	// Persian
	`در از به با که را این آن است هست بود می نمی من ما تو شما او چه چرا چطور چگونه کجا
	کی آیا هم یا و برای اگر خواهم میخواهم میخوام خوام بدانم سلام ممنون مرسی لطفا کنم`,
	// Somali
	`waa iyo ka ku la ah aan in ee waxaan maxaa sidee goorma goormee xaggee halkee meeqa
	immisa ma baan ayaa waxa rabaa rabo doonayaa haddii fadlan mahadsanid salaan
	inaan inaad inuu inay mar dambe`,
	// Finnish
	`ja on ei se että kun mutta minä mä sinä hän me te he mitä mikä missä mistä mihin
	miten kuinka milloin miksi kuka voi voin voiko voinko onko ole olen haluan haluaisin
	tietää kiitos hei moi tämä tuo minun meidän teidän myös`,
	// Polish
	`w we na nie jest się sie że ze do to jak co czy gdzie kiedy dlaczego kto ja my ty wy
	mam moje mój moj ale dla po jestem chcę chce wiedzieć wiedziec proszę prosze dziękuję
	dziekuje dzień dzien dobry można mozna`,
	// Ukrainian and Russian
	`я ми ти ви він вона вони це що як де коли чому хто чи і й в у на з до не хочу знати
	мені мене мій моя будь ласка дякую привіт можна как где когда почему что кто это
	мне хочу знать спасибо здравствуйте пожалуйста`,
	// Tigrinya: how, what, where, when, I
	`ከመይ እንታይ ኣበይ መዓስ ኣነ`,
	// Turkish
	`ve bir bu şu için icin ile da de mi mı mu mü ne nasıl nasil nerede neden niye kim
	biz siz var yok çok cok merhaba teşekkürler tesekkurler lütfen lutfen istiyorum
	bilmek değil degil ama`,
	// Bosnian, Croatian and Serbian
	`je u na da se ne za od sa što sto šta sta kako gdje gde kada kad zašto zasto ko
	tko ja mi ti vi imam moj moja hvala molim dobar dan može moze li želim zelim znati
	trebam`,
	// Kurdish: Kurmanji, with and without its letters, and Sorani
	`ez ji li di bi û jî ku çawa cawa kengê kenge çi çima cima çiqas ciqas heye hene
	nîne dixwazim dikarim bizanim xwe silav spas
	چۆن کەی چی بۆچی لە کوێ دەمەوێت بزانم سڵاو سوپاس بۆ`,
	// Spanish
	`los las que y un una por para con no es mi mis cómo como dónde donde cuándo cuando
	qué quién quien hola gracias necesito está esta estoy tengo quiero saber yo usted`)

// placeNames are Göteborg's districts and islands. They say where a
// citizen lives, not what they ask about: that the examples of one target
// happen to name Majorna must not draw every question from Majorna to it.
// Places that are services themselves (Ullevi, Nordstan, Slottsskogen,
// Gårdsten's housing company) are not among them.
var placeNames = toSet(`
angered bergsjön backa biskopsgården frölunda västra majorna linné linnéstaden
hisingen torslanda kortedala gamlestaden askim högsbo lundby tynnered örgryte
härlanda johanneberg haga hammarkullen hjällbo lövgärdet kärra tuve säve
styrsö donsö vrångö brännö asperö olskroken redbergslid masthugget
kungsladugård guldheden krokslätt eriksberg kviberg utby rannebergen
bagaregården kålltorp stigberget annedal vasastaden lorensberg billdal
`)

// toSet returns the set of the words of lists, separated by white space.
func toSet(lists ...string) map[string]bool {
	m := make(map[string]bool)
	for _, list := range lists {
		for _, w := range strings.Fields(list) {
			m[w] = true
		}
	}
	return m
}

// Feature kinds; their weights say how much one feature of the kind counts
// against the others.
const (
	weightWord  = 1.0
	weightStem  = 1.0
	weightGram  = 0.35
	weightPart  = 1.0
	minGramLen  = 3
	maxGramLen  = 5
	minWordRune = 2
)

// feature is one classifier input with its weight.
type feature struct {
	key    string
	weight float64
}

// contentWord reports whether w can say where a question belongs: not a
// stop word, a place name, a number or a single letter.
func contentWord(w string) bool {
	return !stopwords[w] && !placeNames[w] && len([]rune(w)) >= minWordRune && !isNumber(w)
}

// stopsContentIn are stop words that are content words in one other
// language, the language's code: Kurmanji "av" is water, not Swedish
// "of". Such a word counts in a text written in that language.
var stopsContentIn = map[string]string{"av": "ku"}

// classifierWords returns the content words of text outside links (see
// contentWord and stopsContentIn).
func classifierWords(text string) []string {
	text = withoutURLs(text)
	var out []string
	lang := ""
	for _, w := range words(text) {
		if in, ok := stopsContentIn[w]; ok {
			if lang == "" {
				lang = DetectLanguage(text).Code
			}
			if lang == in {
				out = append(out, w)
				continue
			}
		}
		if contentWord(w) {
			out = append(out, w)
		}
	}
	return out
}

// features turns text into classifier features: those of each content
// word (see wordFeatures).
func features(text string, vocab *vocabulary) []feature {
	var out []feature
	for _, w := range classifierWords(text) {
		out = wordFeatures(out, w, vocab)
	}
	return out
}

// wordFeatures appends the features of one content word: the word, its
// Swedish stem, the stems of its parts when it is a compound of words in
// vocab, and the character n-grams of the folded word. Stems meet
// inflections ("vattnet", "vatten"), parts meet compounds nobody wrote
// before ("matavfallspåsen"), and n-grams catch the rest and typos.
// A genitive of a known word counts as the word (see genitiveBase).
func wordFeatures(out []feature, w string, vocab *vocabulary) []feature {
	if base, ok := vocab.genitiveBase(w); ok {
		w = base
	}
	out = append(out, feature{"w:" + w, weightWord}, feature{"s:" + swedishStem(w), weightStem})
	if head, tail, ok := vocab.split(w); ok {
		if !placeNames[head] {
			out = appendPart(out, head)
		}
		out = appendPart(out, tail)
	}
	return appendGrams(out, fold(w))
}

// appendPart adds the features a part of a compound shares with the word
// written alone: the word and its stem.
func appendPart(out []feature, p string) []feature {
	return append(out, feature{"w:" + p, weightPart}, feature{"s:" + swedishStem(p), weightPart})
}

// appendGrams adds the character n-grams of w, marked at the word's edges.
func appendGrams(out []feature, w string) []feature {
	r := []rune("<" + w + ">")
	for n := minGramLen; n <= maxGramLen; n++ {
		for i := 0; i+n <= len(r); i++ {
			out = append(out, feature{"g:" + string(r[i:i+n]), weightGram})
		}
	}
	return out
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// swedishStem returns the Snowball stem of a lower-case Swedish word, with
// the definite forms Snowball leaves alone ("soptunnan", "kärlet") cut to
// their indefinite form first, so every form of a word shares one stem.
func swedishStem(w string) string {
	r := []rune(w)
	switch n := len(r); {
	case n >= 6 && r[n-2] == 'a' && r[n-1] == 'n':
		w = string(r[:n-1])
	case n >= 5 && r[n-2] == 'e' && r[n-1] == 't' && !strings.ContainsRune("aeiouyåäö", r[n-3]):
		w = string(r[:n-2])
	}
	env := snowballstem.NewEnv(w)
	swedish.Stem(env)
	return env.Current()
}
