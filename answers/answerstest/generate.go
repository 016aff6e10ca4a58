package answerstest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"inkorg/answers"
)

// Generate returns n articles for benchmarks: the bundled bank followed by
// articles whose titles and summaries mix the bank's own words, so term
// statistics look like a grown answer bank. The same seed gives the same
// articles.
func Generate(n int, seed uint64) []*answers.Article {
	bank, err := answers.BundledArticles()
	if err != nil {
		panic(err) // the bundled bank is validated by its own tests
	}
	var words []string
	for _, a := range bank {
		words = append(words, strings.Fields(a.Title+" "+a.Summary)...)
	}
	rng := rand.New(rand.NewPCG(seed, seed+1))
	pick := func(k int) string {
		out := make([]string, k)
		for i := range out {
			out[i] = strings.Trim(words[rng.IntN(len(words))], ",.()?")
		}
		return strings.Join(out, " ")
	}
	out := make([]*answers.Article, 0, n)
	for i := 0; i < n; i++ {
		if i < len(bank) {
			out = append(out, bank[i])
			continue
		}
		src := bank[rng.IntN(len(bank))]
		out = append(out, &answers.Article{
			Title:          pick(3 + rng.IntN(5)),
			URL:            fmt.Sprintf("https://goteborg.se/genererad/%d", i),
			Summary:        pick(15 + rng.IntN(25)),
			Administration: src.Administration,
			Language:       "sv",
			Keywords:       strings.Fields(pick(4)),
			Active:         true,
		})
	}
	return out
}

// Questions are citizen messages for benchmarks, in the style agents see.
var Questions = []string{
	"Vår soptunna blev inte tömd i morse, kan ni skicka bilen igen?",
	"Hur ansöker jag om boendeparkering och vad kostar det?",
	"Behöver jag bygglov för ett attefallshus på tomten?",
	"Mitt barn behöver en förskoleplats i höst, hur ställer jag mig i kö?",
	"Gatlyktan utanför vårt hus är trasig sedan en vecka",
	"Hur får jag färdtjänst för min pappa som har svårt att gå?",
	"Where can I get a library card?",
	"Vem ska skotta trottoaren utanför vårt hus?",
}
