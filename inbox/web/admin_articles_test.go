package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"inkorg/answers"
	"inkorg/inbox"
)

func articleForm(token, title, link string) url.Values {
	return url.Values{"csrf": {token}, "title": {title}, "url": {link}, "summary": {"Så får du ett lånekort."},
		"keywords": {"lånekort\r\nbibliotek"}, "synonyms": {"bibblan"}, "tags": {"bibliotek"}, "administration": {"kultur"},
		"language": {"sv"}, "template_sv": {"Hej! Läs mer här: {url}"}, "template_en": {"Hi! Read more: {url}"}, "active": {"on"}}
}

// createLanekort creates the library card article through the form as the
// user of c and returns the form token.
func createLanekort(t *testing.T, s *site, c *http.Client) string {
	t.Helper()
	token := formToken(t, c, s.url+"/admin/answers/new")
	if code, _ := post(t, c, s.url+"/admin/answers", articleForm(token, "Lånekort", "https://goteborg.se/lanekort")); code != http.StatusSeeOther {
		t.Fatalf("create: got %d, want 303", code)
	}
	return token
}

func articlePath(id int64) string { return "/admin/answers/" + strconv.FormatInt(id, 10) }

func TestArticlePagesAccess(t *testing.T) {
	s := newAdminSite(t)
	for _, name := range []string{"anna", "sara"} {
		c := s.signedIn(t, name)
		for _, p := range []string{"/admin/answers", "/admin/answers/new"} {
			if code, _, _ := get(t, c, s.url+p); code != http.StatusForbidden {
				t.Errorf("%s GET %s: got %d, want 403", name, p, code)
			}
		}
		token := formToken(t, c, s.url+"/")
		if code, _ := post(t, c, s.url+"/admin/answers", articleForm(token, "Lånekort", "https://goteborg.se/lanekort")); code != http.StatusForbidden {
			t.Errorf("%s creating an article: got %d, want 403", name, code)
		}
	}
	for _, name := range []string{"sune", "adam"} {
		c := s.signedIn(t, name)
		for _, p := range []string{"/admin/answers", "/admin/answers/new"} {
			if code, _, _ := get(t, c, s.url+p); code != http.StatusOK {
				t.Errorf("%s GET %s: got %d, want 200", name, p, code)
			}
		}
	}
	if list, _ := s.store.ListArticles(t.Context()); len(list) != 0 {
		t.Errorf("refused creates stored %d articles", len(list))
	}
	t.Run("ErrNoCSRF", func(t *testing.T) {
		c := s.signedIn(t, "sune")
		form := articleForm("", "Lånekort", "https://goteborg.se/lanekort")
		form.Del("csrf")
		if code, _ := post(t, c, s.url+"/admin/answers", form); code != http.StatusForbidden {
			t.Errorf("got %d, want 403", code)
		}
	})
}

func TestArticleRoundTrip(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	c := s.signedIn(t, "sune")
	sune, _ := s.store.FindUserByName(ctx, "sune")
	token := formToken(t, c, s.url+"/admin/answers/new")
	if code, body := post(t, c, s.url+"/admin/answers", articleForm(token, "Lånekort <b>gratis</b>", "https://goteborg.se/lanekort")); code != http.StatusSeeOther {
		t.Fatalf("create: got %d, want 303: %s", code, body)
	}
	list, err := s.store.ListArticles(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("got %d articles (%v), want 1", len(list), err)
	}
	a := list[0]
	if a.Title != "Lånekort <b>gratis</b>" || a.Administration != "kultur" || strings.Join(a.Keywords, ",") != "lånekort,bibliotek" ||
		a.Templates["sv"] != "Hej! Läs mer här: {url}" || a.Templates["en"] != "Hi! Read more: {url}" || !a.Active {
		t.Errorf("stored %+v, want the article entered", a)
	}
	code, body, _ := get(t, c, s.url+"/admin/answers?q=BIBBLAN")
	if code != http.StatusOK || !strings.Contains(body, "Lånekort &lt;b&gt;gratis&lt;/b&gt;") || strings.Contains(body, "<b>gratis") {
		t.Errorf("search by synonym: got %d, want the article with its title escaped", code)
	}
	if _, body, _ := get(t, c, s.url+"/admin/answers?q=parkering"); strings.Contains(body, "/lanekort") {
		t.Error("a search for another word lists the article")
	}

	edit := articleForm(token, "Lånekort", "https://goteborg.se/lanekort")
	edit.Set("template_en", "")
	if code, _ := post(t, c, s.url+articlePath(a.ID), edit); code != http.StatusSeeOther {
		t.Fatalf("edit: got %d, want 303", code)
	}
	if code, _ := post(t, c, s.url+articlePath(a.ID)+"/active", url.Values{"csrf": {token}, "active": {"false"}}); code != http.StatusSeeOther {
		t.Fatalf("deactivate: got %d, want 303", code)
	}
	got, err := s.store.FindArticle(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Lånekort" || got.Active || got.Templates["en"] != "" {
		t.Errorf("after edit and deactivation: got %+v", got)
	}
	if _, body, _ := get(t, c, s.url+articlePath(a.ID)); !strings.Contains(body, "avaktiverade artikeln") || !strings.Contains(body, "<td>sune</td>") {
		t.Error("the article's page does not show the history with the actor")
	}
	if code, _ := post(t, c, s.url+articlePath(a.ID)+"/delete", url.Values{"csrf": {token}}); code != http.StatusSeeOther {
		t.Fatalf("delete: got %d, want 303", code)
	}
	if _, err := s.store.FindArticle(ctx, a.ID); inbox.ErrorCode(err) != inbox.ENOTFOUND {
		t.Errorf("after delete: got %v, want not found", err)
	}
	changes, err := s.store.FindArticleChanges(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ch := range changes {
		actions = append(actions, ch.Action)
		if ch.ActorID != sune.ID {
			t.Errorf("%s by user %d, want sune", ch.Action, ch.ActorID)
		}
	}
	want := []string{answers.ActionArticleCreate, answers.ActionArticleUpdate, answers.ActionArticleDeactivate, answers.ActionArticleDelete}
	if strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Errorf("audit: got %v, want %v", actions, want)
	}
}

