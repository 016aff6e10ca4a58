package answers

import (
	"strings"
)

// DefaultTemplates are the reply drafts for articles without their own
// template in that language: greeting, one sentence, the link, the
// signature. {{title}} and {{url}} are replaced by the article's. Beside
// Swedish and English they are in the languages of the city's largest
// groups born abroad that triage detects. All but the Swedish one say
// when the page is in Swedish ({{in_swedish}}, see Draft). Somali, Kurdish and Tigrinya have
// none yet: their conversations get the Swedish draft.
var DefaultTemplates = map[string]string{
	"sv": "Hej!\n\nDu hittar svar på din fråga på vår webbplats, \"{{title}}\":\n{{url}}\n\nVänliga hälsningar\nGöteborgs Stad",
	"en": "Hello,\n\nYou will find the answer to your question on our website{{in_swedish}}, \"{{title}}\":\n{{url}}\n\nKind regards\nGöteborgs Stad",
	"fi": "Hei!\n\nLöydät vastauksen kysymykseesi verkkosivuiltamme{{in_swedish}}, \"{{title}}\":\n{{url}}\n\nYstävällisin terveisin\nGöteborgs Stad",
	"ar": "مرحباً،\n\nستجد الإجابة على سؤالك على موقعنا الإلكتروني{{in_swedish}}، \"{{title}}\":\n{{url}}\n\nمع أطيب التحيات\nGöteborgs Stad",
	"fa": "سلام،\n\nپاسخ پرسش خود را در وب‌سایت ما{{in_swedish}} پیدا می‌کنید، «{{title}}»:\n{{url}}\n\nبا احترام\nGöteborgs Stad",
	"pl": "Dzień dobry,\n\nOdpowiedź na swoje pytanie znajdziesz na naszej stronie internetowej{{in_swedish}}, \"{{title}}\":\n{{url}}\n\nPozdrawiamy\nGöteborgs Stad",
	"bs": "Zdravo,\n\nOdgovor na svoje pitanje možete pronaći na našoj web stranici{{in_swedish}}, \"{{title}}\":\n{{url}}\n\nSrdačan pozdrav\nGöteborgs Stad",
	"tr": "Merhaba,\n\nSorunuzun yanıtını web sitemizde bulabilirsiniz{{in_swedish}}, \"{{title}}\":\n{{url}}\n\nSaygılarımızla\nGöteborgs Stad",
	"es": "Hola:\n\nEncontrarás la respuesta a tu pregunta en nuestra página web{{in_swedish}}, \"{{title}}\":\n{{url}}\n\nSaludos cordiales\nGöteborgs Stad",
	"uk": "Вітаємо!\n\nВідповідь на своє запитання ви знайдете на нашому вебсайті{{in_swedish}}, «{{title}}»:\n{{url}}\n\nЗ повагою\nGöteborgs Stad",
}

// inSwedish is what the default templates of other languages put in
// place of {{in_swedish}} to say that the page is in Swedish: English too,
// as most of goteborg.se is in Swedish only.
var inSwedish = map[string]string{
	"en": " (in Swedish)",
	"fi": " (ruotsiksi)",
	"ar": " (باللغة السويدية)",
	"fa": " (به زبان سوئدی)",
	"pl": " (po szwedzku)",
	"bs": " (na švedskom)",
	"tr": " (İsveççe)",
	"es": " (en sueco)",
	"uk": " (шведською мовою)",
}

// Draft returns a reply draft linking a, in lang ("sv", "en", "ar" …), for the
// agent to edit: the article's own template in that language, else the
// default one, which says so when the page is in Swedish (an article
// without a language is taken to be). ok is false when there is no
// template in lang.
func Draft(a *Article, lang string) (draft string, ok bool) {
	lang = strings.ToLower(strings.TrimSpace(lang))
	tmpl, ok := articleTemplate(a, lang)
	if !ok {
		tmpl, ok = DefaultTemplates[lang]
	}
	if !ok {
		return "", false
	}
	note := ""
	if l := strings.ToLower(strings.TrimSpace(a.Language)); l == "sv" || l == "" {
		note = inSwedish[lang]
	}
	r := strings.NewReplacer("{{title}}", a.Title, "{{url}}", a.URL, "{{in_swedish}}", note)
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
// may have them ("SV"). A blank template, which articles stored before
// normalize dropped them may have, is none.
func articleTemplate(a *Article, lang string) (string, bool) {
	if t, ok := a.Templates[lang]; ok && strings.TrimSpace(t) != "" {
		return t, true
	}
	for k, t := range a.Templates {
		if strings.ToLower(strings.TrimSpace(k)) == lang && strings.TrimSpace(t) != "" {
			return t, true
		}
	}
	return "", false
}
