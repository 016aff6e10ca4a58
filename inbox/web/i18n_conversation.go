package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"inkorg/inbox"
)

// conversationMessages are the texts of the conversation page's thread,
// notes, outbound list, history and status form, and the audit actions
// of package inbox: Swedish first, English second. They join messages at
// start.
var conversationMessages = map[string][2]string{
	"conv.uncertain":    {"Osäker – behöver bedömning", "Uncertain – needs assessment"},
	"conv.alternatives": {"Andra möjliga förvaltningar", "Other possible administrations"},
	"conv.referral":     {"Hänvisa till", "Refer to"},
	"conv.chooseadmin":  {"Välj förvaltning…", "Choose administration…"},

	"conv.live.new":     {"Nytt meddelande i tråden", "New message in the thread"},
	"conv.live.newmany": {"%d nya meddelanden i tråden", "%d new messages in the thread"},
	"conv.live.left":    {"Ärendet har skickats vidare till en annan förvaltning och visas inte längre för dig. Det du har skrivit finns kvar här men kan inte skickas.", "The conversation was routed to another administration and is no longer shown to you. What you have written is still here but cannot be sent."},
	"conv.live.gone":    {"Ärendet är inte längre tillgängligt för dig. Ladda om sidan eller gå tillbaka till inkorgen.", "The conversation is no longer available to you. Reload the page or go back to the inbox."},

	"conv.setstatus":      {"Ändra status", "Change status"},
	"conv.setstatus.help": {"Väntar på medborgaren pausar svarstidsklockan tills medborgaren skriver igen.", "Waiting on citizen pauses the response-time clock until the citizen writes again."},
	"setstatus.resolved":  {"Klar", "Resolved"},
	"setstatus.pending":   {"Väntar på medborgaren", "Waiting on citizen"},
	"setstatus.open":      {"Öppna igen", "Reopen"},
	"setstatus.spam":      {"Skräp", "Spam"},

	"hist.started":  {"Medborgaren skrev — ny", "New: the citizen wrote"},
	"hist.reopened": {"Medborgaren skrev igen — öppnad igen", "Reopened: the citizen wrote again"},
	"hist.answered": {"Medborgaren svarade — väntar inte längre", "Opened: the citizen answered, no longer waiting"},
	"hist.status":   {"Status ändrad utan personalåtgärd:", "Status changed without a staff action:"},

	"atype.image":            {"Bild", "Image"},
	"atype.video":            {"Video", "Video"},
	"atype.audio":            {"Ljud", "Audio"},
	"atype.file":             {"Fil", "File"},
	"atype.location":         {"Plats", "Location"},
	"atype.fallback":         {"Länk", "Link"},
	"atype.share":            {"Delat inlägg", "Shared post"},
	"atype.story_reply":      {"Svar på en story", "Reply to a story"},
	"atype.story_mention":    {"Omnämnande i story", "Story mention"},
	"atype.ig_reel":          {"Reel", "Reel"},
	"atype.reel":             {"Reel", "Reel"},
	"atype.unsupported_type": {"Innehåll som Meta inte visar", "Content Meta does not show"},
	"atype.unknown":          {"Bilaga", "Attachment"},
	"attachment.other":       {"Bilaga (%s)", "Attachment (%s)"},
	"attachment.list":        {"Bilagor", "Attachments"},
	"attachment.open":        {"Öppna", "Open"},

	"msg.edited":   {"redigerat", "edited"},
	"msg.original": {"Ursprunglig text:", "Original text:"},
	"msg.notext":   {"(ingen text)", "(no text)"},

	"delivery.queued":      {"I kö", "Queued"},
	"delivery.sending":     {"Skickas", "Sending"},
	"delivery.sent":        {"Skickat", "Sent"},
	"delivery.delivered":   {"Levererat", "Delivered"},
	"delivery.read":        {"Läst", "Read"},
	"delivery.failed":      {"Misslyckades", "Failed"},
	"delivery.needs_check": {"Behöver kontrolleras", "Needs checking"},
	"conv.replyfailed":     {"Svaret kunde inte skickas. Orsaken står under Skickat.", "The reply could not be sent. The reason is under Sent."},
	"conv.replycheck":      {"Det är oklart om svaret kom fram. Kontrollera på plattformen innan det skickas igen.", "It is unclear whether the reply went through. Check on the platform before sending it again."},

	"note.question": {"Fråga till förvaltningen", "Question to the department"},
	"note.answer":   {"Svar från förvaltningen", "Answer from the department"},
	"note.return":   {"Återlämnat", "Returned"},

	"okind.public_reply":           {"Offentligt svar", "Public reply"},
	"okind.private_reply":          {"Privat svar", "Private reply"},
	"okind.direct_message":         {"Direktmeddelande", "Direct message"},
	"okind.hide_comment":           {"Dölj kommentar", "Hide comment"},
	"okind.unhide_comment":         {"Visa kommentar igen", "Unhide comment"},
	"okind.delete_comment":         {"Radera kommentar", "Delete comment"},
	"ostate.queued":                {"I kö", "Queued"},
	"ostate.sending":               {"Skickas", "Sending"},
	"ostate.sent":                  {"Utfört", "Done"},
	"ostate.failed":                {"Misslyckades", "Failed"},
	"ostate.needs_check":           {"Behöver kontrolleras", "Needs checking"},
	"fclass.transient":             {"Tillfälligt fel hos Meta", "Temporary error at Meta"},
	"fclass.ambiguous":             {"Oklart om det gick fram", "Unclear whether it went through"},
	"fclass.token":                 {"Kontots åtkomsttoken gäller inte", "The account's access token is not valid"},
	"fclass.outside_window":        {"Svarsfönstret har stängt", "The reply window has closed"},
	"fclass.recipient_unavailable": {"Mottagaren kan inte ta emot meddelanden", "The recipient cannot receive messages"},
	"fclass.invalid_request":       {"Meta avvisade anropet", "Meta rejected the request"},
	"fclass.permission":            {"Behörighet saknas hos Meta", "A permission is missing at Meta"},
	"fclass.permanent":             {"Meta avvisade åtgärden", "Meta refused the action"},

	"action.hide_comment":       {"dolde kommentaren", "hid the comment"},
	"action.unhide_comment":     {"visade kommentaren igen", "unhid the comment"},
	"action.delete_comment":     {"raderade kommentaren", "deleted the comment"},
	"action.retry_outbound":     {"försökte skicka igen", "tried sending again"},
	"action.alert_tag":          {"taggade för ett krislarm", "tagged for a crisis alert"},
	"action.moderation_settled": {"modereringen genomfördes på plattformen", "the platform carried out the moderation"},
	"action.moderation_reopened": {"modereringen gick inte igenom; kommentaren ska granskas igen",
		"the moderation did not go through; the comment is back for review"},
	"action.retention_run":     {"körde gallringen", "ran the retention policy"},
	"action.retention_dry_run": {"provkörde gallringen", "tried out the retention policy"},
	"action.retention":         {"gallrade enligt bevarandetiden", "removed under the retention policy"},
	"action.subject_export":    {"lämnade ut den registrerades uppgifter", "exported the data subject's data"},
	"action.subject_removal":   {"raderade den registrerades uppgifter", "erased the data subject's data"},
	"action.token_create":      {"skapade en API-token", "created an API token"},
	"action.token_revoke":      {"återkallade en API-token", "revoked an API token"},
	// Languages triage tells, with their codes, as agents filter by them.
	"lang.sv":  {"Svenska (sv)", "Swedish (sv)"},
	"lang.en":  {"Engelska (en)", "English (en)"},
	"lang.ar":  {"Arabiska (ar)", "Arabic (ar)"},
	"lang.fa":  {"Persiska (fa)", "Persian (fa)"},
	"lang.so":  {"Somaliska (so)", "Somali (so)"},
	"lang.fi":  {"Finska (fi)", "Finnish (fi)"},
	"lang.ti":  {"Tigrinska (ti)", "Tigrinya (ti)"},
	"lang.bs":  {"Bosniska, kroatiska eller serbiska (bs)", "Bosnian, Croatian or Serbian (bs)"},
	"lang.pl":  {"Polska (pl)", "Polish (pl)"},
	"lang.tr":  {"Turkiska (tr)", "Turkish (tr)"},
	"lang.es":  {"Spanska (es)", "Spanish (es)"},
	"lang.uk":  {"Ukrainska (uk)", "Ukrainian (uk)"},
	"lang.ru":  {"Ryska (ru)", "Russian (ru)"},
	"lang.de":  {"Tyska (de)", "German (de)"},
	"lang.no":  {"Norska (no)", "Norwegian (no)"},
	"lang.da":  {"Danska (da)", "Danish (da)"},
	"lang.ku":  {"Kurdiska (ku)", "Kurdish (ku)"},
	"lang.vi":  {"Vietnamesiska (vi)", "Vietnamese (vi)"},
	"lang.und": {"Obestämt (und)", "Undetermined (und)"},
}

