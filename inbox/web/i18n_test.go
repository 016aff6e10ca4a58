package web

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// TestTranslations checks that every text a template names exists in both
// languages.
func TestTranslations(t *testing.T) {
	keyRE := regexp.MustCompile(`\.T "([^"]+)"`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(templateFS, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			if tr, ok := messages[m[1]]; !ok || tr[0] == "" || tr[1] == "" {
				t.Errorf("%s: text %q has no Swedish and English", f, m[1])
			}
		}
	}
	for key, tr := range messages {
		if tr[0] == "" || tr[1] == "" {
			t.Errorf("text %q lacks a language", key)
		}
	}
}

// TestActionTexts checks that every audit action package inbox declares
// (its Action* constants) has a text in both languages, so the history
// never shows a raw code.
func TestActionTexts(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, "..", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range pkgs["inbox"].Files {
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Action") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					code, _ := strconv.Unquote(lit.Value)
					found++
					if tr, ok := messages["action."+code]; !ok || tr[0] == "" || tr[1] == "" {
						t.Errorf("inbox.%s (%q) has no action.%s text in Swedish and English", name.Name, code, code)
					}
				}
			}
		}
	}
	if found < 20 {
		t.Errorf("found %d Action constants in package inbox, want all of them (20 or more)", found)
	}
}

// TestCodeTexts checks that the codes the conversation page names by
// Label and AttachmentType have texts in both languages.
func TestCodeTexts(t *testing.T) {
	codes := map[string][]any{
		"okind": {inbox.OutboundPublicReply, inbox.OutboundPrivateReply, inbox.OutboundDirectMessage,
			inbox.OutboundHideComment, inbox.OutboundUnhideComment, inbox.OutboundDeleteComment},
		"ostate": {inbox.OutboundQueued, inbox.OutboundSending, inbox.OutboundSent, inbox.OutboundFailed, inbox.OutboundNeedsCheck},
		"delivery": {inbox.DeliveryQueued, inbox.DeliverySending, inbox.DeliverySent, inbox.DeliveryDelivered, inbox.DeliveryRead,
			inbox.DeliveryFailed, inbox.DeliveryNeedsCheck},
		"fclass": {graph.Transient, graph.Ambiguous, graph.Token, graph.OutsideWindow, graph.RecipientUnavailable,
			graph.InvalidRequest, graph.Permission, graph.Permanent},
		"note":      {inbox.NoteQuestion, inbox.NoteAnswer, inbox.NoteReturn},
		"setstatus": {inbox.StatusResolved, inbox.StatusPending, inbox.StatusOpen, inbox.StatusSpam},
		"atype": {inbox.AttachmentImage, inbox.AttachmentVideo, inbox.AttachmentAudio, inbox.AttachmentFile,
			inbox.AttachmentLocation, inbox.AttachmentFallback, inbox.AttachmentStoryReply, inbox.AttachmentStoryMention,
			inbox.AttachmentShare},
	}
	for prefix, list := range codes {
		for _, code := range list {
			key := fmt.Sprintf("%s.%v", prefix, code)
			if tr, ok := messages[key]; !ok || tr[0] == "" || tr[1] == "" {
				t.Errorf("text %q has no Swedish and English", key)
			}
		}
	}
}

// TestPageTitles checks that every page title the handlers name (the
// browser tab's <title>) has a text in both languages, not its key.
func TestPageTitles(t *testing.T) {
	titleRE := regexp.MustCompile(`newPage\(c, "([^"]+)"|\btitle :?= "([^"]+)"`)
	files, err := fs.Glob(os.DirFS("."), "*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range titleRE.FindAllStringSubmatch(string(b), -1) {
			key := m[1] + m[2]
			found++
			if tr, ok := messages[key]; !ok || tr[0] == "" || tr[1] == "" {
				t.Errorf("%s: page title %q has no Swedish and English", f, key)
			}
		}
	}
	if found < 15 {
		t.Errorf("found %d page titles, want every page's (15 or more)", found)
	}
}
