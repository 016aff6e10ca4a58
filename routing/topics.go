package routing

import (
	"strings"
	"unicode/utf8"
)

// topicIndex finds which of a target's topics a message is about, to tag
// the message with them.
type topicIndex map[string][]topicWords

// topicWords is one topic with the stems of its content words.
type topicWords struct {
	topic string
	stems []string
}

// Topic tagging: a topic word is in a message when a message word starts
// with its stem and the stem is at least minStemShare of that word, so
// "sophämtning" is found in "sophämtningen" but "park" is not found in
// "parkeringstillståndet". A topic is a tag when at least half its words
// are in the message; at most maxTopics tags.
const (
	minStemShare = 0.45
	maxTopics    = 2
)

func newTopicIndex(a *Administrations) topicIndex {
	idx := make(topicIndex)
	for _, id := range a.IDs() {
		t, _ := a.Get(id)
		for _, topic := range t.Topics {
			var stems []string
			for _, w := range words(topic) {
				if !stopwords[w] && utf8.RuneCountInString(w) >= 3 {
					stems = append(stems, stem(fold(w)))
				}
			}
			if len(stems) > 0 {
				idx[id] = append(idx[id], topicWords{topic, stems})
			}
		}
	}
	return idx
}

// topics returns the topics of the target that text is about, in the
// configuration's order.
func (idx topicIndex) topics(administration, text string) []string {
	var msg []string
	for _, w := range words(text) {
		msg = append(msg, fold(w))
	}
	out := make([]string, 0, maxTopics)
	for _, tw := range idx[administration] {
		found := 0
		for _, s := range tw.stems {
			if inMessage(s, msg) {
				found++
			}
		}
		if 2*found >= len(tw.stems) && len(out) < maxTopics {
			out = append(out, tw.topic)
		}
	}
	return out
}

func inMessage(stem string, msg []string) bool {
	for _, w := range msg {
		if strings.HasPrefix(w, stem) && float64(len(stem)) >= minStemShare*float64(len(w)) &&
			!otherWordEndings[w[len(stem):]] {
			return true
		}
	}
	return false
}

// otherWordEndings make a word of the stem that is another word: a verb
// in -era made from a noun, or an English -ing. "parkera" and "parking"
// start with "park", the stem of the topic "parker", but are not parks.
var otherWordEndings = map[string]bool{"era": true, "erar": true, "erade": true, "erat": true, "ing": true}
