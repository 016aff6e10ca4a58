package answers

import (
	"strings"
	"unicode"
)

// Answer types. A question's first words say what kind of answer it
// wants: "När …", "Hur länge …" a time; "Hur många …", "Vad kostar …" an
// amount; "Vad är X?", "Vad innebär X?" a definition, which starts with X;
// every question starting with a question word more than a bare yes or no;
// and one starting with a verb ("Kan jag …", "Får man …", "Är det …") a
// yes or no. Word matching does not see this (question words are stop
// words, and an answer does not repeat them), so the reranking prefers a
// candidate with the kind of answer asked for: one starting "Ja" or "Nej"
// to a yes/no question, and puts such a one back for a question that
// cannot be answered so.
type answerType int

const (
	// anyAnswer: neither a question word nor a verb first; no preference.
	anyAnswer answerType = iota
	// yesNo: a verb first asks for yes or no.
	yesNo
	// openAnswer: a question word asks for more than yes or no.
	openAnswer
	// timeAnswer: when, how long, how often.
	timeAnswer
	// amountAnswer: how many, how much, what it costs.
	amountAnswer
	// definition: what something is or means.
	definition
)

// answerTypeFactor multiplies the score of a candidate with the kind of
// answer asked for and divides that of one that cannot be the answer.
const answerTypeFactor = 1.5

// questionWords start questions that want more than yes or no.
var questionWords = setOf("vad vem vems vilka vilken vilket vilkas när var vart varifrån varför hur " +
	"what who which when where why how")

// yesNoVerbs are the finite verbs that start Swedish yes/no questions (the
// verb comes first: "Kan jag söka?", "Finns det …?"). "Var" is left out:
// first in a question it is mostly "where".
var yesNoVerbs = setOf("är kan får har ska skall måste behöver blir finns gäller vill bör brukar går " +
	"kommer ingår räcker tar gör hade fick kunde skulle borde " +
	"is are can do does will should may must")

// definitionStarts and the other maps key the first two words of a question.
var (
	definitionStarts = setOf("vad_är vad_innebär vad_betyder vad_menas what_is what_does")
	timeStarts       = setOf("hur_länge hur_ofta hur_snart hur_lång hur_långt how_long how_often how_soon")
	amountStarts     = setOf("hur_många hur_mycket vad_kostar hur_stor hur_stort hur_stora how_many how_much")
)

// cueWords are words that give a time or an amount; a number gives both.
var cueWords = map[answerType]map[string]bool{
	timeAnswer: setOf("år året åren månad månader månaden vecka veckor veckan dag dagar dagen " +
		"timme timmar minuter datum tidigast senast innan tills fyller upphör direkt löpande " +
		"januari februari mars april maj juni juli augusti september oktober november december " +
		"måndag tisdag onsdag torsdag fredag lördag söndag våren sommaren hösten vintern"),
	amountAnswer: setOf("kronor kr procent antal totalt ersättning avgift avgiften kostnad kostar " +
		"hälften dubbelt gratis kostnadsfritt"),
}

func setOf(words string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(words) {
		out[strings.ReplaceAll(w, "_", " ")] = true
	}
	return out
}

// questionKind is what a question asks for: its answer type and, for a
// definition, the stems of what is to be defined and the question's words
// after its frame ("Vad innebär"), topic.
type questionKind struct {
	t       answerType
	subject map[string]bool
	topic   string
}

// questionKind reads the answer type off the first words of a question.
func (a *Analyzer) questionKind(text string) questionKind {
	words := splitWords(strings.ToLower(text))
	switch {
	case len(words) == 0:
		return questionKind{t: anyAnswer}
	case yesNoVerbs[words[0]]:
		return questionKind{t: yesNo}
	case !questionWords[words[0]]:
		return questionKind{t: anyAnswer}
	}
	start := words[0]
	if len(words) > 1 {
		start += " " + words[1]
	}
	switch {
	case timeStarts[start] || words[0] == "när" || words[0] == "when":
		return questionKind{t: timeAnswer}
	case amountStarts[start]:
		return questionKind{t: amountAnswer}
	case definitionStarts[start]:
		k := questionKind{t: definition, subject: map[string]bool{}, topic: strings.Join(words[2:], " ")}
		for _, t := range a.Terms(k.topic) {
			k.subject[t] = true
		}
		if len(k.subject) > 0 {
			return k
		}
	}
	return questionKind{t: openAnswer}
}

// fit returns how much the answer type makes text a better (above 1) or
// worse (below 1) answer to a question of kind k.
func (a *Analyzer) fit(k questionKind, text string) float64 {
	if k.t == anyAnswer {
		return 1
	}
	first := firstWord(text)
	bare := first == "ja" || first == "nej"
	switch {
	case k.t == yesNo && bare:
		return answerTypeFactor
	case k.t == yesNo:
		return 1
	case bare:
		return 1 / answerTypeFactor
	}
	switch k.t {
	case definition:
		// A definition starts with what it defines: "LVU är en lag …",
		// "Att ordinera är att besluta …". The text is an article's search
		// text, which starts with the title and the breaks after it and
		// after the summary: without a title it starts with blanks.
		if t := a.Terms(leadWords(strings.TrimSpace(text), 8)); len(t) > 0 && k.subject[t[0]] {
			return answerTypeFactor
		}
	case timeAnswer, amountAnswer:
		for _, w := range splitWords(strings.ToLower(text)) {
			if cueWords[k.t][w] || hasDigit(w) {
				return answerTypeFactor
			}
		}
	}
	return 1
}

func hasDigit(w string) bool {
	for _, r := range w {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// firstWord returns the first run of letters of text, in lower case.
func firstWord(text string) string {
	start := strings.IndexFunc(text, unicode.IsLetter)
	if start < 0 {
		return ""
	}
	rest := text[start:]
	if end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) }); end >= 0 {
		rest = rest[:end]
	}
	return strings.ToLower(rest)
}

// leadWords returns text up to its n-th space or its first sentence end.
func leadWords(text string, n int) string {
	for i, r := range text {
		switch r {
		case '.', '?', '!', '\n':
			return text[:i]
		case ' ':
			if n--; n == 0 {
				return text[:i]
			}
		}
	}
	return text
}
