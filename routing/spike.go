package routing

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"inkorg/inbox"
)

// SpikeConfig tunes crisis and spike detection.
type SpikeConfig struct {
	// Window is the recent span compared with the usual rate.
	Window time.Duration
	// Baseline is the span before the window that gives the usual rate.
	Baseline time.Duration
	// MinCount is the fewest conversations in the window that can make a
	// spike: a handful is never a crisis.
	MinCount int
	// Factor is how many times the usual count the window must hold.
	Factor float64
	// Similarity is the share of words two messages must have in common
	// (Jaccard) to count as near-identical.
	Similarity float64
	// Limit bounds how many triaged messages one detection reads.
	Limit int
	// MinHistory is the least history before the window that gives a
	// usual rate: with less (inkorg was started on a new database a moment
	// ago), no tag is known to have risen, and only bursts of
	// near-identical messages are raised.
	MinHistory time.Duration
}

// DefaultSpikeConfig returns the settings inkorg ships with: at least 10
// conversations in 15 minutes, and at least 4 times the rate of the 6
// hours before, or of the history there is when it is shorter but at least
// an hour.
func DefaultSpikeConfig() SpikeConfig {
	return SpikeConfig{Window: 15 * time.Minute, Baseline: 6 * time.Hour, MinCount: 10, Factor: 4,
		Similarity: 0.6, Limit: 20000, MinHistory: time.Hour}
}

// Spike is one topic that rose: the alert to raise and the conversations
// to tag.
type Spike struct {
	Kind            inbox.AlertKind
	Topic           string
	Count           int
	Baseline        float64
	ConversationIDs []int64
}

// ignoredTags never make a spike: praise and spam are not a crisis.
var ignoredTags = map[string]bool{"beröm": true, "spam": true}

// DetectSpikes compares the messages triaged in the window ending at end
// with those of the baseline span before it: a triage tag whose
// conversations in the window are at least MinCount and Factor times its
// usual count is a spike, and so is a burst of at least MinCount
// conversations with near-identical texts. msgs may hold older messages;
// they are ignored. history is when the first message was triaged (the
// zero time when unknown): when it falls within the baseline span, the
// usual count is measured over the history there is, and below MinHistory
// of it no tag spike is raised — on a new database every tag would rise
// from nothing.
func DetectSpikes(msgs []inbox.TriagedMessage, end, history time.Time, cfg SpikeConfig) []Spike {
	windowStart := end.Add(-cfg.Window)
	baseStart := windowStart.Add(-cfg.Baseline)
	span := cfg.Baseline
	if history.After(baseStart) {
		span = windowStart.Sub(history)
	}
	var window []inbox.TriagedMessage
	baseline := map[string]map[int64]bool{}
	for _, m := range msgs {
		switch {
		case m.TriagedAt.After(end) || m.TriagedAt.Before(baseStart):
		case !m.TriagedAt.Before(windowStart):
			window = append(window, m)
		default:
			for _, tag := range m.Tags {
				addTo(baseline, tag, m.ConversationID)
			}
		}
	}
	var spikes []Spike
	if span > 0 && span >= cfg.MinHistory {
		spikes = tagSpikes(window, baseline, span, cfg)
	}
	return append(spikes, duplicateBursts(window, cfg)...)
}

func addTo(sets map[string]map[int64]bool, key string, id int64) {
	if sets[key] == nil {
		sets[key] = map[int64]bool{}
	}
	sets[key][id] = true
}

// tagSpikes finds the tags that rose, most conversations first; baseline
// holds each tag's conversations of the span before the window.
func tagSpikes(window []inbox.TriagedMessage, baseline map[string]map[int64]bool, span time.Duration, cfg SpikeConfig) []Spike {
	recent := map[string]map[int64]bool{}
	for _, m := range window {
		for _, tag := range m.Tags {
			if !ignoredTags[tag] {
				addTo(recent, tag, m.ConversationID)
			}
		}
	}
	perWindow := float64(cfg.Window) / float64(span)
	var out []Spike
	for tag, convs := range recent {
		usual := float64(len(baseline[tag])) * perWindow
		if len(convs) < cfg.MinCount || float64(len(convs)) < cfg.Factor*usual {
			continue
		}
		out = append(out, Spike{Kind: inbox.AlertSpike, Topic: tag, Count: len(convs),
			Baseline: round3(usual), ConversationIDs: sortedIDs(convs)})
	}
	slices.SortFunc(out, func(a, b Spike) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Topic, b.Topic)
	})
	return out
}

