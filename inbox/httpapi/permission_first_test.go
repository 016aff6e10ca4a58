package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/httpapi"
)

// conversationPaths are the conversation endpoints that read a body.
var conversationPaths = []string{"claim", "assign", "route", "answer", "return", "notes", "tags", "status", "snooze", "reply", "presence"}

// wantRefused sends body to path as user and checks that it is refused
// with status and the error code code, whatever the body holds.
func (s *staff) wantRefused(t *testing.T, method, path string, user *inbox.User, body string, status int, code string) {
	t.Helper()
	var out httpapi.ErrorResponse
	resp := s.do(t, method, path, user, body, &out)
	if resp.StatusCode != status || out.Error.Code != code {
		t.Errorf("%s %s as %s, body %.40s: got %d %+v, want %d %s", method, path, user.Role, body, resp.StatusCode, out.Error, status, code)
	}
}

// TestActionPermissionBeforeBody: a user who may not act on a
// conversation is told so (403), and a conversation that does not exist
// is 404, whatever the body: the answer never says what is wrong with
// the body of a request that could not be made anyway. Nothing is
// recorded.
func TestActionPermissionBeforeBody(t *testing.T) {
	s := newStaff(t)
	foreign := s.conversation(t, "kretslopp-och-vatten")
	before := len(s.audit(t, foreign))
	for _, body := range []string{`{"bogus":1}`, `{"text":`, `[]`} {
		for _, action := range conversationPaths {
			t.Run("Foreign/"+action+"/Err403", func(t *testing.T) {
				s.wantRefused(t, http.MethodPost, fmt.Sprintf("/api/v1/conversations/%d/%s", foreign, action), s.spec, body, http.StatusForbidden, inbox.EFORBIDDEN)
			})
			t.Run("Missing/"+action+"/Err404", func(t *testing.T) {
				s.wantRefused(t, http.MethodPost, fmt.Sprintf("/api/v1/conversations/%d/%s", foreign+1000, action), s.agent, body, http.StatusNotFound, inbox.ENOTFOUND)
			})
		}
	}
	if after := len(s.audit(t, foreign)); after != before {
		t.Errorf("got %d audit entries, want %d: a refused request records nothing", after, before)
	}
}

// TestRolePermissionBeforeBody: a specialist may not route a conversation
// on nor reply to the citizen, and an agent may not act for a department;
// each is told so, not
// that the administration is unknown, the text is missing or the body is
// no JSON object.
func TestRolePermissionBeforeBody(t *testing.T) {
	s := newStaff(t)
	own := s.conversation(t, "idrott-och-forening")
	for _, tc := range []struct {
		name   string
		user   *inbox.User
		action string
		body   string
	}{
		{"SpecialistRoutesToNoID", s.spec, "route", `{"administration_id":"Inte ett id","question":"?"}`},
		{"SpecialistRoutesWithoutQuestion", s.spec, "route", `{"administration_id":"kultur","question":""}`},
		{"AgentAnswersEmpty", s.agent, "answer", `{"text":""}`},
		{"AgentReturnsEmpty", s.agent, "return", `{"text":"  "}`},
		{"SpecialistRoutesNotJSON", s.spec, "route", `{"administration_id":`},
		{"SpecialistRoutesUnknownField", s.spec, "route", `{"bogus":1}`},
		{"AgentAnswersNotJSON", s.agent, "answer", `[]`},
		{"AgentReturnsNotJSON", s.agent, "return", `{"text":`},
		{"SpecialistReplies", s.spec, "reply", `{"kind":"direct","text":"Hej!"}`},
		{"SpecialistRepliesEmpty", s.spec, "reply", `{"kind":"direct","text":""}`},
		{"SpecialistRepliesNotJSON", s.spec, "reply", `{"kind":`},
	} {
		t.Run(tc.name+"/Err403", func(t *testing.T) {
			s.wantRefused(t, http.MethodPost, fmt.Sprintf("/api/v1/conversations/%d/%s", own, tc.action), tc.user, tc.body, http.StatusForbidden, inbox.EFORBIDDEN)
		})
	}
	t.Run("SupervisorAnswersEmpty/Err400", func(t *testing.T) {
		var out httpapi.ErrorResponse
		resp := s.post(t, fmt.Sprintf("/api/v1/conversations/%d/answer", own), s.sup, `{"text":""}`, &out)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("got %d %+v, want 400: one who may act is told what is wrong", resp.StatusCode, out.Error)
		}
	})
}

