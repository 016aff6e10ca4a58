package answers

import (
	"context"
	"math"
	"strings"
)

// Reranking fuses the index's word score with a character n-gram
// similarity measured within the candidates the index found. N-grams see
// what whole-word matching misses: the parts of Swedish compounds
// ("vårdnadsöverflyttning" and "överflyttning av vårdnaden"), inflections
// the stemmer leaves apart, and the short words a question is made of.
// Weights and gram length were chosen on the SweFAQ dev split.
const (
	// indexWeight and gramWeight weigh the two scores, each first scaled
	// to the best candidate's.
	indexWeight = 1.0
	gramWeight  = 2.0
	// gramLen is the n-gram length, counting a word boundary mark.
	gramLen = 4
	// rerankPool is how many candidates a search reranks at least, and
	// rerankFactor how many per hit asked for: enough for the n-grams to
	// lift a candidate the words ranked a little lower, few enough to stay
	// cheap.
	rerankPool   = 10
	rerankFactor = 3
)

// Ranked wraps s so that every search reranks its candidates with
// an.Rerank: the answer bank's suggestions, its API search and the SweFAQ
// evaluation all score the same way.
func Ranked(s Search, an *Analyzer) Search { return &ranked{inner: s, an: an} }

type ranked struct {
	inner Search
	an    *Analyzer
}

func (r *ranked) Index(ctx context.Context, articles ...*Article) error {
	return r.inner.Index(ctx, articles...)
}

func (r *ranked) Delete(ctx context.Context, urls ...string) error {
	return r.inner.Delete(ctx, urls...)
}

func (r *ranked) Count(ctx context.Context) (int, error) { return r.inner.Count(ctx) }

func (r *ranked) Close() error { return r.inner.Close() }

// Search fetches a larger pool than asked, reranks it, and keeps the best.
func (r *ranked) Search(ctx context.Context, q Query) ([]Hit, error) {
	q = q.Normalize()
	limit := q.Limit
	q.Limit = min(max(limit*rerankFactor, rerankPool), MaxLimit)
	hits, err := r.inner.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	r.an.Rerank(q.Text, hits)
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

// Rerank orders hits for query, best first: each hit's score becomes the
// weighted sum of its index score and the TF-IDF cosine between the
// character n-grams of query and of the article, with n-gram weights from
// the hits themselves (what all candidates share tells none apart), then
// weighed by whether the hit has the kind of answer the question asks for
// (questionKind: a time, an amount, a definition, a yes or no, more than yes
// or no). The n-grams of a definition question leave its frame out ("Vad
// innebär" of "Vad innebär delegering?"): the answer type weighs what the
// frame asks, and a definition seldom repeats it ("Delegering är …"), so
// matching it favours answers that merely use the same verb. The fused
// score is scaled back to the index's best score, so a weak best match
// still has a low score (the quality loop's "no good answer").
func (a *Analyzer) Rerank(query string, hits []Hit) {
	if len(hits) == 0 {
		return
	}
	kind := a.questionKind(query)
	q := gramCounts(query)
	if kind.t == definition {
		q = gramCounts(kind.topic)
	}
	docs := make([]map[string]float64, len(hits))
	fit := make([]float64, len(hits))
	df := map[string]float64{}
	for i, h := range hits {
		text := h.Article.searchText()
		docs[i] = gramCounts(text)
		fit[i] = a.fit(kind, text)
		for g := range docs[i] {
			df[g]++
		}
	}
	n := float64(len(hits))
	idf := func(g string) float64 { return math.Log(1 + (n-df[g]+0.5)/(df[g]+0.5)) }
	sims := make([]float64, len(hits))
	maxIndex, maxSim := 0.0, 0.0
	for i, h := range hits {
		sims[i] = gramCosine(q, docs[i], idf)
		maxIndex, maxSim = math.Max(maxIndex, h.Score), math.Max(maxSim, sims[i])
	}
	for i := range hits {
		s := 0.0
		if maxIndex > 0 {
			s += indexWeight * hits[i].Score / maxIndex
		}
		if maxSim > 0 {
			s += gramWeight * sims[i] / maxSim
		}
		s *= fit[i]
		hits[i].Score = maxIndex * s / (indexWeight + gramWeight)
	}
	SortHits(hits)
}

// gramCounts counts the character n-grams of every word of text, stop
// words included: in a short question "hur länge" or "vem" carries meaning,
// and the weights keep what every candidate says from counting.
func gramCounts(text string) map[string]float64 {
	out := map[string]float64{}
	for _, w := range splitWords(strings.ToLower(text)) {
		r := []rune("_" + strings.ReplaceAll(w, "-", "") + "_")
		if len(r) <= gramLen {
			out[string(r)]++
			continue
		}
		for i := 0; i+gramLen <= len(r); i++ {
			out[string(r[i:i+gramLen])]++
		}
	}
	return out
}

// gramCosine is the cosine between the query's and a document's n-gram
// vectors, with log-scaled counts. The document's length is measured
// without weights: cheaper, and it still tells a long answer from a short.
func gramCosine(q, d map[string]float64, idf func(string) float64) float64 {
	dot, qn, dn := 0.0, 0.0, 0.0
	for g, c := range q {
		w := (1 + math.Log(c)) * idf(g)
		qn += w * w
		if dc := d[g]; dc > 0 {
			dot += w * (1 + math.Log(dc)) * idf(g)
		}
	}
	for _, c := range d {
		w := 1 + math.Log(c)
		dn += w * w
	}
	if qn == 0 || dn == 0 {
		return 0
	}
	return dot / math.Sqrt(qn*dn)
}
