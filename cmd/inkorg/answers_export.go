package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"inkorg/answers"
	"inkorg/inbox/sqlstore"
)

// answerDomains is the configured allow-list of article domains.
func answerDomains(e *env) []string {
	if len(e.cfg.Answers.Domains) == 0 {
		return answers.DefaultDomains
	}
	return e.cfg.Answers.Domains
}

// answersExport writes the whole answer bank, active or not, in a format
// answers import reads back.
func answersExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("answers export")
	format := fs.String("format", "", "json or csv (default: from --out, else json)")
	out := fs.String("out", "", "file to write (default: standard output)")
	if err := parseFlagArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usagef("usage: inkorg answers export [--format json|csv] [--out FILE]")
	}
	switch {
	case *format == "" && *out != "":
		f, err := answers.FormatOf(*out)
		if err != nil {
			return usagef("answers export: %v (or give --format)", err)
		}
		*format = f
	case *format == "":
		*format = answers.FormatJSON
	case *format != answers.FormatJSON && *format != answers.FormatCSV:
		return usagef("answers export: --format must be json or csv, got %q", *format)
	}
	var arts []*answers.Article
	err := withAnswerStore(ctx, e, func(st *sqlstore.Store) error {
		var err error
		arts, err = st.ListArticles(ctx)
		return err
	})
	if err != nil {
		return err
	}
	for _, a := range arts {
		a.ID = 0 // an article is its URL outside this database
	}
	if *out == "" {
		return writeArticles(e.stdout, *format, arts)
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := writeArticles(f, *format, arts); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "exporterade (exported) %d artiklar till %s\n", len(arts), *out)
	return nil
}

func writeArticles(w io.Writer, format string, arts []*answers.Article) error {
	if format == answers.FormatCSV {
		return answers.WriteCSV(w, arts)
	}
	return answers.WriteJSON(w, arts)
}
