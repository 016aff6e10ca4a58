package routing

import "strings"

// Swedish "hota" (threaten) is said of people and of things alike: a
// person threatens to hit someone or is threatened by a neighbour, while
// the city threatens to close a preschool and a park is threatened by a
// building site. threatensAThing tells the second kind by grammar:
//
//   - "hota att" and a verb of closing, cutting or pulling down
//     ("Kommunen hotar att stänga förskolan", "… att lägga ner skolan"),
//     unless the verb takes a person ("stänga in mig", "riva dig").
//   - A passive or "hotet om" whose cause, after "av" or "om", is an event
//     or a thing ("Parken hotas av bygget", "Skolan hotas av nedläggning",
//     "hotet om nedläggning"). A person as the cause ("Jag blir hotad av
//     grannen") and a passive without a cause stay threats: a school or a
//     preschool is also threatened by people.
var (
	// closingVerbs are verbs of an institution's decisions about a thing,
	// with their particles.
	closingVerbs = newLexicon("stänga=", "stänga= ner=", "stänga= ned=", "lägga= ner=", "lägga= ned=",
		"riva=", "riva= ner=", "dra= in=", "dra= ner=", "dra= ned=", "skära= ner=", "skära= ned=",
		"avveckla=", "privatisera=", "flytta= verksamhet", "slå= ihop=", "sälja= ut=", "bygga=",
		"fälla= träd", "hugga= ner= träd", "ta= bort= busslinj", "ställa= in=")
	// personObjects after such a verb make it an act against a person
	// ("stänga in mig"): the threat stays.
	personObjects = newLexicon("in=", "inne=", "mig=", "dig=", "oss=", "honom=", "henne=", "hen=", "dem=",
		"dom=", "sig=", "barnen=", "barn=", "mamma=", "pappa=")
	// threatCauses are events and things that threaten a place, an
	// institution or a species. Not "riv" alone ("rivaler"), "bygg"
	// ("byggarbetare") nor "klimat" ("klimataktivister"): people threaten
	// too; nor "av att", which may be harm ("hotas av att bli slagen").
	threatCauses = newLexicon("bygget=", "bygge=", "byggen=", "byggena=", "byggnation", "*byggnad",
		"byggplan", "byggprojekt", "nybygg", "vägbygg", "rivning", "*nedläggning", "*stängning",
		"*nedskärning", "*neddragning", "*besparing", "sparkrav", "sparbeting", "avveckling", "exploatering",
		"förtätning", "privatisering", "sammanslagning", "omorganisation", "flytt=", "flytten=",
		"klimatförändring", "erosion", "översvämning", "torka=", "torkan=", "skadedjur", "granbarkborr",
		"invasiv", "detaljplan", "planer=", "planerna=", "motorväg", "västlänk", "*brist", "vräkning",
		"uppsägning", "*höjning")
	// causeFillers may stand between "av" and the cause ("hotas av det
	// nya bygget", "hotas av kommunens besparingar").
	causeFillers = newLexicon("en=", "ett=", "den=", "det=", "de=", "dom=", "nya=", "nytt=", "ny=",
		"stora=", "stort=", "planerad", "kommunens=", "stadens=", "politikernas=", "fler=", "ännu=", "mer=")
	// threatAdverbs may stand between the verb and "att" or "av"
	// ("hotas nu av", "hotar återigen att").
	threatAdverbs = newLexicon("nu=", "också=", "även=", "återigen=", "igen=", "fortfarande=", "redan=",
		"just=", "snart=")
)

// threatensAThing reports whether the "hota" word at toks[i] threatens a
// thing, not a person (see closingVerbs and threatCauses).
func threatensAThing(toks []token, i int) bool {
	w := toks[i].word
	rest := skipAll(toks[i+1:], threatAdverbs, 2)
	if len(rest) < 2 {
		return false
	}
	switch {
	case rest[0].word == "att" && (w == "hota" || w == "hotar" || w == "hotade" || w == "hotat"):
		n := matchAny(rest[1:], closingVerbs)
		return n > 0 && !personObjects.startsWith(rest[1+n:])
	case rest[0].word == "av" && strings.HasPrefix(w, "hota") && w != "hotar",
		rest[0].word == "om" && w == "hotet":
		return threatCauses.startsWith(skipAll(rest[1:], causeFillers, 2))
	}
	return false
}

// skipAll returns toks without up to max leading words of l.
func skipAll(toks []token, l *lexicon, max int) []token {
	for range max {
		n := matchAny(toks, l)
		if n == 0 {
			break
		}
		toks = toks[n:]
	}
	return toks
}

// matchAny returns how many tokens the longest entry of l matching at the
// start of toks takes, or 0.
func matchAny(toks []token, l *lexicon) int {
	longest := 0
	for _, p := range l.candidates(toks) {
		longest = max(longest, matchAt(toks, l.phrases[p]))
	}
	return longest
}

// startsWith reports whether an entry of l occurs at the start of toks.
func (l *lexicon) startsWith(toks []token) bool { return matchAny(toks, l) > 0 }
