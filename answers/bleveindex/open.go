package bleveindex

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"go.etcd.io/bbolt"

	"inkorg/answers"
)

// schemaVersion changes whenever the mapping or the analysis changes, so
// an index built by an older inkorg is rebuilt.
const schemaVersion = "inkorg-answers-3"

// runtimeConfig bounds the wait for the index lock: a second process must
// get an error, not hang, and must not take the index for damaged.
var runtimeConfig = map[string]any{"bolt_timeout": "2s"}

// ErrInUse is what Open's error wraps when another process holds the
// index: a bleve index on disk has one writer, and a read-only open waits
// for the writer to let go as well.
var ErrInUse = errors.New("bleveindex: index in use")

// fingerprintKey is where the index remembers what it was built from.
var fingerprintKey = []byte("inkorg_fingerprint")

// Fingerprint identifies an answer bank: the articles and the schema.
func Fingerprint(articles []*answers.Article) (string, error) {
	h := sha256.New()
	h.Write([]byte(schemaVersion))
	enc := json.NewEncoder(h)
	for _, a := range articles {
		// Questions are not part of an article's JSON but are indexed.
		if err := enc.Encode(struct {
			*answers.Article
			Questions []string
		}{a, a.Questions}); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Open opens the index at path and makes sure it holds exactly articles:
// an index that is missing, unreadable or built from other articles (or by
// another schema) is rebuilt from them. rebuilt reports whether it was.
func Open(ctx context.Context, path string, an *answers.Analyzer, articles []*answers.Article) (x *Index, rebuilt bool, err error) {
	want, err := Fingerprint(articles)
	if err != nil {
		return nil, false, fmt.Errorf("bleveindex: %w", err)
	}
	// Any other failure to open means rebuild: the index is only a cache
	// of the articles, kept in the database.
	idx, err := bleve.OpenUsing(path, runtimeConfig)
	switch {
	case errors.Is(err, bbolt.ErrTimeout):
		return nil, false, fmt.Errorf("%w: %s is held by another inkorg process; stop it, or share Meilisearch (MEILI_URL) between processes: %w", ErrInUse, path, err)
	case err == nil:
		got, gerr := idx.GetInternal(fingerprintKey)
		if gerr == nil && string(got) == want {
			return &Index{idx: idx, an: an}, false, nil
		}
		idx.Close()
	}
	x, err = create(path, an)
	if err != nil {
		return nil, false, err
	}
	if err := x.Index(ctx, articles...); err != nil {
		x.Close()
		return nil, false, err
	}
	if err := x.idx.SetInternal(fingerprintKey, []byte(want)); err != nil {
		x.Close()
		return nil, false, fmt.Errorf("bleveindex: %w", err)
	}
	return x, true, nil
}

func create(path string, an *answers.Analyzer) (*Index, error) {
	if err := os.RemoveAll(path); err != nil {
		return nil, fmt.Errorf("bleveindex: remove stale index: %w", err)
	}
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, runtimeConfig)
	if err != nil {
		return nil, fmt.Errorf("bleveindex: create %s: %w", path, err)
	}
	return &Index{idx: idx, an: an}, nil
}
