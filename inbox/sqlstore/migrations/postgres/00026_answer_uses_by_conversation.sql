-- A change to a citizen's message or a removal of personal data looks up
-- whether a reply in the conversation linked the answer bank (its
-- questions may be learnt search text). Keep in step with
-- migrations/sqlite/00026_answer_uses_by_conversation.sql.

-- +goose Up
CREATE INDEX answer_article_uses_conversation ON answer_article_uses (conversation_id);

-- +goose Down
DROP INDEX answer_article_uses_conversation;
