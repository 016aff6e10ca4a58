package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"inkorg/answers"
	"inkorg/answers/bleveindex"
	"inkorg/answers/meili"
	"inkorg/inbox/sqlstore"
)

const answersUsage = "usage: inkorg answers import [--format json|csv] [--domains LIST] FILE | export [--format json|csv] [--out FILE] | search [--administration ID] [--language LANG] [--limit N] TEXT | eval [--k N] FILE | rank FILE"

// answersCmd dispatches the answer bank subcommands.
func answersCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef(answersUsage)
	}
	switch sub, rest := args[0], args[1:]; sub {
	case "import":
		return answersImport(ctx, e, rest)
	case "export":
		return answersExport(ctx, e, rest)
	case "search":
		return answersSearch(ctx, e, rest)
	case "eval":
		return answersEval(ctx, e, rest)
	case "rank":
		return answersRank(ctx, e, rest)
	default:
		return usagef("%s", answersUsage)
	}
}

// loadAnalyzer returns the Swedish analyzer with the synonyms file from
// the data dir when there is one, else the bundled synonyms.
func loadAnalyzer(dataDir string) (*answers.Analyzer, error) {
	f, err := os.Open(filepath.Join(dataDir, "synonyms.txt"))
	if errors.Is(err, os.ErrNotExist) {
		return answers.DefaultAnalyzer(), nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	syn, err := answers.ParseSynonyms(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	return answers.NewAnalyzer(syn), nil
}

// openAnswerIndex opens the answer search for a command that only
// searches it, with its own database connection. A running server on the
// same data dir holds the embedded index; the command then searches a
// copy built in memory from the stored answer bank.
func openAnswerIndex(ctx context.Context, e *env) (answers.Search, error) {
	return openCommandIndex(ctx, e, true)
}

// openCommandIndex opens the answer search for a command; see
// openBankIndex for copyWhenHeld.
func openCommandIndex(ctx context.Context, e *env, copyWhenHeld bool) (answers.Search, error) {
	var s answers.Search
	err := withAnswerStore(ctx, e, func(st *sqlstore.Store) error {
		var err error
		s, _, err = openBankIndex(ctx, e, st, copyWhenHeld)
		return err
	})
	return s, err
}

// openAnswerBank opens the configured answer search on the stored answer
// bank (seeded with the bundled articles on first start), with the
// questions agents answered with each article as extra text: Meilisearch
// when MEILI_URL is set, else the embedded index in the data dir, rebuilt
// when missing or stale. The refresher keeps it current from the store.
func openAnswerBank(ctx context.Context, e *env, st *sqlstore.Store) (answers.Search, *answers.Refresher, error) {
	return openBankIndex(ctx, e, st, false)
}

// openBankIndex is openAnswerBank; with copyWhenHeld, an embedded index
// that another process holds is replaced by a copy in memory instead of
// being an error.
func openBankIndex(ctx context.Context, e *env, st *sqlstore.Store, copyWhenHeld bool) (answers.Search, *answers.Refresher, error) {
	an, err := loadAnalyzer(e.cfg.DataDir)
	if err != nil {
		return nil, nil, err
	}
	if _, seeded, err := answers.Seed(ctx, st); err != nil {
		return nil, nil, err
	} else if seeded {
		e.logger.Info("answer bank seeded")
	}
	// The version is read first: a change while the articles load moves
	// it again, and the first refresh picks the change up.
	version, err := st.Version(ctx)
	if err != nil {
		return nil, nil, err
	}
	arts, err := answers.ArticlesWithQuestions(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	x, err := openAnswerIndexOn(ctx, e, an, arts, copyWhenHeld)
	if err != nil {
		return nil, nil, err
	}
	r := &answers.Refresher{Store: st, Search: x, Logger: e.logger}
	r.Start(version, arts)
	return answers.Ranked(x, an), r, nil
}

func openAnswerIndexOn(ctx context.Context, e *env, an *answers.Analyzer, arts []*answers.Article, copyWhenHeld bool) (answers.Search, error) {
	if e.cfg.MeiliURL != "" {
		x, err := meili.Open(ctx, e.cfg.MeiliURL, an, meili.Options{APIKey: e.cfg.MeiliAPIKey})
		if err != nil {
			return nil, err
		}
		// Upserting everything keeps a shared index current after imports
		// made by other instances; pruning removes the articles deleted
		// while an index update failed. A failed prune leaves only such
		// leftovers, so the server starts anyway.
		if err := x.Index(ctx, arts...); err != nil {
			return nil, err
		}
		if n, err := x.Prune(ctx, arts); err != nil {
			e.logger.Warn("answer index prune failed; deleted articles may still be found", "err", err)
		} else if n > 0 {
			e.logger.Info("answer index pruned", "deleted", n)
		}
		return x, nil
	}
	if err := os.MkdirAll(e.cfg.DataDir, 0o750); err != nil {
		return nil, err
	}
	x, rebuilt, err := bleveindex.Open(ctx, filepath.Join(e.cfg.DataDir, "answers.bleve"), an, arts)
	if errors.Is(err, bleveindex.ErrInUse) && copyWhenHeld {
		e.logger.Info("answer index held by a running server; searching a copy in memory", "articles", len(arts))
		return memoryIndex(ctx, an, arts)
	}
	if err != nil {
		return nil, err
	}
	if rebuilt {
		e.logger.Info("answer index rebuilt", "articles", len(arts))
	}
	return x, nil
}

// memoryIndex returns an index in memory holding arts.
func memoryIndex(ctx context.Context, an *answers.Analyzer, arts []*answers.Article) (answers.Search, error) {
	x, err := bleveindex.NewMemory(an)
	if err != nil {
		return nil, err
	}
	if err := x.Index(ctx, arts...); err != nil {
		x.Close()
		return nil, err
	}
	return x, nil
}

func answersSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("answers search")
	admin := fs.String("administration", "", "only this administration's articles")
	lang := fs.String("language", "", "only articles in this language")
	limit := fs.Int("limit", 5, "number of hits")
	words, err := parseFlagsAmongWords(fs, args)
	if err != nil {
		return err
	}
	text := strings.Join(words, " ")
	if strings.TrimSpace(text) == "" {
		return usagef("usage: inkorg answers search [--administration ID] [--language LANG] [--limit N] TEXT")
	}
	if *limit < 1 || *limit > answers.MaxLimit {
		return usagef("answers search: --limit must be from 1 to %d, got %d", answers.MaxLimit, *limit)
	}
	s, err := openAnswerIndex(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	hits, err := s.Search(ctx, answers.Query{Text: text, Administration: *admin, Language: *lang, Limit: *limit})
	if err != nil {
		return err
	}
	if len(hits) == 0 {
		fmt.Fprintln(e.stdout, "inga träffar (no hits)")
	}
	for i, h := range hits {
		// A hit with no word matched as written matched by typo tolerance.
		matched := strings.Join(h.Matched, ", ")
		if matched == "" {
			matched = "– (bara liknande ord / similar words only)"
		}
		fmt.Fprintf(e.stdout, "%d. %.3f %s\n   %s\n   matchade: %s\n", i+1, h.Score, h.Article.Title, h.Article.URL, matched)
	}
	return nil
}

// parseFlagsAmongWords parses fs's flags wherever they stand among the
// words of a text (`answers search bygglov --limit 2`), which the flag
// package would take as words after the first one, and returns the words.
// After "--" everything is a word, for a text that starts with a dash.
func parseFlagsAmongWords(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for len(args) > 0 {
		if err := parseFlagArgs(fs, args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if parsed := args[:len(args)-len(left)]; len(parsed) > 0 && parsed[len(parsed)-1] == "--" {
			return append(words, left...), nil
		}
		if len(left) == 0 {
			break
		}
		words = append(words, left[0])
		args = left[1:]
	}
	return words, nil
}

func answersEval(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("answers eval")
	k := fs.Int("k", 3, "a hit is a right URL among the top k")
	if err := parseFlagArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *k <= 0 {
		return usagef("usage: inkorg answers eval [--k N] FILE")
	}
	qs, err := readJSONLinesFile[answers.DevQuestion](fs.Arg(0))
	if err != nil {
		return err
	}
	s, err := openAnswerIndex(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	ev, err := answers.EvalLinks(ctx, s, qs, *k)
	if err != nil {
		return err
	}
	if ev.Total == 0 {
		// 0/0 would read as a measurement; a misspelt "urls" key gives it.
		return fmt.Errorf("answers eval: %s: no line has \"urls\", so there is nothing to measure (lines read: %d; a labelled one is {\"text\": …, \"urls\": […]})", fs.Arg(0), len(qs))
	}
	fmt.Fprintf(e.stdout, "link hit@%d: %d/%d = %.1f %%\n", ev.K, ev.Hits, ev.Total, 100*ev.Rate())
	return nil
}

func answersRank(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("answers rank")
	if err := parseFlagArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("usage: inkorg answers rank FILE (SweFAQ JSON lines)")
	}
	items, err := readJSONLinesFile[answers.FAQItem](fs.Arg(0))
	if err != nil {
		return err
	}
	an, err := loadAnalyzer(e.cfg.DataDir)
	if err != nil {
		return err
	}
	ev, err := answers.RankFAQ(ctx, items, func() (answers.Search, error) {
		x, err := bleveindex.NewMemory(an)
		if err != nil {
			return nil, err
		}
		return answers.Ranked(x, an), nil
	})
	if err != nil {
		return err
	}
	if ev.Total == 0 {
		return fmt.Errorf("answers rank: %s has no items, so there is nothing to measure", fs.Arg(0))
	}
	fmt.Fprintf(e.stdout, "accuracy@1: %d/%d = %.1f %%\n", ev.Correct, ev.Total, 100*ev.Accuracy())
	return nil
}

func readJSONLinesFile[T any](path string) ([]T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v, err := answers.ReadJSONLines[T](f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}
