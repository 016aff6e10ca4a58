// Package demo builds sample Meta webhook deliveries with realistic citizen
// questions to Göteborgs Stad, for `inkorg serve --demo`. The deliveries
// have the shapes Meta sends and fixed platform ids, so replaying them again
// changes nothing.
package demo

import (
	"encoding/json"
	"fmt"
	"time"
)

// PageID is the demo Facebook Page id (made up; Göteborgs Stad's real Page
// id is configured with `inkorg accounts add`).
const PageID = "104937265871234"

// sample is one citizen message in the demo.
type sample struct {
	messenger bool
	id        string // comment id suffix or Messenger mid
	parent    string // comment id suffix this comment replies to
	post      string // post id suffix
	fromID    string
	fromName  string
	minsAgo   int
	text      string
}

var samples = []sample{
	{id: "810001", post: "7001", fromID: "5550001", fromName: "Karin Lindqvist", minsAgo: 95,
		text: "Hej! När töms soptunnorna i Majorna efter helgen? Vår har inte tömts sedan förra veckan."},
	{id: "810002", post: "7001", parent: "810001", fromID: "5550002", fromName: "Erik Johansson", minsAgo: 80,
		text: "Samma här i Kungsladugård, det luktar rejält nu."},
	{id: "810003", post: "7002", fromID: "5550003", fromName: "Ahmed Hassan", minsAgo: 64,
		text: "Hur ansöker jag om bygglov för ett uterum? Hittar inte blanketten på goteborg.se"},
	{messenger: true, id: "m_demo_0001", fromID: "6660001", minsAgo: 52,
		text: "Hej, jag har fått en parkeringsbot fast jag har parkeringstillstånd för rörelsehindrade. Vart vänder jag mig?"},
	{messenger: true, id: "m_demo_0002", fromID: "6660002", minsAgo: 41,
		text: "Min son ska börja förskola i augusti. Hur lång är kön i Angered och hur söker man plats?"},
	{id: "810004", post: "7003", fromID: "5550004", fromName: "Lena Berg", minsAgo: 33,
		text: "Varför är det så dåligt plogat på cykelbanan längs Allén? Halkade i morse."},
	{messenger: true, id: "m_demo_0003", fromID: "6660003", minsAgo: 25,
		text: "Hello, I just moved to Gothenburg. How do I get a library card, and is it free?"},
	{messenger: true, id: "m_demo_0004", fromID: "6660004", minsAgo: 14,
		text: "مرحبا، كيف أتقدم بطلب للحصول على المساعدة المالية (försörjningsstöd)؟"},
	{id: "810005", post: "7004", fromID: "5550005", fromName: "Maja Nilsson", minsAgo: 6,
		text: "Tack för att ni lagade gatlyktorna på Hisingen så snabbt! 👏"},
}

// Deliveries returns one webhook body per sample message, timed relative
// to now.
func Deliveries(now time.Time) [][]byte {
	out := make([][]byte, 0, len(samples))
	for _, s := range samples {
		at := now.Add(-time.Duration(s.minsAgo) * time.Minute)
		var body any
		if s.messenger {
			body = messengerDelivery(s, at)
		} else {
			body = commentDelivery(s, at)
		}
		b, err := json.Marshal(body)
		if err != nil {
			panic(fmt.Sprintf("demo delivery: %v", err)) // static data: cannot happen
		}
		out = append(out, b)
	}
	return out
}

func commentDelivery(s sample, at time.Time) map[string]any {
	postID := PageID + "_" + s.post
	parentID := postID
	if s.parent != "" {
		parentID = s.post + "_" + s.parent
	}
	return map[string]any{
		"object": "page",
		"entry": []any{map[string]any{
			"id":   PageID,
			"time": at.Unix(),
			"changes": []any{map[string]any{
				"field": "feed",
				"value": map[string]any{
					"item":         "comment",
					"verb":         "add",
					"comment_id":   s.post + "_" + s.id,
					"post_id":      postID,
					"parent_id":    parentID,
					"from":         map[string]any{"id": s.fromID, "name": s.fromName},
					"created_time": at.Unix(),
					"message":      s.text,
				},
			}},
		}},
	}
}

func messengerDelivery(s sample, at time.Time) map[string]any {
	ms := at.UnixMilli()
	return map[string]any{
		"object": "page",
		"entry": []any{map[string]any{
			"id":   PageID,
			"time": ms,
			"messaging": []any{map[string]any{
				"sender":    map[string]any{"id": s.fromID},
				"recipient": map[string]any{"id": PageID},
				"timestamp": ms,
				"message":   map[string]any{"mid": s.id, "text": s.text},
			}},
		}},
	}
}
