package answers

import (
	"strings"
	"unicode"
)

// Answer types. A question's first words say what kind of answer it
// wants: "När …", "Hur länge …" a time; "Hur många …", "Vad kostar …" an
// amount; "Vad är X?", "Vad innebär X?" a definition, which starts with X;
// and every question starting with a question word more than a bare yes or
// no. Word matching does not see this (question words are stop words, and
// an answer does not repeat them), so the reranking prefers a candidate
// with the kind of answer asked for and puts back one starting "Ja" or
// "Nej" to a question that cannot be answered so.
type answerType int

const (
	// anyAnswer: a yes/no question, or no question word; no preference.
	anyAnswer answerType = iota
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
// definition, the stems of what is to be defined.
type questionKind struct {
	t       answerType
	subject map[string]bool
}

// questionKind reads the answer type off the first words of a question.
func (a *Analyzer) questionKind(text string) questionKind {
	words := splitWords(strings.ToLower(text))
	if len(words) == 0 || !questionWords[words[0]] {
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
		k := questionKind{t: definition, subject: map[string]bool{}}
		for _, t := range a.Terms(strings.Join(words[2:], " ")) {
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
	if first := firstWord(text); first == "ja" || first == "nej" {
		return 1 / answerTypeFactor
	}
	switch k.t {
	case definition:
		// A definition starts with what it defines: "LVU är en lag …",
		// "Att ordinera är att besluta …".
		if t := a.Terms(leadWords(text, 8)); len(t) > 0 && k.subject[t[0]] {
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
