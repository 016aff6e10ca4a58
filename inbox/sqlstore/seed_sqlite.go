package sqlstore

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// seedSQLite builds the same data set as seedSteps on SQLite, which has no
// generate_series, arrays, intervals or JSON builders: numbers come from a
// recursive CTE into a temporary table, picks from CASE expressions over
// named parameters, and times are written in timeLayout from Unix seconds.
func seedSQLite(tx *gorm.DB, opts SeedOptions, run string) error {
	args := map[string]any{
		"n": opts.Conversations, "per": opts.Messages / opts.Conversations, "extra": opts.Messages % opts.Conversations,
		"run": run, "now": toDBTime(opts.Now), "now_unix": opts.Now.Unix(),
	}
	for i, a := range seedAdministrations {
		args[fmt.Sprintf("a%d", i)] = a
	}
	for i, q := range seedQuestions {
		args[fmt.Sprintf("q%d", i)] = q
	}
	for i, step := range seedSQLiteSteps() {
		var params []any
		if strings.Contains(step, "@") {
			params = append(params, args)
		}
		if err := tx.Exec(step, params...).Error; err != nil {
			return fmt.Errorf("seed step %d: %w", i+1, err)
		}
	}
	return tx.Exec("ANALYZE").Error
}

// sqliteTime is the SQLite expression writing the Unix time in seconds expr
// in timeLayout.
func sqliteTime(expr string) string {
	return "(strftime('%Y-%m-%dT%H:%M:%S', " + expr + ", 'unixepoch') || '.000000Z')"
}

// sqlitePick is a CASE choosing the (expr % len(values))th of values.
func sqlitePick(expr string, values ...string) string {
	var b strings.Builder
	b.WriteString("CASE (" + expr + ") % " + fmt.Sprint(len(values)))
	for i, v := range values {
		fmt.Fprintf(&b, " WHEN %d THEN %s", i, v)
	}
	return b.String() + " END"
}

// sqliteParams names the parameters prefix0…prefix(n-1).
func sqliteParams(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("@%s%d", prefix, i)
	}
	return out
}

