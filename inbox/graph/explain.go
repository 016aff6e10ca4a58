package graph

import "errors"

// Explanation is what an agent is told about a failed call, in Swedish
// first and in English.
type Explanation struct {
	SV string `json:"sv"`
	EN string `json:"en"`
}

// explanations holds the text for each class.
var explanations = map[Class]Explanation{
	Transient: {
		SV: "Meta svarade inte just nu (tillfälligt fel eller för många anrop). Svaret skickas igen automatiskt om en stund.",
		EN: "Meta did not answer right now (a temporary error or too many calls). The reply is sent again automatically in a while.",
	},
	Ambiguous: {
		SV: "Det är oklart om svaret kom fram: Meta hann inte bekräfta det. Kontrollera på Facebook eller Instagram innan du skickar igen, så att medborgaren inte får svaret två gånger.",
		EN: "It is unclear whether the reply arrived: Meta did not confirm it. Check on Facebook or Instagram before sending again, so the citizen does not get the reply twice.",
	},
	Token: {
		SV: "Kontots åtkomsttoken saknas, är ogiltig eller har gått ut. Inget skickades. En administratör behöver koppla kontot på nytt; därefter kan du skicka igen.",
		EN: "The account's access token is missing, invalid or expired. Nothing was sent. An administrator needs to reconnect the account; then you can send again.",
	},
	OutsideWindow: {
		SV: "Meddelandet skickades inte: tiden för att svara har gått ut (24 timmar efter medborgarens senaste meddelande, 7 dagar med handläggartaggen). Svara när medborgaren skriver igen, eller hänvisa till en annan kanal.",
		EN: "The message was not sent: the time to reply has run out (24 hours after the citizen's last message, 7 days with the human-agent tag). Reply when the citizen writes again, or refer them to another channel.",
	},
	RecipientUnavailable: {
		SV: "Meddelandet skickades inte: personen kan inte ta emot meddelanden från kontot just nu (till exempel blockerat eller avslutat konto).",
		EN: "The message was not sent: the person cannot receive messages from the account right now (for example blocked or a closed account).",
	},
	InvalidRequest: {
		SV: "Svaret är ogiltigt och skickades inte (till exempel tom eller för lång text, eller en kommentar som inte längre finns eller inte går att svara på). Ändra svaret och försök igen.",
		EN: "The reply is invalid and was not sent (for example empty or too long text, or a comment that no longer exists or cannot be answered). Change the reply and try again.",
	},
	Permission: {
		SV: "Kontot saknar behörighet för detta hos Meta, eller är tillfälligt begränsat. Inget skickades. Kontakta en administratör.",
		EN: "The account lacks the permission for this at Meta, or is temporarily restricted. Nothing was sent. Contact an administrator.",
	},
	Permanent: {
		SV: "Meta avvisade anropet. Inget skickades, och att försöka igen ger samma fel. Kontakta en administratör om det upprepas.",
		EN: "Meta rejected the call. Nothing was sent, and trying again gives the same error. Contact an administrator if it happens again.",
	},
}

// specificExplanations override the class text for errors agents meet
// often enough to deserve their own words.
var specificExplanations = map[[2]int]Explanation{
	{10, subcodeTemporarilyBlocked}: {
		SV: "Meta har tillfälligt spärrat sidan från att skicka meddelanden. Inget skickades. Kontakta en administratör.",
		EN: "Meta has temporarily restricted the page from sending messages. Nothing was sent. Contact an administrator.",
	},
	{100, subcodeNoMatchingUser}: explanations[RecipientUnavailable],
	{506, 0}: {
		SV: "Meta avvisade svaret som en dubblett av ett tidigare inlägg. Kontrollera tråden; svaret finns troligen redan.",
		EN: "Meta rejected the reply as a duplicate of an earlier post. Check the thread; the reply is probably there already.",
	},
}

// explain returns the agent's text for e.
func explain(e *Error) Explanation {
	if x, ok := specificExplanations[[2]int{e.Code, e.Subcode}]; ok {
		return x
	}
	if x, ok := explanations[e.Class]; ok {
		return x
	}
	return explanations[Permanent]
}

// ExplainError returns what an agent is told about err: its *Error's
// explanation, or the transient one for an error that did not come from
// Meta.
func ExplainError(err error) Explanation {
	var e *Error
	if errors.As(err, &e) {
		return e.Explain()
	}
	return explanations[Transient]
}
