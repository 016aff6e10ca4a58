package web

// formMessages are the texts of the conversation and bulk forms: Swedish
// first, English second. They join messages at start.
var formMessages = map[string][2]string{
	"conv.draftreplace": {"Ersätta det du har skrivit i svaret med det privata utkastet? Avbryt behåller din text.",
		"Replace what you have written in the reply with the private draft? Cancel keeps your text."},
	"bulk.filtercount": {"Alla som matchar filtret: %d ärenden (högst 1 000)", "Every one matching the filter: %d conversations (at most 1,000)"},
	"bulk.filterover":  {"Alla som matchar filtret: fler än 1 000 ärenden – begränsa filtret", "Every one matching the filter: more than 1,000 conversations – narrow the filter"},
	"bulk.confirm": {"Åtgärden görs på alla %d ärenden som matchar filtret. Fortsätta?",
		"The action is done to all %d conversations matching the filter. Go ahead?"},
}

func init() { addMessages(formMessages) }
