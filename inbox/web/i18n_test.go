package web

import (
	"io/fs"
	"regexp"
	"testing"
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
