package graph

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		f    failure
		want Class
	}{
		{"ThrottleApp4", failure{status: 400, code: 4}, Transient},
		{"ThrottleUser17", failure{status: 400, code: 17}, Transient},
		{"ThrottlePages32", failure{status: 400, code: 32}, Transient},
		{"ThrottleCustom613", failure{status: 400, code: 613}, Transient},
		{"AppLimit341", failure{status: 400, code: 341}, Transient},
		{"ThrottlePagesBUC80001", failure{status: 400, code: 80001}, Transient},
		{"ThrottleInstagram80002", failure{status: 400, code: 80002}, Transient},
		{"ThrottleMessenger80006", failure{status: 400, code: 80006}, Transient},
		{"UnknownError1", failure{status: 500, code: 1}, Transient},
		{"ServiceError2", failure{status: 500, code: 2}, Transient},
		{"SendInternal2018012", failure{status: 500, code: -1, subcode: 2018012}, Transient},
		{"ServerErrorNoJSON", failure{status: 502}, Transient},
		{"TooManyRequestsNoJSON", failure{status: 429}, Transient},
		{"NetworkBeforeWrite", failure{network: true}, Transient},
		{"NetworkAfterWriteSend", failure{network: true, written: true}, Ambiguous},
		{"NetworkAfterWriteHide", failure{network: true, written: true, idempotent: true}, Transient},
		{"SentButInvalidReply", failure{status: 500, code: 1, subcode: 1357046}, Ambiguous},
		{"SentButInvalidReplyIdempotent", failure{status: 500, code: 1, subcode: 1357046, idempotent: true}, Transient},
		{"Token190", failure{status: 400, code: 190}, Token},
		{"Token190Expired", failure{status: 400, code: 190, subcode: 463}, Token},
		{"Session102", failure{status: 400, code: 102}, Token},
		{"OutsideWindow", failure{status: 400, code: 10, subcode: 2018278}, OutsideWindow},
		{"OutsideWindowOld", failure{status: 400, code: 10, subcode: 2018065}, OutsideWindow},
		{"PersonUnavailable551", failure{status: 400, code: 551}, RecipientUnavailable},
		{"CannotReceive", failure{status: 400, code: 10, subcode: 2018108}, RecipientUnavailable},
		{"NotReceivingNow", failure{status: 400, code: 200, subcode: 1545041}, RecipientUnavailable},
		{"NoMatchingUser", failure{status: 400, code: 100, subcode: 2018001}, RecipientUnavailable},
		{"InvalidParameter100", failure{status: 400, code: 100}, InvalidRequest},
		{"PermissionDenied10", failure{status: 403, code: 10}, Permission},
		{"PagesRestricted", failure{status: 400, code: 10, subcode: 1893063}, Permission},
		{"Permission200", failure{status: 403, code: 200}, Permission},
		{"Permission299", failure{status: 403, code: 299}, Permission},
		{"PolicyBlock368", failure{status: 400, code: 368}, Permission},
		{"DuplicatePost506", failure{status: 400, code: 506}, Permanent},
		{"UnknownClientError", failure{status: 400, code: 12345}, Permanent},
		{"NotFoundNoJSON", failure{status: 404}, Permanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := classify(tt.f); got != tt.want {
				t.Errorf("classify(%+v) = %q, want %q", tt.f, got, tt.want)
			}
		})
	}
}

func TestClassRetryable(t *testing.T) {
	for _, c := range []Class{Transient, Ambiguous, Token, OutsideWindow, RecipientUnavailable, InvalidRequest, Permission, Permanent} {
		if got, want := c.Retryable(), c == Transient; got != want {
			t.Errorf("%s.Retryable() = %v, want %v", c, got, want)
		}
	}
}

