-- A triage is marked bystander when its message is a reply in a comment
-- thread by someone other than the thread's citizen (the author of the
-- top-level comment): the conversation's triage stays the citizen's.
-- Existing triage is marked from the messages and contacts stored. Keep
-- in step with migrations/sqlite/00037_triage_bystander.sql.

-- +goose Up
ALTER TABLE message_triage ADD COLUMN bystander BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE message_triage SET bystander = TRUE
WHERE message_id IN (
    SELECT m.id FROM messages m
    JOIN conversations c ON c.id = m.conversation_id
    JOIN contacts ct ON ct.id = c.contact_id
    WHERE m.direction = 'inbound' AND c.channel IN ('facebook_comment', 'instagram_comment')
        AND m.external_id <> c.thread_key AND m.author_external_id <> ct.external_id
);

-- +goose Down
ALTER TABLE message_triage DROP COLUMN bystander;
