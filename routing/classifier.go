package routing

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Score is one candidate target with the classifier's confidence in it.
type Score struct {
	Administration string  `json:"administration"`
	Confidence     float64 `json:"confidence"`
}

// Example is one labelled training sentence.
type Example struct {
	Text           string
	Administration string
}

// Classifier decides which target a text belongs to: a multinomial naive
// Bayes model over words, stems, compound parts and character n-grams,
// each weighted by how specific it is (idf), trained from each target's
// name, aliases, topics and examples, and from corrections added later
// with Learn. It is safe for concurrent use.
type Classifier struct {
	mu      sync.RWMutex
	classes []string
	classOf map[string]int
	// counts holds, per feature, its weighted count in each class.
	counts map[string][]float64
	totals []float64
	// logp caches log P(feature | class); rebuilt after training.
	logp map[string][]float64
	// background caches log P(feature) averaged over the classes.
	background map[string]float64
	// idf caches how specific a feature is: log(1 + targets / targets
	// whose training text has it). A feature every target has ("<va")
	// says little; one only a target has says much.
	idf map[string]float64
	// vocab holds the words of the targets file, to split compounds.
	vocab *vocabulary
	// words caches each word's evidence (see wordEvidence); rebuilt
	// empty after training.
	words *wordCache
	// base holds each class's total weight from the targets file, and
	// corrected that of the corrections learnt since; corrections of a
	// class count at most as much as its base (see Learn).
	base, corrected []float64
	// learnt holds the corrections learnt, so that one made many times
	// counts once.
	learnt map[learntKey]bool
}

// Smoothing and calibration of the model. alpha is the additive smoothing;
// topics and corrections count topicWeight times an example. sharpness
// scales the log-likelihood differences, divided by the square root of the
// evidence, before the softmax; with evidenceHalf it was chosen so that a
// clear question scores well above 0.5 and a vague one below.
const (
	alpha       = 0.2
	topicWeight = 3.0
	sharpness   = 1.0
	// evidenceHalf is the log-likelihood ratio of the best target against
	// all text at which confidence is halfway between a flat guess and
	// the model's posterior: a few common words are weak evidence.
	evidenceHalf = 4.0
)

// NewClassifier trains a classifier on the targets in a.
func NewClassifier(a *Administrations) *Classifier {
	c := &Classifier{classOf: make(map[string]int), counts: make(map[string][]float64)}
	c.classes = a.IDs()
	c.totals = make([]float64, len(c.classes))
	// The vocabulary comes first: training text splits compounds as
	// questions will.
	c.vocab = newVocabulary()
	for _, id := range c.classes {
		t, _ := a.Get(id)
		c.vocab.addText(t.Name)
		for _, list := range [][]string{t.Aliases, t.Topics, t.Examples} {
			for _, s := range list {
				c.vocab.addText(s)
			}
		}
	}
	for i, id := range c.classes {
		c.classOf[id] = i
		t, _ := a.Get(id)
		c.add(i, t.Name, 1)
		for _, s := range t.Aliases {
			c.add(i, s, 1)
		}
		for _, s := range t.Topics {
			c.add(i, s, topicWeight)
		}
		for _, s := range t.Examples {
			c.add(i, s, 1)
		}
	}
	c.base, c.corrected = slices.Clone(c.totals), make([]float64, len(c.classes))
	c.learnt = make(map[learntKey]bool)
	c.rebuild()
	return c
}

// add counts the features of text for class i.
func (c *Classifier) add(i int, text string, weight float64) {
	c.addFeatures(i, features(text, c.vocab), weight)
}

// addFeatures counts the features fs for class i.
func (c *Classifier) addFeatures(i int, fs []feature, weight float64) {
	for _, f := range fs {
		row, ok := c.counts[f.key]
		if !ok {
			row = make([]float64, len(c.classes))
			c.counts[f.key] = row
		}
		row[i] += f.weight * weight
		c.totals[i] += f.weight * weight
	}
}

// rebuild recomputes the cached log probabilities from the counts.
func (c *Classifier) rebuild() {
	v := float64(len(c.counts))
	logp := make(map[string][]float64, len(c.counts))
	background := make(map[string]float64, len(c.counts))
	idf := make(map[string]float64, len(c.counts))
	for key, row := range c.counts {
		lp := make([]float64, len(row))
		var mean float64
		for i, n := range row {
			p := (n + alpha) / (c.totals[i] + alpha*v)
			lp[i] = math.Log(p)
			mean += p / float64(len(row))
		}
		logp[key] = lp
		background[key] = math.Log(mean)
		df := 0
		for _, n := range row {
			if n > 0 {
				df++
			}
		}
		idf[key] = math.Log(1 + float64(len(row))/float64(df))
	}
	c.logp, c.background, c.idf = logp, background, idf
	c.words = newWordCache()
}