func TestArticleValidation(t *testing.T) {
	s := newAdminSite(t)
	c := s.signedIn(t, "adam")
	token := createLanekort(t, s, c)
	for _, tc := range []struct {
		name, title, link, want string
	}{
		{"ErrHTTP", "Lånekort", "http://goteborg.se/lanekort", "Adressen måste börja med https://"},
		{"ErrDomain", "Lånekort", "https://example.com/lanekort", "Adressen måste vara på stadens webbplatser: goteborg.se"},
		{"ErrDuplicate", "Lånekort igen", "https://goteborg.se/lanekort", "Det finns redan en artikel med den adressen"},
		{"ErrTitle", "", "https://goteborg.se/ny", "Ge artikeln en titel"},
		{"ErrHost", "Lånekort", "https://.goteborg.se/lanekort", "Adressen är inte en giltig webbadress."},
		{"ErrUser", "Lånekort", "https://anna@goteborg.se/lanekort", "Adressen är inte en giltig webbadress."},
		{"ErrPort", "Lånekort", "https://goteborg.se:8443/lanekort", "Adressen får inte ha något annat portnummer än 443."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := post(t, c, s.url+"/admin/answers", articleForm(token, tc.title, tc.link))
			if code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
				t.Errorf("got %d, want 422 saying %q", code, tc.want)
			}
			if !strings.Contains(body, `value="`+tc.link+`"`) || !strings.Contains(body, "Hej! Läs mer här: {url}") {
				t.Error("the form does not keep the values entered")
			}
			if !strings.Contains(body, `aria-invalid="true"`) {
				t.Error("no field is marked invalid")
			}
		})
	}
	if list, _ := s.store.ListArticles(t.Context()); len(list) != 1 {
		t.Errorf("got %d articles, want only the first", len(list))
	}
	// An article has one language: the field's hint asks for one code.
	_, page, _ := get(t, c, s.url+"/admin/answers/new")
	if !strings.Contains(page, `<p id="article-language-help" class="hint">En språkkod, till exempel sv, en eller ar.</p>`) {
		t.Error("the language field's hint does not ask for one language code")
	}
}

func TestArticleStats(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	c := s.signedIn(t, "adam")
	createLanekort(t, s, c)
	a, err := s.store.ApplyEvent(ctx, inbox.Event{
		Kind: inbox.EventMessageCreated, Platform: inbox.PlatformFacebook, Channel: inbox.ChannelMessenger,
		AccountExternalID: "page-1", ThreadKey: "t-1", MessageExternalID: "m-1", Direction: inbox.DirectionInbound,
		Contact: inbox.Actor{ExternalID: "c-1"}, Author: inbox.Actor{ExternalID: "c-1", Name: "Kim"},
		Text: "Hur får jag ett lånekort?", OccurredAt: time.Now().Add(-time.Hour).UTC(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.RecordArticleUses(ctx, a.ConversationID, a.MessageID, []string{"https://goteborg.se/lanekort"}); err != nil {
		t.Fatal(err)
	}
	_, body, _ := get(t, c, s.url+"/admin/answers")
	i := strings.Index(body, "Mest använda svar")
	if i < 0 {
		t.Fatal("the page has no most used answers")
	}
	if used := body[i:]; !strings.Contains(used, "<td>1</td>") || !strings.Contains(used, "https://goteborg.se/lanekort") {
		t.Error("the most used answers do not show the article used once")
	}
	if !strings.Contains(body, "Frågor utan bra svar") {
		t.Error("the page has no questions without a good answer")
	}
}

// TestArticleChangedMeanwhile saves and deactivates an article from a page
// opened before another editor changed it: both are refused, saying so,
// and the other editor's change stays.
func TestArticleChangedMeanwhile(t *testing.T) {
	s := newAdminSite(t)
	ctx := t.Context()
	c := s.signedIn(t, "sune")
	token := createLanekort(t, s, c)
	list, err := s.store.ListArticles(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("got %d articles (%v), want 1", len(list), err)
	}
	id := list[0].ID
	_, page, _ := get(t, c, s.url+articlePath(id))
	m := regexp.MustCompile(`name="version" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the article's page has no version field")
	}
	other, _ := s.store.FindUserByName(ctx, "adam")
	changed := *list[0]
	changed.Title = "Lånekort på biblioteket"
	if _, err := s.store.UpdateArticle(ctx, other.ID, &changed, answers.ActionArticleUpdate); err != nil {
		t.Fatal(err)
	}

	edit := articleForm(token, "Lånekort och e-kort", "https://goteborg.se/lanekort")
	edit.Set("version", m[1])
	code, body := post(t, c, s.url+articlePath(id), edit)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Någon annan har ändrat artikeln") {
		t.Errorf("save from the old page: got %d, want 422 saying someone else changed it", code)
	}
	post(t, c, s.url+articlePath(id)+"/active", url.Values{"csrf": {token}, "active": {"false"}, "version": {m[1]}})
	got, err := s.store.FindArticle(ctx, id)
	if err != nil || got.Title != changed.Title || !got.Active {
		t.Errorf("got %+v (%v), want the other editor's title, still active", got, err)
	}
}
