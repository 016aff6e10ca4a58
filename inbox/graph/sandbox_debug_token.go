package graph

import (
	"cmp"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"inkorg/inbox"
)

// TokenAnswer is what the sandbox's debug_token says of an access token.
type TokenAnswer struct {
	// Invalid makes the token invalid; ErrorCode and ErrorSubcode (default
	// 190 and 463, an expired session) and ErrorMessage say why.
	Invalid      bool
	ErrorCode    int
	ErrorSubcode int
	ErrorMessage string
	// ExpiresAt and DataAccessExpiresAt are zero for "never".
	ExpiresAt           time.Time
	DataAccessExpiresAt time.Time
	// Scopes are the token's permissions; nil means every permission
	// inkorg needs on both platforms.
	Scopes []string
	// ProfileID is the Page the token is for; empty means SandboxPageID.
	ProfileID string
}

// SetTokenAnswer makes debug_token answer a for inputToken, or for every
// token without an answer of its own when inputToken is empty. Without
// any, every token is a valid Page token that never expires and has every
// permission inkorg needs.
func (s *Sandbox) SetTokenAnswer(inputToken string, a TokenAnswer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tokens == nil {
		s.tokens = map[string]TokenAnswer{}
	}
	s.tokens[inputToken] = a
}

// tokenAnswer returns the answer configured for token.
func (s *Sandbox) tokenAnswer(token string) TokenAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.tokens[token]; ok {
		return a
	}
	return s.tokens[""]
}

// recorded returns params as a call records them: without the token
// debug_token inspects.
func recorded(params map[string]any) map[string]any {
	if _, ok := params["input_token"]; !ok {
		return params
	}
	out := maps.Clone(params)
	out["input_token"] = "[redacted]"
	return out
}

// debugToken answers GET /debug_token?input_token=… in its documented
// shape. The caller must use an app token ("app-id|app-secret").
func (s *Sandbox) debugToken(r *http.Request, params map[string]any) answer {
	if r.Method != http.MethodGet {
		return unsupported(r.Method, "debug_token")
	}
	bearer, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	appID, secret, isApp := strings.Cut(bearer, "|")
	if !isApp || appID == "" || secret == "" {
		return errorAnswer(Fault{Code: 190, Message: "Invalid OAuth access token - Cannot parse access token"})
	}
	input, _ := params["input_token"].(string)
	if input == "" {
		return invalidParam("The parameter input_token is required")
	}
	a := s.tokenAnswer(input)
	scopes := a.Scopes
	if scopes == nil {
		scopes = slices.Concat(RequiredScopes(inbox.PlatformFacebook), RequiredScopes(inbox.PlatformInstagram))
	}
	data := map[string]any{
		"app_id": appID, "type": "PAGE", "application": "inkorg sandbox",
		"profile_id": cmp.Or(a.ProfileID, SandboxPageID), "user_id": "sandbox-user",
		"is_valid": !a.Invalid, "issued_at": s.now().Add(-24 * time.Hour).Unix(),
		"expires_at": unixOrNever(a.ExpiresAt), "data_access_expires_at": unixOrNever(a.DataAccessExpiresAt),
		"scopes": scopes,
	}
	if a.Invalid {
		d := DocumentedError(cmp.Or(a.ErrorCode, 190), a.ErrorSubcode)
		if a.ErrorCode == 0 && a.ErrorSubcode == 0 {
			d = DocumentedError(190, 463)
		}
		data["error"] = map[string]any{"code": d.Code, "subcode": d.Subcode, "message": cmp.Or(a.ErrorMessage, d.Message)}
	}
	return ok(map[string]any{"data": data}, "")
}

func unixOrNever(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
