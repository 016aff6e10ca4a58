package answers_test

import (
	"strings"
	"testing"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/sqlstore"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// cityLinks are article URLs with the host an article may or may not
// have: for a valid one its stored spelling, for an invalid one a part of
// the reason given, in English (reason) and in Swedish (sv).
var cityLinks = []struct{ name, url, want, reason, sv string }{
	{name: "OK/Domain", url: "https://goteborg.se/x1", want: "https://goteborg.se/x1"},
	{name: "OK/WWW", url: "https://www.goteborg.se/x2", want: "https://www.goteborg.se/x2"},
	{name: "OK/Hyphens", url: "https://a-b--c.goteborg.se/x3", want: "https://a-b--c.goteborg.se/x3"},
	{name: "OK/Digits", url: "https://1177.goteborg.se/x4", want: "https://1177.goteborg.se/x4"},
	{name: "OK/TrailingDot", url: "https://goteborg.se./x5", want: "https://goteborg.se/x5"},
	{name: "OK/DefaultPort", url: "https://goteborg.se:443/x6", want: "https://goteborg.se/x6"},
	{name: "OK/Punycode", url: "https://xn--frskola-90a.goteborg.se/x7", want: "https://xn--frskola-90a.goteborg.se/x7"},
	{name: "OK/International", url: "https://FÖRSKOLA.goteborg.se/x8", want: "https://xn--frskola-90a.goteborg.se/x8"},
	{name: "OK/IdeographicDot", url: "https://goteborg.se\u3002/x9", want: "https://goteborg.se/x9"},
	{name: "ErrLeadingDot", url: "https://.goteborg.se/x", reason: "empty", sv: "är tom"},
	{name: "ErrTwoDots", url: "https://a..goteborg.se/", reason: "empty", sv: "är tom"},
	{name: "ErrTwoTrailingDots", url: "https://goteborg.se../", reason: "empty", sv: "är tom"},
	{name: "ErrUnderscore", url: "https://a_b.goteborg.se/", reason: "only letters, digits, hyphens", sv: "bara bokstäver a–z, siffror, bindestreck"},
	{name: "ErrLeadingHyphen", url: "https://-a.goteborg.se/", reason: "hyphen", sv: "bindestreck"},
	{name: "ErrTrailingHyphen", url: "https://a-.goteborg.se/", reason: "hyphen", sv: "bindestreck"},
	{name: "ErrLongLabel", url: "https://" + strings.Repeat("a", 64) + ".goteborg.se/", reason: "longer than 63", sv: "längre än 63"},
	{name: "ErrBadPunycode", url: "https://xn--zzzz.goteborg.se/", reason: "not a valid international name", sv: "inget giltigt internationellt namn"},
	{name: "ErrUserName", url: "https://user@goteborg.se/", reason: "user name", sv: "användarnamn"},
	{name: "ErrEmptyUserInfo", url: "https://@goteborg.se/", reason: "user name", sv: "användarnamn"},
	{name: "ErrPort", url: "https://goteborg.se:8443/x", reason: "port", sv: "annan port än 443"},
	{name: "ErrPortZero", url: "https://goteborg.se:0/x", reason: "port", sv: "annan port än 443"},
}

// TestValidateCityLinkHost checks the host of an article's URL, as every
// way in checks it.
func TestValidateCityLinkHost(t *testing.T) {
	for _, tc := range cityLinks {
		t.Run(tc.name, func(t *testing.T) {
			a := &answers.Article{Title: "T", URL: tc.url}
			err := a.Validate(answers.DefaultDomains)
			switch {
			case tc.reason == "" && (err != nil || a.URL != tc.want):
				t.Fatalf("Validate(%q): got %v with URL %q, want URL %q", tc.url, err, a.URL, tc.want)
			case tc.reason != "" && (err == nil || !says(err.Error(), tc.sv, tc.reason)):
				t.Fatalf("Validate(%q): got %v, want an error saying %q / %q", tc.url, err, tc.sv, tc.reason)
			}
		})
	}
}

// TestImportCityLinkHost imports each URL: a bad host is a rejected line
// with its reason, the rest are imported.
func TestImportCityLinkHost(t *testing.T) {
	var file strings.Builder
	file.WriteString("title,url\n")
	for _, tc := range cityLinks {
		file.WriteString(tc.name + "," + tc.url + "\n")
	}
	p, err := answers.Parse(strings.NewReader(file.String()), answers.FormatCSV, answers.DefaultDomains)
	if err != nil {
		t.Fatal(err)
	}
	imported := map[string]string{}
	for _, a := range p.Articles {
		imported[a.Title] = a.URL
	}
	rejected := map[string]string{}
	for _, r := range p.Rejected {
		rejected[cityLinks[r.Line-2].name] = r.Reason
	}
	for _, tc := range cityLinks {
		got, ok := imported[tc.name]
		switch {
		case tc.reason == "" && got != tc.want:
			t.Errorf("%s: got URL %q (rejected: %q), want it imported as %q", tc.name, got, rejected[tc.name], tc.want)
		case tc.reason != "" && (ok || !says(rejected[tc.name], tc.sv, tc.reason)):
			t.Errorf("%s: got imported %v, reason %q; want it rejected saying %q / %q", tc.name, ok, rejected[tc.name], tc.sv, tc.reason)
		}
	}
}

// TestEditorCityLinkHost saves an article with each bad host through the
// editor: it is refused as invalid, with the reason, and nothing stored.
func TestEditorCityLinkHost(t *testing.T) {
	admin := &inbox.User{Name: "admin", Role: inbox.RoleAdmin}
	st := sqlstore.NewStore(sqlstoretest.SQLite(t))
	ed := &answers.Editor{Store: st}
	for _, tc := range cityLinks {
		if tc.reason == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			_, err := ed.Create(t.Context(), admin, &answers.Article{Title: "T", URL: tc.url, Active: true})
			if inbox.ErrorCode(err) != inbox.EINVALID || !says(inbox.ErrorMessage(err), tc.sv, tc.reason) {
				t.Fatalf("Create(%q): got %v, want EINVALID saying %q / %q", tc.url, err, tc.sv, tc.reason)
			}
		})
	}
	if arts, err := st.ListArticles(t.Context()); err != nil || len(arts) != 0 {
		t.Fatalf("got %d articles, %v; want none stored", len(arts), err)
	}
}
