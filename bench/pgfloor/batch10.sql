-- Ten citizens' comments, each starting a conversation, written by the same
-- statements as one.sql but ten rows to a statement: the floor of an ingest
-- that wrote several events per statement and per transaction.
\set n random(1, 100000000000)
\set c random(1, 5000)
BEGIN;
INSERT INTO contacts (platform, external_id, name, username, created_at, updated_at) SELECT 'facebook', 'floor' || (:c * 10 + g), 'Anna Andersson', '', now(), now() FROM generate_series(0, 9) g ON CONFLICT (platform, external_id) DO NOTHING;
WITH ins AS (INSERT INTO conversations (account_id, account_external_id, platform, channel, thread_key, contact_id, status, preview, message_count, first_message_at, last_message_at, last_inbound_at, created_at, updated_at, waiting_since) SELECT a.id, a.external_id, 'facebook', 'facebook_comment', 'floor' || (:n::bigint * 10 + g), (SELECT id FROM contacts WHERE platform = 'facebook' AND external_id = 'floor' || (:c * 10 + g)), 'new', 'Hej! Jag undrar när återvinningscentralen i Alelyckan öppnar på lördag?', 1, now(), now(), now(), now(), now(), now() FROM (SELECT id, external_id FROM accounts ORDER BY id LIMIT 1) a, generate_series(0, 9) g ON CONFLICT DO NOTHING RETURNING id, thread_key, contact_id),
st AS (INSERT INTO conversation_status_changes (conversation_id, status, at) SELECT id, 'new', now() FROM ins)
INSERT INTO messages (conversation_id, platform, external_id, direction, author_external_id, author_name, text, sent_at, created_at) SELECT id, 'facebook', thread_key, 'inbound', 'floor' || contact_id, 'Anna Andersson', 'Hej! Jag undrar när återvinningscentralen i Alelyckan öppnar på lördag? Och kan man lämna elavfall där 🙂', now(), now() FROM ins;
END;