func init() { addMessages(conversationMessages) }

// Label names code in the page's language by its text prefix.code, or
// shows the code when it has none.
func (p *page) Label(prefix string, code any) string {
	key := fmt.Sprintf("%s.%v", prefix, code)
	if _, ok := messages[key]; ok {
		return p.T(key)
	}
	return fmt.Sprint(code)
}

// AttachmentType names an attachment's type; a type Meta added later
// keeps its name.
func (p *page) AttachmentType(typ string) string {
	if _, ok := messages["atype."+typ]; ok {
		return p.T("atype." + typ)
	}
	return p.Tf("attachment.other", typ)
}

// Failure says why an outbound action failed: Meta's reason as the
// sender told it, or else the error class.
func (p *page) Failure(f *inbox.OutboundFailure) string {
	switch {
	case p.Lang == "en" && f.EN != "":
		return f.EN
	case p.Lang != "en" && f.SV != "":
		return f.SV
	}
	return p.Label("fclass", f.Class)
}

// isHTTPS reports whether raw is an absolute https URL, the only kind the
// thread links to: Meta's CDN serves attachments over https, and anything
// else in a payload is not worth a click.
func isHTTPS(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.EqualFold(u.Scheme, "https") && u.Host != ""
}

// coordinates is a location attachment's "latitude, longitude", or ""
// when it has none.
func coordinates(a inbox.Attachment) string {
	if a.Latitude == nil || a.Longitude == nil {
		return ""
	}
	return strconv.FormatFloat(*a.Latitude, 'f', -1, 64) + ", " + strconv.FormatFloat(*a.Longitude, 'f', -1, 64)
}
