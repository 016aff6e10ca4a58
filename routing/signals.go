package routing

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"inkorg/inbox"
)

var (
	healthWords = newLexicon("diagnos", "cancer", "diabet", "depression", "deprimerad", "adhd", "autis",
		"psykisk", "psykos", "sjukskriv", "sjukdom", "cellgift", "hiv=", "schizofren", "bipolär", "epilepsi",
		"demens", "alzheimer", "gravid", "missfall", "abort", "opererad", "medicinera", "ångestsyndrom",
		"hjärtinfarkt", "stroke", "funktionsnedsättning", "utbrändhet", "utmattningssyndrom")
	welfareWords = newLexicon("försörjningsstöd", "ekonomiskt bistånd", "socialbidrag", "socialsekreterar",
		"orosanmäl", "familjehem", "placerad", "hvb=", "lvu=", "lvm=", "missbruk", "skuldsaner", "kronofogd",
		"hemlös", "våld i nära", "misshandlad", "bostadslös", "boendestöd")
	// personalWords say that a sentence is about the writer or their family.
	personalWords = newLexicon("jag=", "mig=", "min=", "mitt=", "mina=", "vi=", "oss=", "vår=", "vårt=", "våra=",
		"my=", "we=", "our=", "me=", "son=", "sonen=", "dotter", "mamma", "pappa", "barnen=", "sambo", "fru=",
		"frun=", "make=", "maken=")
)

// findPersonalDetails finds health and social-welfare details in sentences
// about the writer or their family: a question about how welfare works is
// not personal data, "my son has autism" is.
func findPersonalDetails(text string) []byteSpan {
	var out []byteSpan
	for _, sent := range sentences(text) {
		toks := tokenize(text[sent[0]:sent[1]])
		if !personalWords.has(toks) {
			continue
		}
		out = appendFound(out, sent[0], healthWords.find(toks), inbox.SensitiveHealth)
		out = appendFound(out, sent[0], welfareWords.find(toks), inbox.SensitiveSocialWelfare)
	}
	return out
}

func appendFound(out []byteSpan, offset int, found [][2]int, kind inbox.SensitiveKind) []byteSpan {
	for _, f := range found {
		out = append(out, byteSpan{kind, offset + f[0], offset + f[1]})
	}
	return out
}

var sentenceEnd = regexp.MustCompile(`[.!?\n]+`)

