package businesstime

import (
	"strings"
	"testing"
	"time"

	"inkorg/inbox"
)

func TestDefaultSLA(t *testing.T) {
	s := DefaultSLA()
	tests := []struct {
		name   string
		ch     inbox.Channel
		prio   inbox.Priority
		policy string
		target time.Duration
	}{
		{"UrgentWinsOverChannel", inbox.ChannelMessenger, inbox.PriorityUrgent, "urgent", 30 * time.Minute},
		{"Messenger", inbox.ChannelMessenger, inbox.PriorityNormal, "private_messages", 2 * time.Hour},
		{"InstagramDirect", inbox.ChannelInstagramDirect, "", "private_messages", 2 * time.Hour},
		{"FacebookComment", inbox.ChannelFacebookComment, inbox.PriorityLow, "comments", 4 * time.Hour},
		{"InstagramComment", inbox.ChannelInstagramComment, "", "comments", 4 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, ok := s.PolicyFor(tc.ch, tc.prio, "")
			if !ok || r.Name != tc.policy || r.Target != tc.target || r.Metric != MetricFirstResponse {
				t.Errorf("got %+v %v, want %s %s first_response", r, ok, tc.policy, tc.target)
			}
		})
	}
	if s.AtRisk != 0.75 || s.Calendar.Location().String() != DefaultTimeZone {
		t.Errorf("got at_risk %v zone %s, want 0.75 %s", s.AtRisk, s.Calendar.Location(), DefaultTimeZone)
	}
}

func TestParseSLA(t *testing.T) {
	t.Run("OKAdministration", func(t *testing.T) {
		s, err := ParseSLA([]byte(`{"policies": [
			{"name": "social", "administration": ["socialforvaltningen"], "metric": "resolution", "target": "8h"},
			{"name": "rest", "target": "3h"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := s.PolicyFor(inbox.ChannelMessenger, "", "socialforvaltningen"); r.Name != "social" || r.Metric != MetricResolution {
			t.Errorf("got %+v, want social resolution", r)
		}
		if r, _ := s.PolicyFor(inbox.ChannelMessenger, "", "kulturforvaltningen"); r.Name != "rest" {
			t.Errorf("got %+v, want rest", r)
		}
	})
	t.Run("OKNoPolicies", func(t *testing.T) {
		s, err := ParseSLA([]byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.PolicyFor(inbox.ChannelMessenger, "", ""); ok {
			t.Error("got a policy from an empty configuration")
		}
	})
	errs := []struct{ name, config, want string }{
		{"ErrUnknownField", `{"polices": []}`, "polices"},
		{"ErrTarget", `{"policies": [{"name": "x", "target": "two hours"}]}`, `target "two hours"`},
		{"ErrChannel", `{"policies": [{"name": "x", "channel": ["email"], "target": "2h"}]}`, `channel "email"`},
		{"ErrPriority", `{"policies": [{"name": "x", "priority": ["asap"], "target": "2h"}]}`, `priority "asap"`},
		{"ErrMetric", `{"policies": [{"name": "x", "metric": "speed", "target": "2h"}]}`, `metric "speed"`},
		{"ErrName", `{"policies": [{"target": "2h"}]}`, "name is required"},
		{"ErrAtRisk", `{"at_risk": 1.5}`, "at_risk"},
		{"ErrHours", `{"business_hours": {"week": {"monday": ["9-5"]}}}`, "week.monday"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSLA([]byte(tc.config))
			if inbox.ErrorCode(err) != inbox.EINVALID || !strings.Contains(inbox.ErrorMessage(err), tc.want) {
				t.Errorf("got %v, want EINVALID mentioning %q", err, tc.want)
			}
		})
	}
}

func TestLoadSLA(t *testing.T) {
	if s, err := LoadSLA(""); err != nil || len(s.Rules) != 3 {
		t.Errorf("LoadSLA(\"\"): got %v, %v, want the bundled default", s, err)
	}
	_, err := LoadSLA(t.TempDir() + "/missing.json")
	if inbox.ErrorCode(err) != inbox.EINVALID || !strings.Contains(inbox.ErrorMessage(err), "missing.json") {
		t.Errorf("got %v, want EINVALID naming the file", err)
	}
}
