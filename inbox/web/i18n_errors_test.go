package web

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"inkorg/inbox"
)

// workActionSources are the files whose messages a work action of the
// conversation page or the bulk form can return: the web handlers, the
// service methods they call and the checks those make, and the store's
// recording of the work.
var workActionSources = map[string][]string{
	".":           {"actions.go", "conversation_forms.go", "bulk.go"},
	"..":          {"service.go", "actions.go", "work.go", "note.go", "outbound_service.go", "outbound_rules.go", "bulk.go"},
	"../sqlstore": {"work.go"},
}

// TestWorkActionMessages checks that every message a work action can
// return is shown in Swedish in the Swedish UI and in English in the
// English one: written "Swedish / English" where it is made, or a
// domainMessages key. Messages of internal or unavailable errors are
// never shown, and a conversation held by another user is worded by the
// page (error.held), so those are left out.
func TestWorkActionMessages(t *testing.T) {
	consts := constants(t, "..")
	found := 0
	for dir, files := range workActionSources {
		for _, name := range files {
			path := filepath.Join(dir, name)
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				format, ok := message(t, call, consts)
				if !ok {
					return true
				}
				found++
				checkShown(t, path, format)
				return true
			})
		}
	}
	// Made by the store's translation of a missing row.
	for _, subject := range []string{"Conversation", "Message", "User"} {
		checkShown(t, "sqlstore", subject+" not found.")
	}
	if found < 60 {
		t.Errorf("found %d messages, want every one of the work actions (60 or more)", found)
	}
}

// checkShown reports the message made with format in path unless both
// UIs show it in their language.
func checkShown(t *testing.T, path, format string) {
	t.Helper()
	if tr, ok := domainMessages[format]; ok {
		if tr[0] == "" || tr[1] != format {
			t.Errorf("%s: domainMessages[%q] is %q, want Swedish and the message itself in English", path, format, tr)
		}
		return
	}
	if strings.Count(format, bilingualSeparator) != 1 {
		t.Errorf("%s: message %q is neither a domainMessages key nor written \"Swedish / English\"", path, format)
		return
	}
	if sv, en, _ := bilingual(format); strings.TrimSpace(sv) == "" || strings.TrimSpace(en) == "" {
		t.Errorf("%s: message %q lacks a language", path, format)
	}
}

// message returns the format of the message a call of Errorf, WrapError
// or ruleError makes ("sv / en" for ruleError), and false for any other
// call and for errors whose message is not shown.
func message(t *testing.T, call *ast.CallExpr, consts map[string]string) (string, bool) {
	var name string
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		name = fn.Name
	case *ast.SelectorExpr:
		name = fn.Sel.Name
	default:
		return "", false
	}
	first := map[string]int{"Errorf": 1, "WrapError": 2, "ruleError": 1}
	i, ok := first[name]
	if !ok || len(call.Args) <= i {
		return "", false
	}
	switch code := lastName(call.Args[0]); code {
	case "EINTERNAL", "EUNAVAILABLE":
		return "", false
	}
	if name == "WrapError" {
		if u, ok := call.Args[1].(*ast.UnaryExpr); ok {
			if cl, ok := u.X.(*ast.CompositeLit); ok && lastName(cl.Type) == "HeldError" {
				return "", false
			}
		}
	}
	format, err := stringOf(call.Args[i], consts)
	if err != nil {
		t.Errorf("cannot read the message of a call of %s: %v", name, err)
		return "", false
	}
	if name == "ruleError" {
		en, err := stringOf(call.Args[2], consts)
		if err != nil {
			t.Errorf("cannot read the English of a call of ruleError: %v", err)
			return "", false
		}
		format += bilingualSeparator + en
	}
	return format, true
}

func lastName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

// stringOf evaluates a constant string expression: literals, their sums
// and constants of package inbox.
func stringOf(e ast.Expr, consts map[string]string) (string, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			return strconv.Unquote(e.Value)
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			a, err := stringOf(e.X, consts)
			if err != nil {
				return "", err
			}
			b, err := stringOf(e.Y, consts)
			return a + b, err
		}
	case *ast.Ident, *ast.SelectorExpr:
		if v, ok := consts[lastName(e)]; ok {
			return v, nil
		}
	}
	return "", errors.New("not a constant string")
}

// constants returns the string constants of the package in dir.
func constants(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if v, err := stringOf(vs.Values[i], out); err == nil {
							out[name.Name] = v
						}
					}
				}
			}
		}
	}
	return out
}

// TestLocalMessage: a domain message is shown in the reader's language.
func TestLocalMessage(t *testing.T) {
	for _, tc := range []struct{ msg, sv, en string }{
		{"Conversation not found.", "Ärendet finns inte.", "Conversation not found."},
		{"Skriv ett svar. / Write a reply.", "Skriv ett svar.", "Write a reply."},
		// A value holding the separator is in both halves.
		{`Taggen "a / b" är för lång. / The tag "a / b" is too long.`, `Taggen "a / b" är för lång.`, `The tag "a / b" is too long.`},
		{"Something new.", "Something new.", "Something new."},
	} {
		if got := localMessage("sv", tc.msg); got != tc.sv {
			t.Errorf("sv %q: got %q, want %q", tc.msg, got, tc.sv)
		}
		if got := localMessage("en", tc.msg); got != tc.en {
			t.Errorf("en %q: got %q, want %q", tc.msg, got, tc.en)
		}
	}
	err := inbox.Errorf(inbox.ENOTFOUND, "Conversation not found.")
	if got, want := errorText("sv", err), "Hittades inte. Ärendet finns inte."; got != want {
		t.Errorf("errorText sv: got %q, want %q", got, want)
	}
	if got, want := errorText("en", err), "Not found. Conversation not found."; got != want {
		t.Errorf("errorText en: got %q, want %q", got, want)
	}
}