// sentences returns the byte ranges of the sentences of text.
func sentences(text string) [][2]int {
	var out [][2]int
	start := 0
	for _, m := range sentenceEnd.FindAllStringIndex(text, -1) {
		out = append(out, [2]int{start, m[1]})
		start = m[1]
	}
	if start < len(text) {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// signal is a tag and the words that raise it. A word of it inside one of
// the phrases in except does not ("fire" in "fire ban"), nor one word of
// it at toks[i] that spared, when set, reports as an everyday use the
// phrases cannot tell ("hotar att stänga förskolan").
type signal struct {
	tag      string
	priority inbox.Priority
	words    *lexicon
	except   *lexicon
	spared   func(toks []token, i int) bool
}

// raisedBy reports whether the words of toks raise s: one of its words
// occurs outside its exceptions. The exceptions are only looked for once
// a word is found, which most messages have none of.
func (s signal) raisedBy(toks []token) bool {
	if s.except == nil && s.spared == nil {
		return s.words.has(toks)
	}
	var skip [][2]int
	looked := false
	for i := range toks {
		for _, p := range s.words.candidates(toks[i:]) {
			n := matchAt(toks[i:], s.words.phrases[p])
			if n == 0 {
				continue
			}
			if !looked {
				skip, looked = s.except.find(toks), true
			}
			r := [2]int{toks[i].start, toks[i+n-1].end}
			if slices.ContainsFunc(skip, func(e [2]int) bool { return e[0] <= r[0] && r[1] <= e[1] }) ||
				n == 1 && s.spared != nil && s.spared(toks, i) {
				continue
			}
			return true
		}
	}
	return false
}

// signals are the tags triage sets from the words of a message. Urgent
// ones are threats, self-harm, emergencies and crises; low ones praise and
// spam. The urgent ones also hold the words of the city's other common
// languages (see signals_languages.go).
var signals = []signal{
	{"självskada", inbox.PriorityUrgent, signalLexicon(append([]string{"självmord", "ta mitt liv", "ta livet av",
		"vill inte leva", "orkar inte leva", "skada mig själv", "suicid", "kill myself", "end my life", "skära mig",
		"vill dö=", "vill inte längre leva", "ta mitt eget liv", "skär mig=", "skurit mig=", "tagit alla mina tabletter",
		"hoppa= från= *bron", "hoppa= framför= tåget"},
		selfHarmWords...)...), nil, nil},
	{"hot", inbox.PriorityUrgent, signalLexicon(append([]string{"hota", "hotar=", "hotad", "hotet=", "ska döda", "skjuta ihjäl",
		"skjuta er", "spränga", "bomb=", "bomben=", "bomber=", "bombhot", "bombdåd", "bränna ner", "knivhot", "threat",
		"döda= dig=", "döda= er=", "dödar= dig=", "dödar= er=", "slå ihjäl", "dödshot", "vet= var= du= bor=",
		"vet= var= ni= bor=", "vet= var= hon= bor=", "vet= var= han= bor=", "vet= var= handläggaren= bor=",
		"kommer att ångra er=", "kommer ångra er=", "skjuter= er=", "skjuter= dig=", "skjuta= dig=",
		"tända eld på", "sätta eld på", "bränner ner"}, threatWords...)...),
		signalLexicon(append([]string{
			// A landlord or an employer threatens to end a lease or a job,
			// someone to sue, the city to fine or close: a notice, not
			// harm. Not "hota att anmäla": a partner's threat to report
			// someone is control. Endangered species are "hotade arter".
			"hota att= säga= upp=", "hota att= vräka", "hota att= höja= hyr", "hota att= stämma=",
			"hota att= lägga= ner=", "hota att= stänga= av=", "hota med= uppsägning", "hota med= vräkning",
			"hota med= avhysning", "hota med= vite", "hota med= böter", "hota med= inkasso",
			"hota med= kronofogd", "hota med= stämning", "hota med= nedläggning", "hotad art",
			// Blasting rock for a building or a tunnel, which neighbours
			// ask to stop, and costs that blow a budget. Rock and site
			// take "=": "bygg" finds "byggnaden", "berg" "Bergsjöskolan",
			// and "spränga bort" alone could be anything.
			"sluta= spränga", "får= man= spränga", "får= ni= spränga", "får= de= spränga",
			"spränga berg=", "spränga berget=", "spränga i= berg=", "spränga i= berget=", "spränga bort= berg=",
			"spränga bort= berget=", "berget= ska= sprängas=", "berget= måste= sprängas=",
			"spränga för= tunnel", "spränga vid= bygget=", "spränga vid= bygge=", "spränga vid= byggarbetsplats",
			"spränga vid= byggplats", "sprängarbet", "spränga budget", "spränga ramar"},
			threatQuestions...)...),
		threatensAThing},
	// "brand= i", not "brand i": "Brandskydd i skolan", "brandvarnare i
	// lägenheten" are questions, not fires.
	// 112 counts when it is called ("ring 112"), not as a street
	// number, a price or a bus line.
	{"nödläge", inbox.PriorityUrgent, signalLexicon(append([]string{"brinner", "brand= i", "branden= i", "nödläge",
		"ring= 112=", "ringa= 112=", "ringer= 112=", "ringde= 112=", "ringt= 112=", "larma= 112=", "larmade= 112=",
		"larmat= 112=", "akut fara", "drunkn", "medvetslös", "andas inte", "emergency", "gasläcka", "rasat", "översvämning",
		"översvämmat", "kokpåbud", "koka vattnet", "storm=", "stormen=", "evakuer", "luktar gas", "livlös",
		"ramlat i vattnet", "fallit i vattnet", "skottlossning", "skottlossningen", "knivskuren", "knivhuggen",
		"brinner= för= fullt="}, append(ongoingEmergencyWords(), fireWords...)...)...),
		// Drowning in paperwork, work or email is being busy.
		signalLexicon(append([]string{"drunkn i= papper", "drunkn i= jobb", "drunkn i= arbete", "drunkn i= mejl",
			"drunkn i= mail", "drunkn i= e= post", "drunkn i= ärende", "drunkn i= ansökning", "drunkn i= räkning",
			"drunkn i= blankett", "drunkn i= byråkrati", "drunkn i= läx", "vattnet= sprutar= inte=",
			"vatten= sprutar= inte="},
			fireQuestions...)...), nil},
	{"kris", inbox.PriorityUrgent, signalLexicon(append([]string{"kris=", "krisen=", "krisläge", "vattnet är borta",
		"inget vatten", "strömavbrott", "ingenstans att sova", "våld i nära", "slår mig", "misshandla",
		"slog mig=", "slår= mamma=", "slår= pappa=", "slår= henne=", "slår= honom=", "slår= barnen=", "slår= oss=",
		"våldtagen", "våldtog", "våldtäkt"},
		append(childAtRiskWords(), violenceWords...)...)...),
		// A crisis of the economy, a market, parking or public transport
		// is a complaint; one "i min ekonomi" or "i familjen" stays a crisis.
		// Getting ready for a crisis that may come ("Hur förbereder jag
		// mig för en kris?", "Vad ska man ha hemma vid en kris?") is a
		// question about preparedness; one who is "i en kris" is in one.
		signalLexicon(append([]string{"slår= mig= att=", "kris i= ekonomi", "kris i= kommunens= ekonomi",
			"kris i= stadens= ekonomi", "kris på= *marknad", "kris i= *marknad", "kris med= parkering",
			"kris i= kollektivtrafik", "beredd på= en= kris=", "redo= för= en= kris=", "inför= en= kris=",
			"inför= kris=", "vid= en= kris=", "vid= kris=", "under= en= kris=", "händelse= av= en= kris=",
			"händelse= av= kris=", "om= det= blir= kris=", "om= det= blir= en= kris=", "ifall= det= blir= kris=",
			"om= en= kris= kommer=", "om= en= kris= uppstår=", "kris= eller= krig", "kris= och= krig",
			"krig= eller= kris=", "krig= och= kris="}, preparingForCrisis()...)...),
		nil},
	{"klagomål", inbox.PriorityNormal, signalLexicon("klagomål", "klaga", "skandal", "oacceptabel", "upprörd", "besviken",
		"dålig service", "complaint"), nil, nil},
	{"beröm", inbox.PriorityLow, signalLexicon("tack så mycket", "stort tack", "tusen tack", "bra jobbat", "grymt",
		"fantastisk", "toppen", "great job", "thank you so much", "ni är bäst", "tack för att ni",
		"tack för hjälpen", "så snabbt", "snabbt fixat"), nil, nil},
	{"spam", inbox.PriorityLow, signalLexicon("bitcoin", "krypto", "tjäna pengar", "gratis iphone", "klicka här",
		"click here", "vinn en", "casino", "onlyfans", "följ mig", "follow me", "dm me", "earn money"), nil, nil},
}

// ongoingEmergencyWords returns the phrases of an emergency going on now
// that no single word tells: water pouring or leaking in, smoke indoors,
// someone who has fallen and cannot get up. "Vattenläcka", "rök" and
// "ramlat" alone are also in questions ("Hur anmäler jag en
// vattenläcka?", "Mamma har ramlat flera gånger, kan hon få
// trygghetslarm?"), which are not urgent.
func ongoingEmergencyWords() []string {
	out := []string{"forsar= ut= vatten=", "forsar= in= vatten=", "forsar= vatten=", "vattnet= forsar=",
		"vatten= forsar=", "sprutar= vatten=", "sprutar= ut= vatten=", "vattnet= sprutar=", "vatten= sprutar=",
		"läcker= in= vatten=", "läcker= vatten= från= taket=", "läcker= vatten= genom= taket=",
		"läcker= vatten= in=", "rinner= in= vatten=", "rinner= vatten= från= taket=",
		"rinner= vatten= genom= taket=", "vatten= rinner= in=", "vattnet= rinner= in=",
		"ryker= från= elskåp", "ryker= ur= elskåp", "kan= inte= resa= sig=", "kommer= inte= upp= från= golvet="}
	for _, room := range []string{"trapphuset=", "trappuppgången=", "lägenheten=", "huset=", "källaren=", "köket="} {
		out = append(out, "rök= i= "+room, "röken= i= "+room)
	}
	for _, fell := range []string{"ramlat=", "fallit=", "trillat="} {
		out = append(out, fell+" och= kommer= inte= upp=", fell+" och= ligger=")
	}
	return out
}

// childAtRiskWords returns the phrases of a child beaten, left alone or
// said to be at risk ("barnet far illa", the words of a report of concern
// to social services): a crisis as a beaten adult is. Only a particular
// child counts: "barn som far illa" and "får barn vara ensamma hemma?"
// are questions about how things work.
func childAtRiskWords() []string {
	out := []string{"barn= far= illa=", "barnet= far= illa=", "barnen= far= illa=",
		"barnet= är= ensamt= hemma=", "barnet= är= ensam= hemma=", "barnen= är= ensamma= hemma=",
		"hitting= his= kids=", "hitting= her= kids=", "hitting= their= kids=", "hits= his= kids=",
		"hits= her= kids=", "hits= their= kids=", "beats= his= kids=", "beats= her= kids=", "beats= their= kids="}
	for _, child := range []string{"sina= barn=", "sitt= barn=", "mitt= barn=", "mina= barn=", "barnet=",
		"min= son=", "min= dotter=", "sin= son=", "sin= dotter=", "sonen=", "dottern="} {
		out = append(out, "slår= "+child, "slog= "+child)
	}
	for _, left := range []string{"sina= barn= ensamma=", "barnen= ensamma=", "barnet= ensamt=", "barnet= ensam="} {
		out = append(out, "lämnar= "+left, "lämnat= "+left, "lämnade= "+left)
	}
	return out
}

// preparingForCrisis returns the phrases of getting ready for a crisis,
// with the reflexive pronoun and the subject in either order ("förbereda
// sig för en kris", "hur förbereder jag mig för kris").
func preparingForCrisis() []string {
	var out []string
	for _, who := range []string{"", "mig=", "sig=", "oss=", "dig=", "er=", "jag= mig=", "man= sig=", "vi= oss=",
		"du= dig=", "ni= er="} {
		out = append(out, strings.Join(strings.Fields("förbered "+who+" för= en= kris="), " "),
			strings.Join(strings.Fields("förbered "+who+" för= kris="), " "))
	}
	return out
}

// TagsAndPriority returns the tags the words of text raise, sorted, and
// the priority: urgent when any urgent tag is raised, low when only
// praise or spam is, normal otherwise.
func TagsAndPriority(text string) ([]string, inbox.Priority) {
	tags := []string{}
	toks := tokenize(normalizeSignalText(text))
	urgent, low, normal := false, false, false
	for _, s := range signals {
		if !s.raisedBy(toks) {
			continue
		}
		tags = append(tags, s.tag)
		switch s.priority {
		case inbox.PriorityUrgent:
			urgent = true
		case inbox.PriorityLow:
			low = true
		default:
			normal = true
		}
	}
	sort.Strings(tags)
	switch {
	case urgent:
		return tags, inbox.PriorityUrgent
	case low && !normal && !isQuestion(text):
		return tags, inbox.PriorityLow
	}
	return tags, inbox.PriorityNormal
}

// isQuestion reports whether text asks something; a thank-you with a
// question still needs an answer.
func isQuestion(text string) bool { return strings.Contains(text, "?") }
