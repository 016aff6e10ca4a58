package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"syscall"

	"inkorg/inbox"
	"inkorg/inbox/logredact"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

const usage = `inkorg — Göteborgs Stad's social inbox

Usage:
  inkorg serve [--demo] [--roles=webhooks,workers,api]
  inkorg migrate
  inkorg user add --name NAME --role agent|specialist|supervisor|admin [--administration ID]
  inkorg token create --user NAME
  inkorg tokens create --user NAME [--name NAME] [--expires 90d|720h|DATE] [--read-only] | list [--user NAME] | revoke ID
  inkorg accounts add --platform facebook|instagram --id ID --name NAME [--login facebook|instagram] [--page-id PAGE_ID] [--token-stdin]
  inkorg accounts list | remove ID [--platform P] | token ID [--platform P] < FILE | human-agent ID on|off [--platform P]
  inkorg accounts page-id INSTAGRAM_ID PAGE_ID|none | login ID facebook|instagram [--platform P] | check | rotate-key
  inkorg deliveries reparse --since TIME [--until TIME] [--json]
  inkorg triage [--eval] [--targets FILE] [--needs-human-below F] [--no-rules]
  inkorg version
  inkorg healthcheck [--path /readyz]
  inkorg answers import [--format json|csv] [--domains LIST] FILE | export [--format json|csv] [--out FILE]
  inkorg answers search [--administration ID] [--language LANG] [--limit N] TEXT | eval [--k N] FILE | rank FILE
  inkorg dlq list [--queue Q] [--after ID] [--limit N] | show ID | replay (ID… | --all) | drop ID
  inkorg archive export --from DATE --to DATE --out DIR
  inkorg retention run [--dry-run] [--months N] [--action pseudonymise|delete]
  inkorg subject export (--contact ID | --platform-id X [--platform facebook|instagram]) --out DIR
  inkorg subject erase|pseudonymise (--contact ID | --platform-id X [--platform facebook|instagram]) --reason TEXT
  inkorg loadgen [--url URL] [--rate N] [--concurrency N] [--duration D] [--count N] [--token T] [--json]
  inkorg seed [--conversations N] [--messages N] [--force]
  inkorg apibench --token T [--url URL] [--clients N] [--duration D] [--think D]

Every command takes -h or --help. Configuration comes from the environment
(INKORG_ADDR, INKORG_DATA_DIR, DATABASE_URL, REDIS_URL, META_APP_SECRET,
META_VERIFY_TOKEN, …); see README.md.
`

// env is what every command gets: the parsed configuration and the
// process's streams.
type env struct {
	cfg    Config
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	logger *slog.Logger
}

// usageError is bad usage: exit status 2, with the message and a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// run is inkorg's whole program; main only adds signals and os.Exit. Tests
// call it directly.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	if isHelpArg(args[0]) {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if len(args) == 2 && isHelpArg(args[1]) && commandGroups[args[0]] {
		printCommandUsage(stdout, args[0])
		return exitOK
	}
	if args[0] == "version" {
		return exitStatus(printVersion(stdout, args[1:]), stdout, stderr)
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "inkorg: %v\n", err)
		return exitUsage
	}
	e := &env{cfg: cfg, stdin: stdin, stdout: stdout, stderr: stderr, logger: newLogger(cfg.LogFormat, stderr)}
	err = dispatch(ctx, e, args)
	var ue *usageError
	if errors.As(err, &ue) && slices.ContainsFunc(args[1:], isHelpFlag) {
		// A command that reads no flags took the help flag for an argument.
		printCommandUsage(stdout, args[0])
		return exitOK
	}
	return exitStatus(err, stdout, stderr)
}

func dispatch(ctx context.Context, e *env, args []string) error {
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return serve(ctx, e, rest)
	case "migrate":
		return migrate(ctx, e, rest)
	case "user":
		if len(rest) > 0 && rest[0] == "add" {
			return userAdd(ctx, e, rest[1:])
		}
		return usagef("usage: inkorg user add --name NAME --role ROLE [--administration ID]")
	case "token":
		if len(rest) > 0 && rest[0] == "create" {
			return tokensCreate(ctx, e, rest[1:], "token create")
		}
		return usagef("usage: inkorg token create --user NAME [--name NAME] [--expires 90d|720h|DATE] [--read-only]")
	case "tokens":
		return tokensCmd(ctx, e, rest)
	case "accounts":
		return accountsCmd(ctx, e, rest)
	case "deliveries":
		return deliveriesCmd(ctx, e, rest)
	case "healthcheck":
		return healthcheck(ctx, e, rest)
	case "answers":
		return answersCmd(ctx, e, rest)
	case "dlq":
		return dlqCmd(ctx, e, rest)
	case "triage":
		return triageCmd(ctx, e, rest)
	case "loadgen":
		return loadgenCmd(ctx, e, rest)
	case "seed":
		return seedCmd(ctx, e, rest)
	case "apibench":
		return apibenchCmd(ctx, e, rest)
	case "archive":
		return archiveCmd(ctx, e, rest)
	case "retention":
		return retentionCmd(ctx, e, rest)
	case "subject":
		return subjectCmd(ctx, e, rest)
	default:
		return usagef("unknown command %q; run inkorg help", cmd)
	}
}