// TestAPIErrorFixtures parses the real error answers kept in webhooks/testdata.
func TestAPIErrorFixtures(t *testing.T) {
	tests := []struct {
		file                   string
		status                 int
		wantCode, wantSubcode  int
		wantType, wantTrace    string
		wantMessage            string
		wantClass, wantClassID Class
	}{
		{"graph_error_190_invalid_token.json", 400, 190, 1234567, "OAuthException", "BLBz/WZt8dN",
			"Invalid OAuth access token.", Token, Token},
		{"graph_error_551_user_unavailable.json", 400, 551, 0, "OAuthException", "",
			"(#551) This person isn't available right now.", RecipientUnavailable, RecipientUnavailable},
		{"graph_error_send_internal_2018012.json", 500, -1, 2018012, "OAuthException", "G1lQWWzZaIu",
			"(#-1) Send API unexpected internal error", Transient, Transient},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("..", "..", "webhooks", "testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, idem := range []bool{false, true} {
				e := apiError(call{op: "send_message", idempotent: idem}, tt.status, body, "")
				if e.Code != tt.wantCode || e.Subcode != tt.wantSubcode {
					t.Errorf("code/subcode = %d/%d, want %d/%d", e.Code, e.Subcode, tt.wantCode, tt.wantSubcode)
				}
				if e.Type != tt.wantType || e.FBTraceID != tt.wantTrace || e.Message != tt.wantMessage {
					t.Errorf("type, trace, message = %q, %q, %q, want %q, %q, %q",
						e.Type, e.FBTraceID, e.Message, tt.wantType, tt.wantTrace, tt.wantMessage)
				}
				want := tt.wantClass
				if idem {
					want = tt.wantClassID
				}
				if e.Class != want {
					t.Errorf("idempotent=%v: class = %q, want %q", idem, e.Class, want)
				}
			}
		})
	}
}

func TestAPIErrorNotJSON(t *testing.T) {
	e := apiError(call{op: "send_message"}, 502, []byte("<html>Bad gateway</html>"), "")
	if e.Class != Transient || e.Code != 0 {
		t.Errorf("class, code = %q, %d, want %q, 0", e.Class, e.Code, Transient)
	}
}

func TestAPIErrorRedactsToken(t *testing.T) {
	const token = "EAAGsecretTOKEN123"
	body := `{"error":{"message":"Malformed access token EAAGsecretTOKEN123","type":"OAuthException","code":190,"error_user_msg":"token EAAGsecretTOKEN123"}}`
	e := apiError(call{op: "send_message"}, 400, []byte(body), token)
	for name, s := range map[string]string{"Error()": e.Error(), "Message": e.Message, "UserMsg": e.UserMsg} {
		if strings.Contains(s, token) {
			t.Errorf("%s = %q, contains the token", name, s)
		}
	}
	if e.Class != Token {
		t.Errorf("class = %q, want %q", e.Class, Token)
	}
}

func TestExplain(t *testing.T) {
	for _, c := range []Class{Transient, Ambiguous, Token, OutsideWindow, RecipientUnavailable, InvalidRequest, Permission, Permanent} {
		t.Run(string(c), func(t *testing.T) {
			x := (&Error{Class: c}).Explain()
			if x.SV == "" || x.EN == "" || x.SV == x.EN {
				t.Errorf("Explain() = %+v, want distinct Swedish and English text", x)
			}
		})
	}
	t.Run("OK/Specific", func(t *testing.T) {
		got := (&Error{Class: Permission, Code: 10, Subcode: subcodeTemporarilyBlocked}).Explain()
		if got == explanations[Permission] {
			t.Errorf("Explain() of 10/1893063 = the generic permission text, want the restriction text")
		}
	})
	t.Run("OK/OutsideWindowSwedish", func(t *testing.T) {
		got := (&Error{Class: OutsideWindow, Code: 10, Subcode: subcodeOutsideWindow}).Explain().SV
		if !strings.Contains(got, "24 timmar") {
			t.Errorf("Explain().SV = %q, want it to mention 24 timmar", got)
		}
	})
}

func TestClassOf(t *testing.T) {
	if got := ClassOf(nil); got != "" {
		t.Errorf("ClassOf(nil) = %q, want \"\"", got)
	}
	if got := ClassOf(os.ErrDeadlineExceeded); got != Transient {
		t.Errorf("ClassOf(plain error) = %q, want %q", got, Transient)
	}
	if got := ClassOf(&Error{Class: Token}); got != Token {
		t.Errorf("ClassOf(token error) = %q, want %q", got, Token)
	}
}
