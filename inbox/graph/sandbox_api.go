package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"
)

// answer is what the sandbox answers one call with.
type answer struct {
	status   int
	body     any
	code     int    // Graph error code, 0 on success
	resultID string // id of the created message or comment
}

func (a answer) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(a.status)
	json.NewEncoder(w).Encode(a.body) //nolint:errcheck // the client is gone if this fails
}

func ok(body any, id string) answer { return answer{status: http.StatusOK, body: body, resultID: id} }

// errorAnswer renders f as Meta's error JSON.
func errorAnswer(f Fault) answer {
	d := DocumentedError(f.Code, f.Subcode)
	if f.Status != 0 {
		d.Status = f.Status
	}
	if f.Type != "" {
		d.Type = f.Type
	}
	if f.Message != "" {
		d.Message = f.Message
	}
	e := map[string]any{"message": d.Message, "type": d.Type, "code": d.Code,
		"fbtrace_id": fmt.Sprintf("sandbox-%d-%d", d.Code, d.Subcode)}
	if d.Subcode != 0 {
		e["error_subcode"] = d.Subcode
	}
	return answer{status: d.Status, body: map[string]any{"error": e}, code: d.Code}
}

// invalidParam is Meta's (#100) answer.
func invalidParam(format string, args ...any) answer {
	return errorAnswer(Fault{Code: 100, Message: "(#100) " + fmt.Sprintf(format, args...)})
}

// SandboxPageID is the id the sandbox answers GET /me with.
const SandboxPageID = "sandbox-page"

// handle answers a call that no fault replaced.
func (s *Sandbox) handle(method, p string, params map[string]any) answer {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	id, edge := parts[0], ""
	if len(parts) == 2 {
		edge = parts[1]
	}
	// A deleted comment is gone for every later call, as on the platform.
	if id == "" || len(parts) > 2 || (edge != "messages" && s.deleted(id)) {
		return unsupported(method, id)
	}
	switch {
	case id == "me" && edge == "" && method == http.MethodGet:
		return s.me(params)
	case (edge == "feed" || edge == "media" || edge == "live_media") && method == http.MethodGet:
		return s.listPosts(id, edge)
	case edge == "comments" && method == http.MethodGet:
		return s.listComments(id, params)
	case edge == "conversations" && method == http.MethodGet:
		return s.listConversations(id, params)
	case edge == "" && method == http.MethodGet:
		return s.object(id, params)
	case edge == "" && method == http.MethodPost:
		return hide(params)
	case edge == "" && method == http.MethodDelete:
		s.markDeleted(id)
		return ok(map[string]bool{"success": true}, "")
	case edge == "messages" && method == http.MethodPost:
		return s.message(params)
	case (edge == "comments" || edge == "replies") && method == http.MethodPost:
		return s.comment(id, edge, params)
	}
	return unsupported(method, id)
}

// unsupported is Graph's answer for an object that does not exist or an
// operation it does not support: 100 with subcode 33.
func unsupported(method, id string) answer {
	a := invalidParam("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation", strings.ToLower(method), id)
	a.body.(map[string]any)["error"].(map[string]any)["error_subcode"] = 33
	return a
}

// profile answers GET /{user-id}?fields=…
func (s *Sandbox) profile(id string, params map[string]any) answer {
	s.mu.Lock()
	p, found := s.profiles[id]
	s.mu.Unlock()
	if !found {
		return unsupported(http.MethodGet, id)
	}
	all := map[string]string{"id": p.ID, "name": p.Name, "first_name": p.FirstName, "last_name": p.LastName, "username": p.Username}
	out := map[string]string{"id": p.ID}
	fields, _ := params["fields"].(string)
	for f := range strings.SplitSeq(fields, ",") {
		if v := all[strings.TrimSpace(f)]; v != "" {
			out[strings.TrimSpace(f)] = v
		}
	}
	return ok(out, "")
}

