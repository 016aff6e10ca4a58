package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"inkorg/inbox"
)

// SeedOptions size a synthetic data set for load tests.
type SeedOptions struct {
	Conversations int
	Messages      int
	// Force seeds even when the database already holds conversations.
	Force bool
	// Now is the end of the seeded year of traffic.
	Now time.Time
}

// seedAdministrations are the administrations seeded conversations are
// routed to and seeded specialists belong to.
var seedAdministrations = []string{
	"demokrati-medborgarservice", "idrott-forening", "kretslopp-vatten", "kultur", "stadsmiljo",
	"stadsbyggnad", "forskola", "grundskola", "social", "aldre", "miljo", "parkering-goteborg",
	"framtiden-bostader", "utbildning", "stadsfastighet",
}

// seedQuestions are what seeded citizens ask. They are a parameter, not
// literals, since gorm reads a question mark in a statement as a
// placeholder.
var seedQuestions = []string{
	"När hämtas soporna på min gata?", "Hur söker jag bygglov för en altan?", "Finns det plats på förskolan i Majorna?",
	"När öppnar Valhallabadet igen?", "Var får jag parkera med boendeparkering?", "Vattnet är avstängt på Hisingen, varför?",
}

// Seed fills the database with a year of synthetic conversations (comment
// threads and private threads on both platforms, every status, routed to
// administrations, held by seeded staff, triaged) and messages spread
// evenly over them, with set-based SQL so a million rows take seconds on
// PostgreSQL (SQLite, the embedded default, gets the same data set more
// slowly). Only for load tests: it refuses a database that already holds
// conversations unless opts.Force.
func (db *DB) Seed(ctx context.Context, opts SeedOptions) error {
	switch {
	case opts.Conversations <= 0 || opts.Messages < opts.Conversations:
		return inbox.Errorf(inbox.EINVALID, "Seed at least one conversation and at least one message per conversation.")
	}
	g := db.gorm.WithContext(ctx)
	var busy bool
	if err := g.Raw("SELECT EXISTS (SELECT 1 FROM conversations)").Scan(&busy).Error; err != nil {
		return translate(err, "Seed")
	}
	if busy && !opts.Force {
		return inbox.Errorf(inbox.ECONFLICT, "The database already holds conversations; seed only an empty one (or pass --force).")
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	run := fmt.Sprintf("s%d", opts.Now.UnixNano()) // keeps external ids unique when seeding again
	if db.dialect == DialectSQLite {
		return g.Transaction(func(tx *gorm.DB) error {
			return translate(seedSQLite(tx, opts, run), "Seed")
		})
	}
	err := g.Transaction(func(tx *gorm.DB) error {
		args := map[string]any{
			"n": opts.Conversations, "per": opts.Messages / opts.Conversations, "extra": opts.Messages % opts.Conversations,
			"run": run, "now": opts.Now.UTC(), "admins": strings.Join(seedAdministrations, ","),
			"questions": strings.Join(seedQuestions, "|"),
		}
		for i, step := range seedSteps {
			if err := tx.Exec(step, args).Error; err != nil {
				return translate(fmt.Errorf("seed step %d: %w", i+1, err), "Seed")
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Fresh statistics, so the first queries plan well, and a vacuum, so
	// the first readers do not each set the new rows' hint bits and index-
	// only scans (the queue counts) need not visit the table. VACUUM
	// cannot run in a transaction.
	err = g.Exec("VACUUM (ANALYZE) conversations, messages, message_triage, contacts, audit_entries, users").Error
	return translate(err, "Seed")
}

// seedSteps build the data set in order. Conversation g (1…n) has per
// messages, one more when g <= extra, ten minutes apart, inbound first;
// its last message lies somewhere in the year before now.
var seedSteps = []string{
	`INSERT INTO accounts (platform, external_id, name, created_at)
	 VALUES ('facebook', CAST(@run AS text) || '-page', 'Göteborgs Stad', @now), ('instagram', CAST(@run AS text) || '-ig', 'goteborgsstads', @now)`,
	`INSERT INTO users (name, role, administration_id, created_at)
	 SELECT CAST(@run AS text) || '-agent-' || i, 'agent', '', @now FROM generate_series(1, 40) i`,
	`INSERT INTO users (name, role, administration_id, created_at)
	 SELECT CAST(@run AS text) || '-specialist-' || i, 'specialist', (string_to_array(@admins, ','))[1 + i % 15], @now FROM generate_series(1, 30) i`,
	`INSERT INTO user_administrations (user_id, administration_id)
	 SELECT id, administration_id FROM users WHERE name LIKE CAST(@run AS text) || '-specialist-%'`,
	`INSERT INTO contacts (platform, external_id, name, created_at, updated_at)
	 SELECT CASE WHEN g % 4 < 2 THEN 'facebook' ELSE 'instagram' END, CAST(@run AS text) || '-c-' || g, 'Medborgare ' || g, @now, @now
	 FROM generate_series(1, @n) g`,
	`CREATE TEMPORARY TABLE seed_conv ON COMMIT DROP AS
	 SELECT g,
	   CASE g % 4 WHEN 0 THEN 'messenger' WHEN 1 THEN 'facebook_comment' WHEN 2 THEN 'instagram_direct' ELSE 'instagram_comment' END AS channel,
	   CASE WHEN g % 4 < 2 THEN 'facebook' ELSE 'instagram' END AS platform,
	   @per + CASE WHEN g <= @extra THEN 1 ELSE 0 END AS msgs,
	   (g::bigint * 7919) % 100 AS roll,
	   CAST(@now AS timestamptz) - make_interval(secs => (g::bigint * 104729) % 31536000) AS last_at
	 FROM generate_series(1, @n) g`,
	`INSERT INTO conversations (account_id, account_external_id, platform, channel, thread_key, contact_id, status,
	   administration_id, assignee_id, preview, message_count, first_message_at, last_message_at, last_inbound_at,
	   created_at, updated_at, staff_tags, waiting_since, triage_language, triage_priority, triage_needs_human,
	   triage_sensitive, triage_tags)
	 SELECT a.id, a.external_id, s.platform, s.channel, CAST(@run AS text) || '-t-' || s.g, ct.id,
	   CASE WHEN s.roll < 70 THEN 'resolved' WHEN s.roll < 80 THEN 'new' WHEN s.roll < 88 THEN 'open'
	        WHEN s.roll < 93 THEN 'pending' WHEN s.roll < 98 THEN 'routed' ELSE 'spam' END,
	   CASE WHEN s.roll >= 93 OR s.g % 2 = 0 THEN (string_to_array(@admins, ','))[1 + (s.g * 31) % 15] ELSE '' END,
	   CASE WHEN s.roll >= 80 AND s.roll < 98 THEN (SELECT MIN(id) FROM users WHERE name LIKE CAST(@run AS text) || '-agent-%') + s.g % 40 END,
	   'Hej! En fråga om ' || (ARRAY['sophämtning', 'bygglov', 'förskoleplats', 'badhuset', 'parkering', 'vattenläckan'])[1 + s.g % 6],
	   s.msgs, s.last_at - make_interval(mins => 10 * (s.msgs - 1)), s.last_at,
	   s.last_at - make_interval(mins => 10 * ((s.msgs - 1) % 2)), s.last_at - make_interval(mins => 10 * (s.msgs - 1)), s.last_at,
	   CASE WHEN s.g % 20 = 0 THEN '["badhus"]' ELSE '[]' END,
	   CASE WHEN s.msgs % 2 = 1 AND s.roll >= 70 AND s.roll < 98 THEN s.last_at END,
	   (ARRAY['sv', 'sv', 'sv', 'sv', 'sv', 'sv', 'en', 'ar', 'so', 'fa', 'fi'])[1 + s.g % 11],
	   CASE WHEN s.g % 33 = 0 THEN 'urgent' WHEN s.g % 10 = 0 THEN 'low' ELSE 'normal' END,
	   s.g % 10 = 3, s.g % 50 = 7,
	   CASE WHEN s.g % 19 = 0 THEN '["kris_storm"]' ELSE '[]' END
	 FROM seed_conv s
	 JOIN accounts a ON a.platform = s.platform AND a.external_id = CAST(@run AS text) || CASE WHEN s.platform = 'facebook' THEN '-page' ELSE '-ig' END
	 JOIN contacts ct ON ct.platform = s.platform AND ct.external_id = CAST(@run AS text) || '-c-' || s.g
	 ORDER BY s.g`,
	`INSERT INTO messages (conversation_id, platform, external_id, direction, author_external_id, author_name, text, sent_at, created_at)
	 SELECT c.id, c.platform, c.thread_key || '-m-' || i,
	   CASE WHEN i % 2 = 1 THEN 'inbound' ELSE 'outbound' END,
	   CASE WHEN i % 2 = 1 THEN 'citizen-' || c.contact_id ELSE c.account_external_id END,
	   CASE WHEN i % 2 = 1 THEN 'Medborgare' ELSE 'Göteborgs Stad' END,
	   CASE WHEN i % 2 = 1
	     THEN (string_to_array(@questions, '|'))[1 + (c.id + i) % 6]
	     ELSE 'Hej! Här hittar du svaret: https://goteborg.se/wps/portal/start (ärende ' || c.id || ')' END,
	   c.first_message_at + make_interval(mins => 10 * (i - 1)), c.first_message_at + make_interval(mins => 10 * (i - 1))
	 FROM conversations c CROSS JOIN LATERAL generate_series(1, c.message_count) i
	 WHERE c.thread_key LIKE CAST(@run AS text) || '-t-%'`,
	`INSERT INTO message_triage (message_id, conversation_id, administration_id, confidence, language, priority, needs_human, result, triaged_at)
	 SELECT m.id, c.id, CASE WHEN c.administration_id = '' THEN 'demokrati-medborgarservice' ELSE c.administration_id END,
	   0.8, c.triage_language, c.triage_priority, c.triage_needs_human,
	   json_build_object('administration', CASE WHEN c.administration_id = '' THEN 'demokrati-medborgarservice' ELSE c.administration_id END,
	     'confidence', 0.8, 'alternatives', '[]'::json, 'language', c.triage_language, 'language_confidence', 0.9,
	     'tags', c.triage_tags::json, 'priority', c.triage_priority, 'needs_human', c.triage_needs_human,
	     'sensitive', '[]'::json, 'hide_recommended', false, 'suggestions', '[]'::json)::text,
	   c.first_message_at
	 FROM conversations c JOIN messages m ON m.platform = c.platform AND m.external_id = c.thread_key || '-m-1'
	 WHERE c.thread_key LIKE CAST(@run AS text) || '-t-%'`,
	`INSERT INTO audit_entries (actor_id, action, conversation_id, detail, created_at)
	 SELECT (SELECT MIN(id) FROM users WHERE name LIKE CAST(@run AS text) || '-agent-%') + c.id % 40, 'status', c.id,
	   '{"before":{"status":"open"},"after":{"status":"resolved"}}', c.last_message_at
	 FROM conversations c WHERE c.thread_key LIKE CAST(@run AS text) || '-t-%' AND c.status = 'resolved'`,
}
