package demo

import "time"

// Post is one of the demo Page's posts the sample comments were written
// on, as the Graph API would describe it.
type Post struct {
	ID        string // full post id, PageID_suffix
	Text      string
	Permalink string
	Created   time.Time
}

// postTexts are the demo Page's posts by id suffix.
var postTexts = []struct {
	suffix   string
	hoursAgo int
	text     string
}{
	{"7001", 30, "Sophämtningen i helgen: på grund av helgdagen kan tömningen i vissa områden bli en dag senare än vanligt. Tack för ert tålamod!"},
	{"7002", 50, "Vill du bygga till, bygga om eller sätta upp ett uterum? Läs om när du behöver bygglov och hur du ansöker."},
	{"7003", 8, "Snön har kommit! Så här prioriterar vi snöröjningen av gator, gång- och cykelbanor i Göteborg."},
	{"7004", 3, "Under november byter vi gatubelysningen på Hisingen till LED. Ser du en lykta som inte lyser? Tipsa oss!"},
}

// Posts returns the posts the sample comments refer to, created relative
// to now.
func Posts(now time.Time) []Post {
	out := make([]Post, 0, len(postTexts))
	for _, p := range postTexts {
		id := PageID + "_" + p.suffix
		out = append(out, Post{
			ID:        id,
			Text:      p.text,
			Permalink: "https://www.facebook.com/" + PageID + "/posts/" + p.suffix,
			Created:   now.Add(-time.Duration(p.hoursAgo) * time.Hour).Truncate(time.Second),
		})
	}
	return out
}