// Learn adds labelled examples, such as an agent's re-routing, and
// retrains. Examples for unknown targets are ignored and counted in the
// result, so a removed target's old corrections do no harm. An example
// learnt before (the same words for the same target) counts once, and the
// corrections of a target together count at most as much as its
// configured training: a flood of corrections sharpens a target, it does
// not make it forget what it was configured with. When the corrections of
// one call would count more, each counts proportionally less.
func (c *Classifier) Learn(examples ...Example) (ignored int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	byClass := make([][]feature, len(c.classes))
	for _, e := range examples {
		i, ok := c.classOf[e.Administration]
		if !ok || strings.TrimSpace(e.Text) == "" {
			ignored++
			continue
		}
		key := learntKey{class: i, text: learntText(e.Text)}
		if c.learnt[key] {
			continue
		}
		c.learnt[key] = true
		byClass[i] = append(byClass[i], features(e.Text, c.vocab)...)
	}
	for i, fs := range byClass {
		c.addCorrections(i, fs)
	}
	c.rebuild()
	return ignored
}

// learntKey identifies a correction: its target and its normalised words.
type learntKey struct {
	class int
	text  string
}

// learntText normalises text so that corrections differing only in case,
// punctuation, spacing or accents are one.
func learntText(text string) string {
	ws := words(text)
	for i, w := range ws {
		ws[i] = fold(w)
	}
	return strings.Join(ws, " ")
}

// addCorrections counts the features fs of new corrections for class i,
// scaled down so that the class's corrections never weigh more than its
// base. A correction is stronger evidence than a written example, as
// strong as a topic: it is a real question a person routed by hand.
func (c *Classifier) addCorrections(i int, fs []feature) {
	var want float64
	for _, f := range fs {
		want += f.weight * topicWeight
	}
	room := c.base[i] - c.corrected[i]
	if want == 0 || room <= 0 {
		return
	}
	scale := min(1, room/want)
	c.addFeatures(i, fs, topicWeight*scale)
	c.corrected[i] += want * scale
}

// Classify returns every target ranked by confidence, best first. A text
// with no known feature gets a flat distribution.
func (c *Classifier) Classify(text string) []Score {
	c.mu.RLock()
	defer c.mu.RUnlock()
	sums := make([]float64, len(c.classes))
	var weight, bg float64
	for _, w := range classifierWords(text) {
		e := c.wordEvidence(w)
		weight += e.weight
		bg += e.background
		for i, l := range e.sums {
			sums[i] += l
		}
	}
	return c.rank(sums, weight, bg)
}

// evidence is what one word tells the classifier: the idf-weighted sums of
// its known features' weights, background and per-target log
// probabilities.
type evidence struct {
	weight, background float64
	sums               []float64
}

// wordEvidence returns the evidence of a content word, from the cache when
// the word was seen before. Callers hold c.mu.
func (c *Classifier) wordEvidence(w string) *evidence {
	if e, ok := c.words.get(w); ok {
		return e
	}
	e := &evidence{sums: make([]float64, len(c.classes))}
	for _, f := range wordFeatures(nil, w, c.vocab) {
		lp, ok := c.logp[f.key]
		if !ok {
			continue
		}
		fw := f.weight * c.idf[f.key]
		e.weight += fw
		e.background += fw * c.background[f.key]
		for i, l := range lp {
			e.sums[i] += fw * l
		}
	}
	c.words.put(w, e)
	return e
}

// rank turns log-likelihood sums into calibrated confidences.
func (c *Classifier) rank(sums []float64, weight, bg float64) []Score {
	scores := make([]Score, len(c.classes))
	if weight == 0 {
		for i, id := range c.classes {
			scores[i] = Score{id, 1 / float64(len(c.classes))}
		}
		return scores
	}
	maxSum := math.Inf(-1)
	for _, s := range sums {
		maxSum = math.Max(maxSum, s)
	}
	// Dividing by the square root of the evidence keeps long messages from
	// becoming certain just by being long.
	scale := sharpness / math.Sqrt(weight)
	var z float64
	for i, s := range sums {
		e := math.Exp((s - maxSum) * scale)
		scores[i] = Score{c.classes[i], e}
		z += e
	}
	evidence := max(0, maxSum-bg)
	trust := evidence / (evidence + evidenceHalf)
	flat := 1 / float64(len(scores))
	for i := range scores {
		scores[i].Confidence = trust*scores[i].Confidence/z + (1-trust)*flat
	}
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].Confidence > scores[j].Confidence })
	return scores
}
