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
	tmpl, ok := articleTemplate(a, lang)
	if !ok {
		tmpl, ok = DefaultTemplates[lang]
	}
	if !ok {
		return "", false
	}
	r := strings.NewReplacer("{{title}}", a.Title, "{{url}}", a.URL)
	return r.Replace(tmpl), true
}

// DraftLanguage is the language drafts fall back to: a conversation
// without a language, with an undetermined one ("und"), or with one
// there is no template for gets a Swedish draft.
const DraftLanguage = "sv"

// ConversationDraft returns the reply draft linking a for a conversation
// in lang: the draft in lang when there is a template for it, else the
// Swedish one.
func ConversationDraft(a *Article, lang string) string {
	if d, ok := Draft(a, lang); ok {
		return d
	}
	d, _ := Draft(a, DraftLanguage)
	return d
}

// articleTemplate is a's template in lang; keys are matched without case
// and surrounding space, as articles stored before keys were normalised
// may have them ("SV").
func articleTemplate(a *Article, lang string) (string, bool) {
	if t, ok := a.Templates[lang]; ok {
		return t, true
	}
	for k, t := range a.Templates {
		if strings.ToLower(strings.TrimSpace(k)) == lang {
			return t, true
		}
	}
	return "", false
}
