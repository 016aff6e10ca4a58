package answers

import (
	"strings"
)

// DefaultTemplates are the reply drafts for articles without their own
// template in that language: greeting, one sentence, the link, the
// signature. {{title}} and {{url}} are replaced by the article's.
var DefaultTemplates = map[string]string{
	"sv": "Hej!\n\nDu hittar svar på din fråga på vår webbplats, \"{{title}}\":\n{{url}}\n\nVänliga hälsningar\nGöteborgs Stad",
	"en": "Hello,\n\nYou will find the answer to your question on our website, \"{{title}}\":\n{{url}}\n\nKind regards\nGöteborgs Stad",
}

// Draft returns a reply draft linking a, in lang ("sv", "en"), for the
// agent to edit: the article's own template in that language, else the
// default one. ok is false when there is no template in lang.
func Draft(a *Article, lang string) (draft string, ok bool) {
	lang = strings.ToLower(strings.TrimSpace(lang))
	tmpl, ok := a.Templates[lang]
	if !ok {
		tmpl, ok = DefaultTemplates[lang]
	}
	if !ok {
		return "", false
	}
	r := strings.NewReplacer("{{title}}", a.Title, "{{url}}", a.URL)
	return r.Replace(tmpl), true
}