func seedSQLiteSteps() []string {
	admins := sqliteParams("a", len(seedAdministrations))
	questions := sqliteParams("q", len(seedQuestions))
	lastAt := sqliteTime("s.last_unix")
	firstAt := sqliteTime("s.last_unix - 600 * (s.msgs - 1)")
	return []string{
		`INSERT INTO accounts (platform, external_id, name, created_at)
		 VALUES ('facebook', @run || '-page', 'Göteborgs Stad', @now), ('instagram', @run || '-ig', 'goteborgsstads', @now)`,
		`CREATE TEMPORARY TABLE seed_n (g INTEGER PRIMARY KEY)`,
		`INSERT INTO seed_n (g) WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < MAX(@n, @per + 1, 40)) SELECT g FROM s`,
		`INSERT INTO users (name, role, administration_id, created_at)
		 SELECT @run || '-agent-' || g, 'agent', '', @now FROM seed_n WHERE g <= 40`,
		`INSERT INTO users (name, role, administration_id, created_at)
		 SELECT @run || '-specialist-' || g, 'specialist', ` + sqlitePick("g + 1", admins...) + `, @now FROM seed_n WHERE g <= 30`,
		`INSERT INTO user_administrations (user_id, administration_id)
		 SELECT id, administration_id FROM users WHERE name LIKE @run || '-specialist-%'`,
		`INSERT INTO contacts (platform, external_id, name, created_at, updated_at)
		 SELECT CASE WHEN g % 4 < 2 THEN 'facebook' ELSE 'instagram' END, @run || '-c-' || g, 'Medborgare ' || g, @now, @now
		 FROM seed_n WHERE g <= @n`,
		`CREATE TEMPORARY TABLE seed_conv AS
		 SELECT g,
		   CASE g % 4 WHEN 0 THEN 'messenger' WHEN 1 THEN 'facebook_comment' WHEN 2 THEN 'instagram_direct' ELSE 'instagram_comment' END AS channel,
		   CASE WHEN g % 4 < 2 THEN 'facebook' ELSE 'instagram' END AS platform,
		   @per + CASE WHEN g <= @extra THEN 1 ELSE 0 END AS msgs,
		   (g * 7919) % 100 AS roll,
		   @now_unix - (g * 104729) % 31536000 AS last_unix
		 FROM seed_n WHERE g <= @n`,
		`INSERT INTO conversations (account_id, account_external_id, platform, channel, thread_key, contact_id, status,
		   administration_id, assignee_id, preview, message_count, first_message_at, last_message_at, last_inbound_at,
		   created_at, updated_at, staff_tags, waiting_since, triage_language, triage_priority, triage_needs_human,
		   triage_sensitive, triage_tags)
		 SELECT a.id, a.external_id, s.platform, s.channel, @run || '-t-' || s.g, ct.id,
		   CASE WHEN s.roll < 70 THEN 'resolved' WHEN s.roll < 80 THEN 'new' WHEN s.roll < 88 THEN 'open'
		        WHEN s.roll < 93 THEN 'pending' WHEN s.roll < 98 THEN 'routed' ELSE 'spam' END,
		   CASE WHEN s.roll >= 93 OR s.g % 2 = 0 THEN ` + sqlitePick("s.g * 31", admins...) + ` ELSE '' END,
		   CASE WHEN s.roll >= 80 AND s.roll < 98 THEN (SELECT MIN(id) FROM users WHERE name LIKE @run || '-agent-%') + s.g % 40 END,
		   'Hej! En fråga om ' || ` + sqlitePick("s.g", "'sophämtning'", "'bygglov'", "'förskoleplats'", "'badhuset'", "'parkering'", "'vattenläckan'") + `,
		   s.msgs, ` + firstAt + `, ` + lastAt + `,
		   ` + sqliteTime("s.last_unix - 600 * ((s.msgs - 1) % 2)") + `, ` + firstAt + `, ` + lastAt + `,
		   CASE WHEN s.g % 20 = 0 THEN '["badhus"]' ELSE '[]' END,
		   CASE WHEN s.msgs % 2 = 1 AND s.roll >= 70 AND s.roll < 98 THEN ` + lastAt + ` END,
		   ` + sqlitePick("s.g", "'sv'", "'sv'", "'sv'", "'sv'", "'sv'", "'sv'", "'en'", "'ar'", "'so'", "'fa'", "'fi'") + `,
		   CASE WHEN s.g % 33 = 0 THEN 'urgent' WHEN s.g % 10 = 0 THEN 'low' ELSE 'normal' END,
		   s.g % 10 = 3, s.g % 50 = 7,
		   CASE WHEN s.g % 19 = 0 THEN '["kris_storm"]' ELSE '[]' END
		 FROM seed_conv s
		 JOIN accounts a ON a.platform = s.platform AND a.external_id = @run || CASE WHEN s.platform = 'facebook' THEN '-page' ELSE '-ig' END
		 JOIN contacts ct ON ct.platform = s.platform AND ct.external_id = @run || '-c-' || s.g
		 ORDER BY s.g`,
		`INSERT INTO messages (conversation_id, platform, external_id, direction, author_external_id, author_name, text, sent_at, created_at)
		 SELECT c.id, c.platform, c.thread_key || '-m-' || i.g,
		   CASE WHEN i.g % 2 = 1 THEN 'inbound' ELSE 'outbound' END,
		   CASE WHEN i.g % 2 = 1 THEN 'citizen-' || c.contact_id ELSE c.account_external_id END,
		   CASE WHEN i.g % 2 = 1 THEN 'Medborgare' ELSE 'Göteborgs Stad' END,
		   CASE WHEN i.g % 2 = 1
		     THEN ` + sqlitePick("c.id + i.g", questions...) + `
		     ELSE 'Hej! Här hittar du svaret: https://goteborg.se/wps/portal/start (ärende ' || c.id || ')' END,
		   ` + sqliteTime("unixepoch(c.first_message_at) + 600 * (i.g - 1)") + `, ` + sqliteTime("unixepoch(c.first_message_at) + 600 * (i.g - 1)") + `
		 FROM conversations c JOIN seed_n i ON i.g <= c.message_count
		 WHERE c.thread_key LIKE @run || '-t-%'`,
		`INSERT INTO message_triage (message_id, conversation_id, administration_id, confidence, language, priority, needs_human, result, triaged_at)
		 SELECT m.id, c.id, CASE WHEN c.administration_id = '' THEN 'demokrati-medborgarservice' ELSE c.administration_id END,
		   0.8, c.triage_language, c.triage_priority, c.triage_needs_human,
		   json_object('administration', CASE WHEN c.administration_id = '' THEN 'demokrati-medborgarservice' ELSE c.administration_id END,
		     'confidence', 0.8, 'alternatives', json('[]'), 'language', c.triage_language, 'language_confidence', 0.9,
		     'tags', json(c.triage_tags), 'priority', c.triage_priority, 'needs_human', json(CASE WHEN c.triage_needs_human THEN 'true' ELSE 'false' END),
		     'sensitive', json('[]'), 'hide_recommended', json('false'), 'suggestions', json('[]')),
		   c.first_message_at
		 FROM conversations c JOIN messages m ON m.platform = c.platform AND m.external_id = c.thread_key || '-m-1'
		 WHERE c.thread_key LIKE @run || '-t-%'`,
		`INSERT INTO audit_entries (actor_id, action, conversation_id, detail, created_at)
		 SELECT (SELECT MIN(id) FROM users WHERE name LIKE @run || '-agent-%') + c.id % 40, 'status', c.id,
		   '{"before":{"status":"open"},"after":{"status":"resolved"}}', c.last_message_at
		 FROM conversations c WHERE c.thread_key LIKE @run || '-t-%' AND c.status = 'resolved'`,
		`DROP TABLE seed_conv`,
		`DROP TABLE seed_n`,
	}
}