// TestRestrictedPermissionBeforeInput: the endpoints for admins (routing
// rules, data-subject requests) and the moderation report, which is not
// for specialists, refuse those who may not use them with 403 whatever
// the path, query or body holds, rather than saying what is wrong with
// it; nothing is changed.
func TestRestrictedPermissionBeforeInput(t *testing.T) {
	s := newStaff(t)
	for _, tc := range []struct {
		name, method, path, body string
		user                     *inbox.User
	}{
		{"CreateRuleBadBody", http.MethodPost, "/api/v1/rules", `{"bogus":1}`, s.sup},
		{"CreateRuleNotJSON", http.MethodPost, "/api/v1/rules", `{"name":`, s.agent},
		{"UpdateRuleBadBody", http.MethodPut, "/api/v1/rules/1", `{"position":"first"}`, s.sup},
		{"UpdateRuleBadID", http.MethodPut, "/api/v1/rules/eins", `{}`, s.agent},
		{"DeleteRuleBadID", http.MethodDelete, "/api/v1/rules/eins", ``, s.sup},
		{"SubjectBadContact", http.MethodGet, "/api/v1/subjects?contact=abc", ``, s.sup},
		{"RemoveSubjectBadBody", http.MethodPost, "/api/v1/subjects/1/remove", `{"bogus":1}`, s.agent},
		{"RemoveSubjectBadID", http.MethodPost, "/api/v1/subjects/x/remove", `{}`, s.agent},
		{"RemoveByPlatformIDBadBody", http.MethodPost, "/api/v1/subjects/remove", `[]`, s.spec},
		{"ModerationReportBadFrom", http.MethodGet, "/api/v1/moderation/report?from=igår", ``, s.spec},
		{"ModerationReportBadTo", http.MethodGet, "/api/v1/moderation/report?to=2026-13-40", ``, s.spec},
	} {
		t.Run(tc.name+"/Err403", func(t *testing.T) {
			s.wantRefused(t, tc.method, tc.path, tc.user, tc.body, http.StatusForbidden, inbox.EFORBIDDEN)
		})
	}
}

// TestModerationPermissionBeforeBody: hiding, unhiding, deleting or
// deciding on a comment in a conversation the caller may not see is 403,
// and on a message that does not exist 404, whatever the body holds.
func TestModerationPermissionBeforeBody(t *testing.T) {
	s := newStaff(t)
	_, msg := s.comment(t, "kretslopp-och-vatten")
	long := `{"reason":"` + strings.Repeat("a", inbox.MaxNoteLength+1) + `"}`
	for _, tc := range []struct{ path, body string }{
		{"messages/%d/hide", `{"bogus":1}`},
		{"messages/%d/unhide", `[]`},
		{"messages/%d/delete", long},
		{"moderation/%d", `{"decision":"burn"}`},
		{"moderation/%d", `{"decision":"keep","category":"spam","reason":""}`},
	} {
		t.Run(strings.Split(tc.path, "/")[0]+"/Err403", func(t *testing.T) {
			s.wantRefused(t, http.MethodPost, "/api/v1/"+fmt.Sprintf(tc.path, msg), s.spec, tc.body, http.StatusForbidden, inbox.EFORBIDDEN)
		})
		t.Run(strings.Split(tc.path, "/")[0]+"/Err404", func(t *testing.T) {
			s.wantRefused(t, http.MethodPost, "/api/v1/"+fmt.Sprintf(tc.path, msg+1000), s.agent, tc.body, http.StatusNotFound, inbox.ENOTFOUND)
		})
	}
}

// TestRestrictedPermissionBeforeID: a user who may not see users, routing
// rules or answer-bank articles, or a conversation's suggestions, is told
// so (403) also when the id or the limit asked for is no good.
func TestRestrictedPermissionBeforeID(t *testing.T) {
	s, _ := newEditorFixture(t)
	foreign := s.conversation(t, "kretslopp-och-vatten")
	for _, tc := range []struct {
		name, method, path, body string
		user                     *inbox.User
	}{
		{"GetUser", http.MethodGet, "/api/v1/users/eins", ``, s.sup},
		{"ChangeUser", http.MethodPatch, "/api/v1/users/+1", `{"role":"admin"}`, s.agent},
		{"GetRule", http.MethodGet, "/api/v1/rules/eins", ``, s.agent},
		{"GetArticle", http.MethodGet, "/api/v1/answers/articles/eins", ``, s.agent},
		{"UpdateArticle", http.MethodPut, "/api/v1/answers/articles/0", `{}`, s.spec},
		{"DeleteArticle", http.MethodDelete, "/api/v1/answers/articles/x", ``, s.agent},
		{"Suggestions", http.MethodGet, fmt.Sprintf("/api/v1/conversations/%d/suggestions?limit=many", foreign), ``, s.spec},
	} {
		t.Run(tc.name+"/Err403", func(t *testing.T) {
			s.wantRefused(t, tc.method, tc.path, tc.user, tc.body, http.StatusForbidden, inbox.EFORBIDDEN)
		})
	}
}

// TestTokensOfOthersBeforeID: one who is no admin and names a user_id that
// is not their own, or no id at all, is told they may not see others'
// tokens (403); their own id lists theirs, and an admin is told what is
// wrong with the id (400).
func TestTokensOfOthersBeforeID(t *testing.T) {
	s := newStaff(t)
	for _, tc := range []struct {
		name  string
		user  *inbox.User
		query string
		want  int
	}{
		{"AgentWord/Err403", s.agent, "abc", http.StatusForbidden},
		{"AgentNegative/Err403", s.agent, "-1", http.StatusForbidden},
		{"AgentOther/Err403", s.agent, fmt.Sprint(s.sup.ID), http.StatusForbidden},
		{"AgentNoSuchUser/Err403", s.agent, "999999", http.StatusForbidden},
		{"AgentOwn/OK", s.agent, fmt.Sprint(s.agent.ID), http.StatusOK},
		{"AdminWord/Err400", s.admin, "abc", http.StatusBadRequest},
		{"AdminOther/OK", s.admin, fmt.Sprint(s.agent.ID), http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out map[string]any
			resp := s.get(t, "/api/v1/tokens?user_id="+tc.query, "Bearer "+s.tokens[tc.user.ID], &out)
			if resp.StatusCode != tc.want {
				t.Errorf("got %d %v, want %d", resp.StatusCode, out, tc.want)
			}
		})
	}
}
