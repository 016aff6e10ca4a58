-- +goose Up
-- answer_articles is the answer bank: goteborg.se pages agents link in
-- their replies. The search index (bleve or Meilisearch) is rebuilt from
-- this table. List columns hold JSON arrays, templates a JSON object.
CREATE TABLE answer_articles (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url            TEXT        NOT NULL UNIQUE,
    title          TEXT        NOT NULL,
    summary        TEXT        NOT NULL DEFAULT '',
    body           TEXT        NOT NULL DEFAULT '',
    administration TEXT        NOT NULL DEFAULT '',
    language       TEXT        NOT NULL DEFAULT 'sv',
    topic          TEXT        NOT NULL DEFAULT '',
    keywords       TEXT        NOT NULL DEFAULT '[]',
    tags           TEXT        NOT NULL DEFAULT '[]',
    synonyms       TEXT        NOT NULL DEFAULT '[]',
    templates      TEXT        NOT NULL DEFAULT '{}',
    active         BOOLEAN     NOT NULL DEFAULT TRUE,
    updated_at     TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE answer_articles;
