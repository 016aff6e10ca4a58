package web

// articleMessages are the texts of the answer bank editor's form beside
// those in adminMessages: Swedish first, English second. They join
// messages at start.
var articleMessages = map[string][2]string{
	"articles.list.help": {"Ett per rad. Ett nyckelord, en synonym eller en tagg får innehålla komma, till exempel Göteborg, stad.",
		"One per line. A keyword, synonym or tag may hold a comma, such as Göteborg, stad."},
	"articles.err.template_language": {"Artikeln har en svarsmall på %q, som inte är en språkkod som sv eller en. Byt namn på den eller ta bort den genom API:t eller en import.",
		"The article has a reply template in %q, which is not a language code such as sv or en. Rename or remove it through the API or an import."},
}

func init() { addMessages(articleMessages) }