// hide answers POST /{comment-id} with is_hidden (Facebook) or hide
// (Instagram).
func hide(params map[string]any) answer {
	for _, k := range []string{"is_hidden", "hide"} {
		if v, ok := params[k]; ok {
			if s := fmt.Sprint(v); s != "true" && s != "false" {
				return invalidParam("Param %s must be a boolean", k)
			}
			return answer{status: http.StatusOK, body: map[string]bool{"success": true}}
		}
	}
	return invalidParam("Unsupported post request: give is_hidden or hide")
}

// comment answers POST /{id}/comments (Facebook) and
// POST /{ig-comment-id}/replies (Instagram) with the new comment's id.
func (s *Sandbox) comment(parent, edge string, params map[string]any) answer {
	text, _ := params["message"].(string)
	if strings.TrimSpace(text) == "" {
		return invalidParam("Param message must be non-empty")
	}
	n := s.nextID()
	id := fmt.Sprintf("1790000000%07d", n)
	if edge == "comments" {
		// Facebook comment ids are "<post id>_<comment id>".
		post, _, _ := strings.Cut(parent, "_")
		id = fmt.Sprintf("%s_%d", post, 9000000000+n)
	}
	return ok(map[string]string{"id": id}, id)
}

// message answers POST /{account-id}/messages, the Send API.
func (s *Sandbox) message(params map[string]any) answer {
	recipient, _ := params["recipient"].(map[string]any)
	msg, _ := params["message"].(map[string]any)
	id, _ := recipient["id"].(string)
	commentID, _ := recipient["comment_id"].(string)
	text, _ := msg["text"].(string)
	switch {
	case id == "" && commentID == "":
		return invalidParam("param recipient must be non-empty.")
	case strings.TrimSpace(text) == "":
		return invalidParam("param message[text] must be non-empty.")
	case utf8.RuneCountInString(text) >= 2000:
		return invalidParam("Length of param message[text] must be less than 2000")
	}
	if id != "" {
		if a, bad := checkMessagingType(params); bad {
			return a
		}
	}
	mid := fmt.Sprintf("m_sandbox_%d", s.nextID())
	out := map[string]string{"message_id": mid}
	if id != "" {
		out["recipient_id"] = id
	}
	return ok(out, mid)
}

// checkMessagingType enforces messaging_type and tag as the Send API does.
func checkMessagingType(params map[string]any) (answer, bool) {
	mt, _ := params["messaging_type"].(string)
	tag, _ := params["tag"].(string)
	switch mt {
	case MessagingTypeResponse, "UPDATE":
		return answer{}, false
	case MessagingTypeMessageTag:
		if tag == TagHumanAgent {
			return answer{}, false
		}
		// Since April 27 2026 the other tags answer error 100.
		return invalidParam("Param tag must be HUMAN_AGENT"), true
	}
	return invalidParam("param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}"), true
}

// readParams merges the query, a form body and a JSON object body, as the
// Graph API accepts parameters in any of them. Form and query values that
// hold JSON objects (recipient={"id":…}) are decoded.
func readParams(r *http.Request) (map[string]any, error) {
	params := map[string]any{}
	for k, v := range r.URL.Query() {
		params[k] = formValue(v[0])
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxResponseBytes))
	if err != nil {
		return params, err
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case len(body) == 0:
	case ct == "application/json":
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return params, errors.New("request body is not a JSON object")
		}
		for k, v := range m {
			params[k] = v
		}
	case ct == "application/x-www-form-urlencoded":
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		if err := r.ParseForm(); err != nil {
			return params, errors.New("request body is not form-encoded")
		}
		for k, v := range r.PostForm {
			params[k] = formValue(v[0])
		}
	default:
		return params, fmt.Errorf("unsupported content type %q", ct)
	}
	return params, nil
}

// formValue decodes a form value that holds a JSON object.
func formValue(v string) any {
	if strings.HasPrefix(v, "{") {
		var m map[string]any
		if json.Unmarshal([]byte(v), &m) == nil {
			return m
		}
	}
	return v
}
