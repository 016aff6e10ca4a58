package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"inkorg/answers"
	"inkorg/inbox/sqlstore"
)

// withAnswerStore opens the database and calls f with the answer store.
func withAnswerStore(ctx context.Context, e *env, f func(*sqlstore.Store) error) error {
	db, err := openDatabase(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	return f(sqlstore.NewStore(db))
}

// importBatch is how many articles one progress step stores.
const importBatch = 500

func answersImport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("answers import")
	domains := fs.String("domains", strings.Join(answerDomains(e), ","), "comma-separated domains article URLs may use (default INKORG_ANSWER_DOMAINS)")
	format := fs.String("format", "", "json or csv (default: from the file name)")
	if err := parseFlagArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("usage: inkorg answers import [--format json|csv] [--domains LIST] FILE")
	}
	allowed := splitList(*domains)
	if len(allowed) == 0 {
		return usagef("answers import: --domains is empty; give the domains article links may use, such as goteborg.se")
	}
	if err := checkDomains(allowed); err != nil {
		return usagef("answers import: --domains: %v", err)
	}
	name := fs.Arg(0)
	if *format == "" {
		f, err := answers.FormatOf(name)
		if err != nil {
			return usagef("answers import: %v", err)
		}
		*format = f
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	parsed, err := answers.Parse(f, *format, allowed)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	admins, err := e.cfg.Routing.targets()
	if err != nil {
		return err
	}
	var total answers.UpsertResult
	err = withAnswerStore(ctx, e, func(st *sqlstore.Store) error {
		// As the editor, refuse an administration that is no routing
		// target, unless the article is stored with it.
		stored, err := st.ListArticles(ctx)
		if err != nil {
			return err
		}
		parsed.RejectUnknownAdministrations(stored, func(id string) bool { _, ok := admins.Get(id); return ok })
		for chunk := range slices.Chunk(parsed.Articles, importBatch) {
			res, err := st.ImportArticles(ctx, chunk)
			if err != nil {
				return err
			}
			total.Added, total.Updated, total.Unchanged = total.Added+res.Added, total.Updated+res.Updated, total.Unchanged+res.Unchanged
			progress(e.stderr, total.Added+total.Updated+total.Unchanged, len(parsed.Articles))
		}
		return nil
	})
	if err != nil {
		return err
	}
	printImportSummary(e.stdout, total, parsed.Rejected)
	if len(parsed.Articles) == 0 {
		if len(parsed.Rejected) > 0 {
			return fmt.Errorf("answers import: nothing imported from %s: all %d entries were rejected (listed above); is it an answer bank file of articles, each with a title and a url?", name, len(parsed.Rejected))
		}
		return nil
	}
	// Rebuild the stale index now rather than at the next search. The
	// articles are already stored, so failing here loses nothing: a
	// running server holding the index picks the change up by itself.
	s, err := openCommandIndex(ctx, e, false)
	if err != nil {
		fmt.Fprintf(e.stdout, "artiklarna är sparade; en körande server läser in dem inom %s (the articles are stored; a running server picks them up: %v)\n", e.cfg.Answers.Refresh, err)
		return nil
	}
	return s.Close()
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(strings.ToLower(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// progress draws a one-line progress bar on w.
func progress(w io.Writer, done, total int) {
	const width = 30
	filled := width
	if total > 0 {
		filled = done * width / total
	}
	fmt.Fprintf(w, "\r[%s%s] %d/%d", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), done, total)
	if done >= total {
		fmt.Fprintln(w)
	}
}

func printImportSummary(w io.Writer, res answers.UpsertResult, rejected []answers.Rejection) {
	fmt.Fprintf(w, "tillagda (added): %d, uppdaterade (updated): %d, oförändrade (unchanged): %d, avvisade (rejected): %d\n",
		res.Added, res.Updated, res.Unchanged, len(rejected))
	for _, r := range rejected {
		fmt.Fprintf(w, "  rad (line) %d: %s\n", r.Line, r.Reason)
	}
}
