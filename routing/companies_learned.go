package routing

// minCompanyCorrections is how many corrections of questions about one
// company it takes before they route its questions.
const minCompanyCorrections = 2

// companyRoute is where corrections route questions about one company,
// and the share of its corrections that went there.
type companyRoute struct {
	administration string
	share          float64
}

// learnCompanyRoutes returns where people route questions about each of
// the city's unrouted companies: a question the company rule would send
// to the kontaktcenter that people routed to a target counts for each
// company it names, and a
// company whose questions went to one target in more than half of at
// least minCompanyCorrections corrections goes there from now on, without
// needing a person. "When does Liseberg open" goes to the kontaktcenter
// until staff route such questions elsewhere. Which questions are about a
// company the classifier of the configuration alone decides: one that
// learned the corrections may find their rest clearly the corrected
// target's, and would forget the route at the next retraining.
func (t *Triager) learnCompanyRoutes(corrections []Example) map[string]companyRoute {
	counts := map[string]map[string]int{}
	for _, ex := range corrections {
		if _, ok := t.targets.Get(ex.Administration); !ok {
			continue
		}
		_, companies := t.classifyWith(t.base, ex.Text)
		for _, company := range companies {
			if counts[company] == nil {
				counts[company] = map[string]int{}
			}
			counts[company][ex.Administration]++
		}
	}
	routes := map[string]companyRoute{}
	for company, byTarget := range counts {
		total, best, most := 0, "", 0
		for target, n := range byTarget {
			total += n
			if n > most || n == most && target < best {
				best, most = target, n
			}
		}
		if total >= minCompanyCorrections && 2*most > total && best != t.companies.routeTo {
			routes[company] = companyRoute{administration: best, share: float64(most) / float64(total)}
		}
	}
	return routes
}
