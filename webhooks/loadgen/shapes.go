package loadgen

import (
	"fmt"
	"time"
)

// Scoped-id ranges of the generated citizens, far from real ids.
const (
	commenterBase = 9100000000000000
	psidBase      = 9200000000000000
	igsidBase     = 9300000000000000
	igUserBase    = 9400000000000000
)

// change wraps one change for one account, times in seconds.
func change(object, account, field string, at time.Time, value any) []byte {
	return encode(envelopeJSON{Object: object, Entry: []entryJSON{{
		ID: account, Time: at.Unix(), Changes: []changeJSON{{Field: field, Value: value}},
	}}})
}

// messaging wraps messaging items for one account, times in milliseconds.
func messaging(object, account string, at time.Time, items ...messagingJSON) []byte {
	return encode(envelopeJSON{Object: object, Entry: []entryJSON{{
		ID: account, Time: at.UnixMilli(), Messaging: items,
	}}})
}

// item is one messaging item from sender to the account.
func item(sender, account string, at time.Time) messagingJSON {
	return messagingJSON{Sender: partyJSON{ID: sender}, Recipient: partyJSON{ID: account}, Timestamp: at.UnixMilli()}
}

func (g *Generator) facebookComment(at time.Time) Delivery {
	post := fmt.Sprintf("%d", 7000+g.rnd.IntN(40))
	c := comment{
		post:     post,
		id:       post + "_" + g.id(),
		fromID:   g.citizen(commenterBase),
		fromName: names[g.rnd.IntN(len(names))],
	}
	g.comments.add(c)
	postID := g.cfg.PageID + "_" + post
	body := change("page", g.cfg.PageID, "feed", at, feedJSON{
		Item: "comment", Verb: "add", CommentID: c.id, PostID: postID, ParentID: postID,
		From: partyJSON{ID: c.fromID, Name: c.fromName}, CreatedTime: at.Unix(), Message: question(g.rnd),
	})
	return Delivery{Kind: KindFacebookComment, Body: body, Events: 1}
}

func (g *Generator) facebookReply(at time.Time) Delivery {
	parent := g.comments.pick(g.rnd)
	body := change("page", g.cfg.PageID, "feed", at, feedJSON{
		Item: "comment", Verb: "add",
		CommentID: parent.post + "_" + g.id(), PostID: g.cfg.PageID + "_" + parent.post, ParentID: parent.id,
		From:        partyJSON{ID: g.citizen(commenterBase), Name: names[g.rnd.IntN(len(names))]},
		CreatedTime: at.Unix(), Message: replies[g.rnd.IntN(len(replies))],
	})
	return Delivery{Kind: KindFacebookReply, Body: body, Events: 1}
}

func (g *Generator) facebookEdited(at time.Time) Delivery {
	c := g.comments.pick(g.rnd)
	postID := g.cfg.PageID + "_" + c.post
	body := change("page", g.cfg.PageID, "feed", at, feedJSON{
		Item: "comment", Verb: "edited", CommentID: c.id, PostID: postID, ParentID: postID,
		From: partyJSON{ID: c.fromID, Name: c.fromName}, CreatedTime: at.Unix(), Message: edited(question(g.rnd)),
	})
	return Delivery{Kind: KindFacebookEdited, Body: body, Events: 1}
}

// newMessage returns a Messenger item from one of the citizens and
// remembers it for edits.
func (g *Generator) newMessage(at time.Time, msg messageJSON) messagingJSON {
	m := message{mid: "m_" + g.id(), sender: g.citizen(psidBase)}
	g.messages.add(m)
	it := item(m.sender, g.cfg.PageID, at)
	msg.Mid = m.mid
	it.Message = &msg
	return it
}

func (g *Generator) messengerText(at time.Time) Delivery {
	it := g.newMessage(at, messageJSON{Text: question(g.rnd)})
	return Delivery{Kind: KindMessengerText, Body: messaging("page", g.cfg.PageID, at, it), Events: 1}
}

func (g *Generator) messengerImage(at time.Time) Delivery {
	url := fmt.Sprintf("https://scontent.xx.fbcdn.net/v/t1.15752-9/%s_n.jpg", g.id())
	it := g.newMessage(at, messageJSON{Attachments: []attachmentJSON{{Type: "image", Payload: payloadJSON{URL: url}}}})
	return Delivery{Kind: KindMessengerImage, Body: messaging("page", g.cfg.PageID, at, it), Events: 1}
}

func (g *Generator) messengerEdit(at time.Time) Delivery {
	m := g.messages.pick(g.rnd)
	it := item(m.sender, g.cfg.PageID, at)
	it.MessageEdit = &editJSON{Mid: m.mid, Text: edited(question(g.rnd)), NumEdit: 1}
	return Delivery{Kind: KindMessengerEdit, Body: messaging("page", g.cfg.PageID, at, it), Events: 1}
}

// messengerBatch is several messages in one delivery, as Meta batches
// them under load.
func (g *Generator) messengerBatch(at time.Time) Delivery {
	n := 2 + g.rnd.IntN(4)
	items := make([]messagingJSON, n)
	for i := range items {
		if i > 0 {
			g.seq++
		}
		items[i] = g.newMessage(at.Add(time.Duration(i)*time.Millisecond), messageJSON{Text: question(g.rnd)})
	}
	return Delivery{Kind: KindMessengerBatch, Body: messaging("page", g.cfg.PageID, at, items...), Events: n}
}

func (g *Generator) instagramDirect(at time.Time) Delivery {
	it := item(g.citizen(igsidBase), g.cfg.InstagramID, at)
	it.Message = &messageJSON{Mid: "aWdfZAG1faXRlbToxOklHTWVzc2FnZAU" + g.id(), Text: question(g.rnd)}
	return Delivery{Kind: KindInstagramDirect, Body: messaging("instagram", g.cfg.InstagramID, at, it), Events: 1}
}

func (g *Generator) instagramComment(at time.Time) Delivery {
	user := g.citizen(igUserBase)
	body := change("instagram", g.cfg.InstagramID, "comments", at, igCommentJSON{
		ID:    "1801" + g.id(),
		Text:  question(g.rnd),
		From:  partyJSON{ID: user, Username: "gbg_" + user[len(user)-5:]},
		Media: mediaJSON{ID: fmt.Sprintf("1790%d", 100+g.rnd.IntN(20)), MediaProductType: "FEED"},
	})
	return Delivery{Kind: KindInstagramComment, Body: body, Events: 1}
}

// ProbeDelivery returns a Messenger text message from sender to the Page,
// with a mid the caller chose so that it can look for it in the API.
func ProbeDelivery(pageID, sender, mid, text string, at time.Time) []byte {
	if pageID == "" {
		pageID = DefaultPageID
	}
	it := item(sender, pageID, at)
	it.Message = &messageJSON{Mid: mid, Text: text}
	return messaging("page", pageID, at, it)
}
