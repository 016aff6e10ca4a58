package routing

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// companyOwnQuestion is the confidence the rest of a question must reach,
// with the names of unrouted companies blanked out, to be routed as that
// rest: "the tram to Liseberg was late again" is Västtrafik's, but "when
// does Liseberg open" has nothing but the name, and "how do I buy tickets
// for Stadsteatern" only a word the arenas' company has too.
const companyOwnQuestion = 0.9

// placeWords before a company's name make it a place, not the company:
// "a parking fine I got at (vid) Liseberg" is about parking.
var placeWords = toSet(`vid nära bakom utanför framför mittemot intill bredvid runt mot förbi
	ovanför nedanför near outside behind opposite`)

// actorWords before a company's name make it the one who acts, whatever
// the rest of the question is about: "a shop to rent via (via)
// GöteborgsLokaler" is the company's, not the city's premises.
var actorWords = toSet(`hos via`)

// employerPrepositions after a word of work make the company the employer:
// "how do I apply for a job at (jobb på) Liseberg" is Liseberg's, not the
// city's labour-market administration's.
var employerPrepositions = toSet(`på hos för vid at for with`)

// workWord reports whether w is a word of work: jobb, sommarjobb, jobba,
// arbete, arbeta, anställd, praktik, work, job, jobs, working.
func workWord(w string) bool {
	for _, p := range []string{"jobb", "arbet", "anställ", "praktik", "work", "job"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return strings.HasSuffix(w, "jobb") || strings.HasSuffix(w, "jobba") || strings.HasSuffix(w, "praktik")
}

// companyName is where a company's name is in a question, the company
// it names and whether the company is the one who acts in it (see
// actorWords, workWord).
type companyName struct {
	start, end int
	company    string
	actor      bool
}

// companyMatcher finds the names of the city's companies that are no
// routing target (see Unrouted).
type companyMatcher struct {
	routeTo string
	// phrases are the names as lower-case words; first holds each
	// phrase's first word, to pass over texts that name none cheaply, and
	// owner the name of the company it names.
	phrases [][]string
	first   []string
	owner   []string
}

// newCompanyMatcher returns the matcher of a's unrouted companies, or nil
// when it lists none.
func newCompanyMatcher(a *Administrations) *companyMatcher {
	if a.unrouted == nil || len(a.unrouted.Companies) == 0 {
		return nil
	}
	m := &companyMatcher{routeTo: a.unrouted.RouteTo}
	for _, c := range a.unrouted.Companies {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			var words []string
			for _, tok := range tokenize(n) {
				words = append(words, tok.word)
			}
			m.phrases = append(m.phrases, words)
			m.first = append(m.first, words[0])
			m.owner = append(m.owner, c.Name)
		}
	}
	return m
}

// find returns where the company names in text are, matched as whole
// words, the last of which may take a genitive s ("Lisebergs") or be the
// first part of a compound ("Lisebergsbanan"), and not after a place
// word.
func (m *companyMatcher) find(text string) []companyName {
	if m == nil {
		return nil
	}
	lower := strings.ToLower(text)
	if !slices.ContainsFunc(m.first, func(w string) bool { return strings.Contains(lower, w) }) {
		return nil
	}
	toks := tokenize(text)
	var out []companyName
	for i := range toks {
		if i > 0 && placeWords[toks[i-1].word] {
			continue
		}
		for j, p := range m.phrases {
			if n := matchName(toks[i:], p); n > 0 {
				out = append(out, companyName{start: toks[i].start, end: toks[i+n-1].end, company: m.owner[j], actor: actorBefore(toks[:i])})
			}
		}
	}
	return out
}

// actorBefore reports whether the words before a company's name make it
// the one who acts: an actor word, or a word of work and a preposition.
func actorBefore(before []token) bool {
	n := len(before)
	switch {
	case n == 0:
		return false
	case actorWords[before[n-1].word]:
		return true
	}
	return n >= 2 && employerPrepositions[before[n-1].word] && workWord(before[n-2].word)
}

// matchName returns how many tokens the name's words match at the start
// of toks, or 0. The last word may take a genitive s ("Lisebergs") or
// begin a compound with it ("Lisebergsbanan", the company's ride).
func matchName(toks []token, name []string) int {
	if len(toks) < len(name) {
		return 0
	}
	for j, w := range name {
		if toks[j].word != w && (j < len(name)-1 || !genitiveOf(toks[j].word, w)) {
			return 0
		}
	}
	return len(name)
}

// minCompoundTail is the fewest letters after a name's genitive s that
// make a compound ("Lisebergsbanan"), not a longer name.
const minCompoundTail = 3

// placeTails end compounds that name a place by the company, not the
// company: "Lisebergsområdet", "Lisebergsentrén", "Lisebergsgatan".
var placeTails = []string{"område", "omr", "entré", "entre", "ingång", "hållplats", "gata", "gatan",
	"väg", "torg", "park", "station", "backe", "plan", "kvarter", "hus"}

// genitiveOf reports whether word is name's genitive or a compound that
// starts with it and is no place.
func genitiveOf(word, name string) bool {
	// Sliced rather than cut by name+"s": triage checks every word
	// against every name, and the concatenation would allocate each time.
	if len(word) <= len(name) || word[len(name)] != 's' || !strings.HasPrefix(word, name) {
		return false
	}
	rest := word[len(name)+1:]
	if rest == "" {
		return true
	}
	return utf8.RuneCountInString(rest) >= minCompoundTail &&
		!slices.ContainsFunc(placeTails, func(p string) bool { return strings.HasPrefix(rest, p) })
}

// classify classifies a question with the current classifier (see
// classifyWith).
func (t *Triager) classify(question string) (scores []Score, companies []string) {
	return t.classifyWith(t.classifier.Load(), question)
}

// classifyWith classifies a question with c. One that names a company
// that is no routing target is classified without the name; unless that
// rest is clearly a target's, or the company acts in it (its employer,
// the one renting out), the question is about the companies it names,
// which it returns.
func (t *Triager) classifyWith(c *Classifier, question string) (scores []Score, companies []string) {
	names := t.companies.find(question)
	if len(names) == 0 {
		return c.Classify(question), nil
	}
	rest := []byte(question)
	actor := false
	for _, n := range names {
		for i := n.start; i < n.end; i++ {
			rest[i] = ' '
		}
		actor = actor || n.actor
		if !slices.Contains(companies, n.company) {
			companies = append(companies, n.company)
		}
	}
	scores = c.Classify(string(rest))
	if !actor && scores[0].Confidence >= companyOwnQuestion {
		return scores, nil
	}
	return scores, companies
}

// routeCompany sends a question about companies of the city that are no
// routing target where people's corrections route such questions (see
// learnCompanyRoutes), or else to the target that finds who answers,
// needing a person.
func (t *Triager) routeCompany(scores []Score, companies []string, r *Result) {
	for _, c := range companies {
		if learned, ok := (*t.companyRoutes.Load())[c]; ok {
			r.Administration, r.Confidence, r.NeedsHuman, r.Referral = learned.administration, round3(learned.share), false, ""
			r.Alternatives = alternativesBut(scores, learned.administration)
			return
		}
	}
	to := t.companies.routeTo
	i := slices.IndexFunc(scores, func(s Score) bool { return s.Administration == to })
	r.Administration, r.Confidence, r.NeedsHuman, r.Referral = to, round3(scores[i].Confidence), true, ""
	r.Alternatives = alternativesBut(scores, to)
}
