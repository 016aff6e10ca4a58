package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
)

// withStore opens the database (refusing a schema that is behind), calls f
// with the store and closes it.
func withStore(ctx context.Context, e *env, f func(inbox.Store) error) error {
	db, err := openDatabase(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	return f(sqlstore.NewStore(db))
}

func userAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("user add")
	name := fs.String("name", "", "user name (login)")
	role := fs.String("role", "", "agent, specialist, supervisor or admin")
	var admins stringList
	fs.Var(&admins, "administration", "an administration a specialist belongs to; repeat it for several")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	u := &inbox.User{Name: inbox.NormalizeName(*name), Role: inbox.Role(*role), Administrations: admins}
	if len(admins) > 0 {
		u.AdministrationID = admins[0]
	}
	if err := u.Validate(); err != nil {
		return usagef("user add: %s", inbox.ErrorMessage(err))
	}
	for _, id := range admins {
		if err := checkAdministration(e.cfg.Routing, id); err != nil {
			return err
		}
	}
	password, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	if password != "" {
		// The same rules as the web UI and the API.
		if u.PasswordHash, err = inbox.HashPassword(password); err != nil {
			return usagef("user add: %s", inbox.ErrorMessage(err))
		}
	}
	db, err := openDatabase(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	// Audited like an admin's creation: by the system, via the command
	// line.
	if err := sqlstore.NewStore(db).CreateUserAccount(ctx, 0, inbox.ViaCommandLine, u); err != nil {
		return fmt.Errorf("user add: %s", inbox.ErrorMessage(err))
	}
	fmt.Fprintf(e.stdout, "created user %s (%s)\n", u.Name, u.Role)
	return nil
}

// checkAdministration accepts "" or the id of a configured routing target.
func checkAdministration(rc RoutingConfig, id string) error {
	if id == "" {
		return nil
	}
	admins, err := rc.targets()
	if err != nil {
		return err
	}
	if _, ok := admins.Get(id); !ok {
		return usagef("user add: unknown administration %q; known: %s", id, strings.Join(admins.IDs(), ", "))
	}
	return nil
}

// readPassword reads a password from the first line of stdin when stdin is
// a pipe or a file; a terminal or an empty stdin means no password. The
// caller checks it (inbox.HashPassword).
func readPassword(stdin io.Reader) (string, error) {
	if f, ok := stdin.(*os.File); ok {
		st, err := f.Stat()
		if err != nil || st.Mode()&os.ModeCharDevice != 0 {
			return "", nil
		}
	}
	if stdin == nil {
		return "", nil
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// createToken stores a new, audited API token for u and returns it.
func createToken(ctx context.Context, store inbox.Store, u *inbox.User) (string, error) {
	return issueToken(ctx, store, u, "")
}

func migrate(ctx context.Context, e *env, args []string) error {
	if err := parseFlags(newFlagSet("migrate"), args); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, e.cfg.databaseURL())
	if err != nil {
		return databaseOpenError(&e.cfg, err)
	}
	defer db.Close()
	version, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	reportMigrated(e, version)
	return nil
}
