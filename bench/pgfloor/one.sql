-- One citizen's comment starting a conversation, one per transaction: the
-- least PostgreSQL must write for it (the contact, the conversation with its
-- first status, the message), with the schema and indexes of inkorg migrate.
-- inkorg writes more (the message's lock, the raw delivery, the triage);
-- this is a floor. Run it with run.sh.
\set n random(1, 1000000000000)
\set c random(1, 50000)
BEGIN;
INSERT INTO contacts (platform, external_id, name, username, created_at, updated_at) VALUES ('facebook', 'floor' || :c, 'Anna Andersson', '', now(), now()) ON CONFLICT (platform, external_id) DO NOTHING;
WITH ins AS (INSERT INTO conversations (account_id, account_external_id, platform, channel, thread_key, contact_id, status, preview, message_count, first_message_at, last_message_at, last_inbound_at, created_at, updated_at, waiting_since) SELECT a.id, a.external_id, 'facebook', 'facebook_comment', 'floor' || :n, (SELECT id FROM contacts WHERE platform = 'facebook' AND external_id = 'floor' || :c), 'new', 'Hej! Jag undrar när återvinningscentralen i Alelyckan öppnar på lördag?', 1, now(), now(), now(), now(), now(), now() FROM (SELECT id, external_id FROM accounts ORDER BY id LIMIT 1) a ON CONFLICT DO NOTHING RETURNING id),
st AS (INSERT INTO conversation_status_changes (conversation_id, status, at) SELECT id, 'new', now() FROM ins)
INSERT INTO messages (conversation_id, platform, external_id, direction, author_external_id, author_name, text, sent_at, created_at) SELECT id, 'facebook', 'floor' || :n, 'inbound', 'floor' || :c, 'Anna Andersson', 'Hej! Jag undrar när återvinningscentralen i Alelyckan öppnar på lördag? Och kan man lämna elavfall där 🙂', now(), now() FROM ins;
END;
