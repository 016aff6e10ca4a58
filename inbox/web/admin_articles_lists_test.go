package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"inkorg/answers"
	"inkorg/inbox/inboxtest"
)

// listArticle is an article whose list items hold commas, and whose text
// starts and ends with line breaks.
func listArticle() *answers.Article {
	return &answers.Article{Title: "Stadens organisation", URL: "https://goteborg.se/organisation",
		Summary: "Så är staden organiserad.\nLäs mer nedan.\n", Body: "\nFörsta stycket.\n\nAndra stycket.",
		Keywords: []string{"Göteborg, stad", "organisation"}, Tags: []string{"stad, kommun"}, Synonyms: []string{"Göteborgs Stad", "kommunen, staden"},
		Administration: "kultur", Language: "sv", Active: true, Templates: map[string]string{"sv": "Hej!\n\nLäs här: {{url}}\n"}}
}

// TestArticleFormLists: the form shows keywords, synonyms and tags one a
// line and reads them back so, an item with a comma staying one item.
func TestArticleFormLists(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	c := s.signedIn(t, "sune")
	sune, _ := s.store.FindUserByName(ctx, "sune")
	a := listArticle()
	if err := s.store.CreateArticle(ctx, sune.ID, a); err != nil {
		t.Fatal(err)
	}
	_, page, _ := get(t, c, s.url+articlePath(a.ID))
	if want := "name=\"keywords\" rows=\"4\" cols=\"60\" aria-describedby=\"list-help\">\nGöteborg, stad\norganisation</textarea>"; !strings.Contains(page, want) {
		t.Errorf("the page does not show the keywords one a line; want %q in it", want)
	}
	if !strings.Contains(page, "Ett per rad.") {
		t.Error("the list fields' hint does not say one a line")
	}
	token := formToken(t, c, s.url+articlePath(a.ID))
	form := articleForm(token, a.Title, a.URL)
	form.Set("keywords", "Göteborg, stad\r\nVästra Götaland, region\r\n\r\n")
	if code, body := post(t, c, s.url+articlePath(a.ID), form); code != http.StatusSeeOther {
		t.Fatalf("save: got %d, want 303: %s", code, body)
	}
	got, err := s.store.FindArticle(ctx, a.ID)
	if want := []string{"Göteborg, stad", "Västra Götaland, region"}; err != nil || !slices.Equal(got.Keywords, want) {
		t.Errorf("got keywords %q (%v), want %q", got.Keywords, err, want)
	}
}

// TestArticleFormSavedUnchangedBrowser: in a real Chromium, saving an
// article's form as it was loaded leaves the article as it was — list
// items with commas, line breaks first and last, templates — and audits
// nothing.
func TestArticleFormSavedUnchangedBrowser(t *testing.T) {
	chromium := inboxtest.Chromium(t)
	s := newAdminSite(t)
	ctx := t.Context()
	sune, _ := s.store.FindUserByName(ctx, "sune")
	a := listArticle()
	if err := s.store.CreateArticle(ctx, sune.ID, a); err != nil {
		t.Fatal(err)
	}
	before, err := s.store.FindArticle(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	bctx := inboxtest.BrowserContext(t, chromium, 1280, 900, time.Minute)
	err = chromedp.Do(bctx, chromedp.Navigate(s.url+"/login"),
		chromedp.SendKeys(chromedp.CSS(`#name`), "sune"), chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Submit(chromedp.CSS(`#password`)), chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
		chromedp.Navigate(s.url+articlePath(a.ID)), chromedp.WaitVisible(chromedp.CSS(`#article-title`)),
		chromedp.Submit(chromedp.CSS(`#article-title`)), chromedp.WaitVisible(chromedp.CSS(`.flash-ok`)))
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	got, err := s.store.FindArticle(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Keywords, before.Keywords) || !slices.Equal(got.Tags, before.Tags) || !slices.Equal(got.Synonyms, before.Synonyms) {
		t.Errorf("got keywords %q, tags %q, synonyms %q; want %q, %q, %q", got.Keywords, got.Tags, got.Synonyms, before.Keywords, before.Tags, before.Synonyms)
	}
	if got.Summary != before.Summary || got.Body != before.Body || got.Templates["sv"] != before.Templates["sv"] {
		t.Errorf("got summary %q, body %q, template %q; want %q, %q, %q", got.Summary, got.Body, got.Templates["sv"], before.Summary, before.Body, before.Templates["sv"])
	}
	if changes, err := s.store.FindArticleChanges(ctx, a.ID); err != nil || len(changes) != 1 {
		t.Errorf("got %d audit entries (%v), want only the creation", len(changes), err)
	}
}
