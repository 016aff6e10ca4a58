package sqlstore

import (
	"testing"

	"inkorg/answers"
	"inkorg/answers/answerstest"
)

func TestArticleStore(t *testing.T) {
	forEachDialect(t, func(t *testing.T, url func(t *testing.T) string) {
		url(t) // skips, or fails, once when the database is unavailable
		answerstest.RunStore(t, func(t *testing.T) answers.Store { return NewStore(openMigrated(t, url)) })
	})
}
