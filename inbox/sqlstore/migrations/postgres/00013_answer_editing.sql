-- Answer bank editing and its quality loop: every editor change with the
-- article before and after, which article links agents sent in which
-- replies, and a version every change bumps so running servers notice
-- changes made elsewhere (an import on the command line, another
-- instance) and refresh their search index.

-- +goose Up
CREATE TABLE answer_article_audit (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id BIGINT NOT NULL,
    url        TEXT    NOT NULL,
    actor_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action     TEXT    NOT NULL,
    before_doc TEXT    NOT NULL DEFAULT '',
    after_doc  TEXT    NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX answer_article_audit_article ON answer_article_audit (article_id, id);

CREATE TABLE answer_article_uses (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id      BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    url             TEXT    NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (message_id, url)
);
CREATE INDEX answer_article_uses_url ON answer_article_uses (url);

CREATE TABLE answer_bank_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO answer_bank_version (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE answer_bank_version;
DROP TABLE answer_article_uses;
DROP TABLE answer_article_audit;
