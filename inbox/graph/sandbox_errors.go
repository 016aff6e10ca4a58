package graph

import "fmt"

// DocumentedErrors are the Graph API errors inkorg knows how to explain,
// with the status and text Meta documents for them. The demo offers them
// to the sandbox; tests run every class through them.
var DocumentedErrors = []Fault{
	{Status: 500, Code: 1, Type: "OAuthException", Message: "An unknown error occurred"},
	{Status: 500, Code: 1, Subcode: subcodeInvalidJSONReply, Type: "OAuthException", Message: "Received invalid JSON reply."},
	{Status: 500, Code: 2, Type: "OAuthException", Message: "An unexpected error has occurred. Please retry your request later."},
	{Status: 500, Code: -1, Subcode: 2018012, Type: "OAuthException", Message: "(#-1) Send API unexpected internal error"},
	{Status: 400, Code: 4, Type: "OAuthException", Message: "(#4) Application request limit reached"},
	{Status: 400, Code: 17, Type: "OAuthException", Message: "(#17) User request limit reached"},
	{Status: 400, Code: 32, Type: "OAuthException", Message: "(#32) Page request limit reached"},
	{Status: 400, Code: 613, Type: "OAuthException", Message: "(#613) Calls to this api have exceeded the rate limit."},
	{Status: 400, Code: 80001, Type: "OAuthException", Message: "(#80001) There have been too many calls to this Page account. Wait a bit and try again."},
	{Status: 400, Code: 80002, Type: "OAuthException", Message: "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again."},
	{Status: 400, Code: 80006, Type: "OAuthException", Message: "(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again."},
	{Status: 400, Code: 190, Subcode: 463, Type: "OAuthException", Message: "Error validating access token: Session has expired."},
	{Status: 400, Code: 190, Subcode: 460, Type: "OAuthException", Message: "Error validating access token: The session has been invalidated because the user changed their password."},
	{Status: 400, Code: 190, Type: "OAuthException", Message: "Invalid OAuth access token."},
	{Status: 400, Code: 10, Subcode: subcodeOutsideWindow, Type: "OAuthException", Message: "(#10) This message is sent outside of allowed window."},
	{Status: 400, Code: 10, Subcode: subcodeCannotReceive, Type: "OAuthException", Message: "(#10) This person cannot receive messages right now."},
	{Status: 400, Code: 10, Subcode: subcodeTemporarilyBlocked, Type: "OAuthException", Message: "(#10) Pages temporarily restricted from sending messages."},
	{Status: 400, Code: 10, Type: "OAuthException", Message: "(#10) Permission denied"},
	{Status: 400, Code: 200, Subcode: subcodeNotReceivingNow, Type: "OAuthException", Message: "(#200) Message Not Sent: This person isn't receiving messages from you right now."},
	{Status: 400, Code: 200, Type: "OAuthException", Message: "(#200) Permissions error"},
	{Status: 400, Code: 551, Type: "OAuthException", Message: "(#551) This person isn't available right now."},
	{Status: 400, Code: 100, Subcode: subcodeNoMatchingUser, Type: "OAuthException", Message: "(#100) No matching user found"},
	{Status: 400, Code: 100, Type: "OAuthException", Message: "(#100) Invalid parameter"},
	{Status: 400, Code: 368, Type: "OAuthException", Message: "(#368) The action attempted has been deemed abusive or is otherwise disallowed"},
	{Status: 400, Code: 506, Type: "OAuthException", Message: "(#506) Duplicate status message"},
}

// DocumentedError returns the documented fault for code and subcode, or a
// generic one (400, or 500 for Meta's own failures) for codes not listed.
func DocumentedError(code, subcode int) Fault {
	for _, f := range DocumentedErrors {
		if f.Code == code && f.Subcode == subcode {
			return f
		}
	}
	f := Fault{Status: 400, Code: code, Subcode: subcode, Type: "OAuthException", Message: fmt.Sprintf("(#%d) Error", code)}
	if code == 1 || code == 2 || code == -1 {
		f.Status = 500
	}
	return f
}
