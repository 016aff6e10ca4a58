package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/routing"
)

// retrainInterval is how often a worker process retrains its classifier
// on the corrections people made.
const retrainInterval = time.Minute

// triageInput is one line of 'inkorg triage' input. The labelled fields
// are read by --eval.
type triageInput struct {
	ID             json.RawMessage `json:"id"`
	Text           *string         `json:"text"`
	Channel        string          `json:"channel"`
	Account        string          `json:"account"`
	Administration string          `json:"administration"`
	URL            string          `json:"url"`
	URLs           []string        `json:"urls"`
}

// triageOutput is one line of 'inkorg triage' output: the id, then the
// triage.
type triageOutput struct {
	ID json.RawMessage `json:"id"`
	*routing.Result
}

// triageCmd is 'inkorg triage [--eval] [--targets FILE]
// [--needs-human-below F] [--no-rules]': JSON Lines
// questions on stdin, one JSON line of triage each on stdout; with --eval,
// labelled questions in and an accuracy report out. The admin-defined
// rules stored in the database are tried first, as the workers do, unless
// --no-rules.
func triageCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("triage")
	eval := fs.Bool("eval", false, "read labelled questions and print accuracy")
	targetsFile := fs.String("targets", "", "routing targets file (default: the bundled administrations.json)")
	threshold := fs.Float64("needs-human-below", routing.DefaultConfig().NeedsHumanBelow, "confidence under which a person must route")
	noRules := fs.Bool("no-rules", false, "skip the routing rules stored in the database: the classifier alone")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// The flag package reads NaN and Inf as numbers; NaN is below or
	// above nothing, so it would pass a range check and never send a
	// question to a person.
	if !(*threshold >= 0 && *threshold <= 1) {
		return usagef("triage: --needs-human-below %q must be a number from 0 to 1", fs.Lookup("needs-human-below").Value.String())
	}
	cfg := routing.DefaultConfig()
	cfg.NeedsHumanBelow = *threshold
	search, err := openAnswerIndex(ctx, e)
	if err != nil {
		return err
	}
	defer search.Close()
	triager, err := newTriagerWith(*targetsFile, cfg, answerLinks(search))
	if err != nil {
		return err
	}
	rules := 0
	if !*noRules {
		if rules, err = useStoredRules(ctx, e, triager); err != nil {
			return err
		}
	}
	if *eval {
		return triageEval(ctx, e, triager, rules)
	}
	return triageStream(ctx, e, triager)
}

// newTriager builds a triager with the default settings on the bundled
// targets, or on file when it is not empty.
func newTriager(file string, links routing.Suggester) (*routing.Triager, error) {
	return newTriagerWith(file, routing.DefaultConfig(), links)
}

// newTriagerWith builds a triager with cfg on the bundled targets or on
// file.
func newTriagerWith(file string, cfg routing.Config, links routing.Suggester) (*routing.Triager, error) {
	targets, err := loadTargets(file)
	if err != nil {
		return nil, err
	}
	t, err := routing.NewTriager(targets, links, cfg)
	if err != nil {
		return nil, usagef("triage: %v", err)
	}
	return t, nil
}

// linkSuggester offers the answer bank's articles to triage as links.
type linkSuggester struct{ bank *answers.Suggester }

// answerLinks returns the answer bank behind search as triage's source of
// goteborg.se links.
func answerLinks(search answers.Search) routing.Suggester {
	return linkSuggester{bank: &answers.Suggester{Search: search}}
}

// Suggest implements routing.Suggester.
func (l linkSuggester) Suggest(ctx context.Context, text, administrationID string, k int) ([]routing.Suggestion, error) {
	hits, err := l.bank.Suggest(ctx, text, administrationID, k)
	if err != nil {
		return nil, err
	}
	links := make([]routing.Suggestion, len(hits))
	for i, h := range hits {
		links[i] = routing.Suggestion{URL: h.Article.URL, Title: h.Article.Title, Score: h.Score}
	}
	return links, nil
}

func loadTargets(file string) (*routing.Administrations, error) {
	if file == "" {
		return routing.BundledAdministrations()
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, usagef("triage --targets: %v", err)
	}
	defer f.Close()
	t, err := routing.LoadAdministrations(f)
	if err != nil {
		return nil, usagef("triage --targets %s: %v", file, err)
	}
	return t, nil
}

// triageStream triages each input line. A bad line stops the run with its
// line number; the lines before it have been answered.
func triageStream(ctx context.Context, e *env, t *routing.Triager) error {
	out := bufio.NewWriter(e.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	return eachInput(e.stdin, func(line int, in *triageInput) error {
		r, err := t.TriageMessage(ctx, in.message())
		if err != nil {
			return fmt.Errorf("triage: line %d: %w", line, err)
		}
		return enc.Encode(triageOutput{ID: in.ID, Result: r})
	})
}

// withCanonicalURLs adds to a question's labelled urls their canonical
// spellings, the ones the answer bank stores (answers.CanonicalURL), so a
// label spelt otherwise still names its article.
func withCanonicalURLs(urls []string) []string {
	out := slices.Clone(urls)
	for _, u := range urls {
		if c, err := answers.CanonicalURL(u); err == nil && c != u {
			out = append(out, c)
		}
	}
	return out
}

// triageEval triages labelled lines and prints the evaluation report;
// rules is how many stored rules the triager tries first.
func triageEval(ctx context.Context, e *env, t *routing.Triager, rules int) error {
	ev := routing.NewEvaluation()
	ev.LinksMeasured = t.HasSuggester()
	ev.Rules = rules
	err := eachInput(e.stdin, func(line int, in *triageInput) error {
		if in.Administration == "" {
			return usagef("triage --eval: line %d: \"administration\" is required", line)
		}
		r, err := t.TriageMessage(ctx, in.message())
		if err != nil {
			return fmt.Errorf("triage: line %d: %w", line, err)
		}
		urls := in.URLs
		if in.URL != "" {
			urls = append(urls, in.URL)
		}
		ev.Add(routing.Labelled{Text: *in.Text, Administration: in.Administration, URLs: withCanonicalURLs(urls)}, r)
		return nil
	})
	if err != nil {
		return err
	}
	ev.Report(e.stdout)
	return nil
}

// message is what triage reads of the line.
func (in *triageInput) message() routing.Message {
	return routing.Message{Text: *in.Text, Channel: inbox.Channel(in.Channel), Account: in.Account}
}

// eachInput decodes JSON Lines from r and calls f for each; blank lines
// are skipped. A line that is not a JSON object with a text is a usage
// error naming the line.
func eachInput(r io.Reader, f func(line int, in *triageInput) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*inbox.MaxTextLength+1024)
	for line := 1; sc.Scan(); line++ {
		raw := strings.TrimSpace(sc.Text())
		if raw == "" {
			continue
		}
		var in triageInput
		if err := json.Unmarshal([]byte(raw), &in); err != nil {
			return usagef("triage: line %d: not a JSON object: %v", line, err)
		}
		if in.Text == nil {
			return usagef("triage: line %d: \"text\" is required", line)
		}
		if in.Channel != "" && !inbox.Channel(in.Channel).Valid() {
			return usagef("triage: line %d: unknown channel %q", line, in.Channel)
		}
		if len(in.ID) == 0 {
			in.ID = json.RawMessage("null")
		}
		if err := f(line, &in); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("triage: read input: %w", err)
	}
	return nil
}