func sortedIDs(set map[int64]bool) []int64 {
	ids := make([]int64, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// cluster is a group of near-identical messages.
type cluster struct {
	rep   []string // the first message's words, sorted
	first string   // the first message's text, whose word order names the topic
	words map[string]int
	convs map[int64]bool
	size  int
}

// duplicateBursts clusters the window's texts by shared words and returns
// the clusters of at least MinCount conversations. Spam is left out: a
// wave of it is no crisis to answer.
func duplicateBursts(window []inbox.TriagedMessage, cfg SpikeConfig) []Spike {
	var clusters []*cluster
	postings := map[string][]int{}          // word → clusters whose representative has it
	for i := len(window) - 1; i >= 0; i-- { // oldest first: the first message is the representative
		m := window[i]
		ws := contentWords(m.Text)
		if len(ws) < 3 || slices.Contains(m.Tags, "spam") {
			continue
		}
		c := bestCluster(ws, clusters, postings, cfg.Similarity)
		if c == nil {
			c = &cluster{rep: ws, first: m.Text, words: map[string]int{}, convs: map[int64]bool{}}
			for _, w := range ws {
				postings[w] = append(postings[w], len(clusters))
			}
			clusters = append(clusters, c)
		}
		c.size++
		c.convs[m.ConversationID] = true
		for _, w := range ws {
			c.words[w]++
		}
	}
	var out []Spike
	for _, c := range clusters {
		if len(c.convs) >= cfg.MinCount {
			out = append(out, Spike{Kind: inbox.AlertDuplicates, Topic: c.topic(), Count: len(c.convs),
				ConversationIDs: sortedIDs(c.convs)})
		}
	}
	return out
}

// bestCluster returns the cluster whose representative shares the most
// words with ws, when the share reaches similarity; nil otherwise.
func bestCluster(ws []string, clusters []*cluster, postings map[string][]int, similarity float64) *cluster {
	overlap := map[int]int{}
	for _, w := range ws {
		for _, ci := range postings[w] {
			overlap[ci]++
		}
	}
	var best *cluster
	bestScore := similarity
	for ci, n := range overlap {
		score := float64(n) / float64(len(ws)+len(clusters[ci].rep)-n)
		if score >= bestScore {
			best, bestScore = clusters[ci], score
		}
	}
	return best
}

// contentWords returns the distinct words of text that say something,
// sorted: no stop words, no short words and nothing with a digit, so
// numbers people write (phone or personal identity numbers) never name a
// topic.
func contentWords(text string) []string {
	var out []string
	for _, w := range words(text) {
		if stopwords[w] || utf8.RuneCountInString(w) < 3 || strings.ContainsFunc(w, unicode.IsDigit) {
			continue
		}
		out = append(out, w)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// topic names a cluster by the first three words of its first message
// that at least half its messages share, so it reads as people wrote it.
func (c *cluster) topic() string {
	var parts []string
	for _, w := range words(c.first) {
		if len(parts) < 3 && 2*c.words[w] >= c.size && !slices.Contains(parts, w) {
			parts = append(parts, w)
		}
	}
	return strings.Join(parts, "-")
}

// CrisisTag returns the tag for conversations of an alert on topic:
// "kris:" and the topic, within the length a tag may have.
func CrisisTag(topic string) string {
	tag := inbox.NormalizeTag(inbox.CrisisTagPrefix + strings.ReplaceAll(topic, ",", " "))
	if utf8.RuneCountInString(tag) > inbox.MaxTagLength {
		tag = string([]rune(tag)[:inbox.MaxTagLength])
	}
	return tag
}