// exitStatus prints err as one line and maps it to an exit status. A
// request for help prints the command's usage on stdout instead.
func exitStatus(err error, stdout, stderr io.Writer) int {
	var ue *usageError
	var ce *configError
	var hr *helpRequest
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &hr):
		hr.print(stdout)
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue), errors.As(err, &ce):
		fmt.Fprintf(stderr, "inkorg: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "inkorg: %s\n", cliText(err))
		return exitFailure
	}
}

// cliText is err as the command line says it: an inkorg error that is not
// internal by its message alone, without its code and cause ("… is not
// empty", not "inkorg error: code=conflict message=… is not empty"), kept
// in the context the command wrapped it in. An internal error keeps its
// cause, which an operator needs, and so does one the operating system
// gave ("Cannot write …: no space left on device.").
func cliText(err error) string {
	var e *inbox.Error
	text := err.Error()
	if !errors.As(err, &e) || e.Code == inbox.EINTERNAL || e.Message == "" {
		return text
	}
	msg := e.Message
	var errno syscall.Errno
	if errors.As(e.Err, &errno) {
		msg = strings.TrimSuffix(msg, ".") + ": " + errno.Error() + "."
	}
	return strings.Replace(text, e.Error(), msg, 1)
}

// newLogger returns the logger every command uses. Personal data is
// redacted from every record before it is written, in both formats.
func newLogger(format string, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if format == "json" {
		return slog.New(logredact.New(slog.NewJSONHandler(w, opts)))
	}
	return slog.New(logredact.New(slog.NewTextHandler(w, opts)))
}

// commandGroups are the commands whose first argument is a subcommand:
// "inkorg GROUP --help" prints their lines of the usage.
var commandGroups = map[string]bool{
	"user": true, "token": true, "tokens": true, "accounts": true, "deliveries": true, "answers": true,
	"dlq": true, "archive": true, "retention": true, "subject": true,
}

// isHelpArg reports whether arg asks for help.
func isHelpArg(arg string) bool { return arg == "help" || isHelpFlag(arg) }

// isHelpFlag reports whether arg is a flag asking for help.
func isHelpFlag(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// helpRequest is -h or --help given to a command: exitStatus prints the
// command's usage and flags on stdout, and the exit status is 0.
type helpRequest struct{ fs *flag.FlagSet }

func (h *helpRequest) Error() string { return flag.ErrHelp.Error() }

func (h *helpRequest) Unwrap() error { return flag.ErrHelp }

// print writes the usage lines of the command and its flags.
func (h *helpRequest) print(w io.Writer) {
	name := h.fs.Name()
	printCommandUsage(w, strings.Fields(name)[0])
	n := 0
	h.fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		fmt.Fprintf(w, "\ninkorg %s takes no flags.\n", name)
		return
	}
	fmt.Fprintf(w, "\nflags of inkorg %s:\n", name)
	out := h.fs.Output()
	h.fs.SetOutput(w)
	h.fs.PrintDefaults()
	h.fs.SetOutput(out)
}

// printCommandUsage writes the lines of the usage that are about command.
func printCommandUsage(w io.Writer, command string) {
	fmt.Fprintln(w, "usage:")
	found := false
	for line := range strings.Lines(usage) {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "inkorg" && f[1] == command {
			fmt.Fprint(w, line)
			found = true
		}
	}
	if !found {
		fmt.Fprintf(w, "  inkorg %s\n", command)
	}
}

// newFlagSet returns a flag set that reports errors as usage errors
// instead of exiting.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args, which must all be flags, and turns flag errors
// into usage errors and -h or --help into a help request.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := parseFlagArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), strings.Join(fs.Args(), " "))
	}
	return nil
}

// parseFlagArgs parses the flags at the start of args, leaving the
// arguments after them in fs.Args(). Flag errors are usage errors; -h or
// --help is a help request.
func parseFlagArgs(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &helpRequest{fs: fs}
		}
		return usagef("%s: %s", fs.Name(), flagError(fs, err))
	}
	return nil
}

// flagErrorPattern takes apart the flag package's errors, which name a
// flag with one dash and say "parse error" for a value of the wrong kind.
var flagErrorPattern = regexp.MustCompile(`^(?:invalid value (".*") for flag -|invalid boolean value (".*") for -|flag provided but not defined: -|flag needs an argument: -)([^:]*)(?:: (.*))?$`)

// flagError says a flag error as the usage lines do: the flag with two
// dashes and, for a value that does not parse, what the flag takes.
func flagError(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	m := flagErrorPattern.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	value, name, cause := m[1]+m[2], "--"+m[3], m[4]
	switch {
	case strings.HasPrefix(msg, "flag provided"):
		return "unknown flag " + name
	case strings.HasPrefix(msg, "flag needs"):
		return name + " needs a value"
	case strings.Contains(cause, "out of range"):
		return fmt.Sprintf("%s %s is out of range", name, value)
	}
	var kind string
	if f := fs.Lookup(m[3]); f != nil {
		if getter, ok := f.Value.(flag.Getter); ok {
			kind = map[string]string{
				"int": "a whole number", "int64": "a whole number", "uint": "a whole number", "uint64": "a whole number",
				"float64": "a number", "bool": "true or false", "time.Duration": "a duration such as 30s or 5m",
			}[fmt.Sprintf("%T", getter.Get())]
		}
	}
	if kind == "" {
		return fmt.Sprintf("%s %s: %s", name, value, cause)
	}
	return fmt.Sprintf("%s %s is not %s", name, value, kind)
}
