package graph

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRateLimit(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name          string
		app, business string
		page          string
		wantPercent   int
		wantSlowDown  bool
		wantWait      time.Time
		wantBusiness  int
		wantErr       bool
	}{
		{name: "OK/NoHeaders"},
		{name: "OK/AppLow", app: `{"call_count": 28, "total_time": 25, "total_cputime": 25}`, wantPercent: 28},
		{name: "OK/AppAt80", app: `{"call_count": 80, "total_time": 10, "total_cputime": 10}`, wantPercent: 80},
		{name: "OK/AppAbove80", app: `{"call_count": 12, "total_time": 81, "total_cputime": 25}`, wantPercent: 81, wantSlowDown: true},
		{
			name:        "OK/BusinessThrottled",
			business:    `{"104":[{"type":"pages","call_count":97,"total_cputime":23,"total_time":23,"estimated_time_to_regain_access":0}]}`,
			wantPercent: 97, wantSlowDown: true, wantBusiness: 1,
		},
		{
			name:        "OK/BusinessWait",
			business:    `{"104":[{"type":"messenger","call_count":100,"total_cputime":3,"total_time":3,"estimated_time_to_regain_access":7}],"178":[{"type":"instagram","call_count":5,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":12}]}`,
			wantPercent: 100, wantSlowDown: true, wantWait: now.Add(12 * time.Minute), wantBusiness: 2,
		},
		{
			name: "OK/BothTakeHighest", app: `{"call_count": 40, "total_time": 1, "total_cputime": 1}`,
			business:    `{"104":[{"type":"pages","call_count":60,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0}]}`,
			wantPercent: 60, wantBusiness: 1,
		},
		{
			name: "ErrMalformedAppKeepsBusiness", app: `{call_count`,
			business:    `{"104":[{"type":"pages","call_count":90,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0}]}`,
			wantPercent: 90, wantSlowDown: true, wantBusiness: 1, wantErr: true,
		},
		{name: "ErrMalformedBusiness", business: `[1,2]`, wantErr: true},
		{name: "OK/PageUsage", page: `{"call_count": 5, "total_time": 91, "total_cputime": 3}`, wantPercent: 91, wantSlowDown: true},
		{name: "ErrMalformedPage", page: `x`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.app != "" {
				h.Set(HeaderAppUsage, tt.app)
			}
			if tt.business != "" {
				h.Set(HeaderBusinessUsage, tt.business)
			}
			if tt.page != "" {
				h.Set(HeaderPageUsage, tt.page)
			}
			got, err := ParseRateLimit(h, now)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if got.Percent != tt.wantPercent || got.SlowDown != tt.wantSlowDown || !got.WaitUntil.Equal(tt.wantWait) {
				t.Errorf("percent, slow down, wait until = %d, %v, %v, want %d, %v, %v",
					got.Percent, got.SlowDown, got.WaitUntil, tt.wantPercent, tt.wantSlowDown, tt.wantWait)
			}
			if len(got.Business) != tt.wantBusiness {
				t.Errorf("business entries = %d, want %d", len(got.Business), tt.wantBusiness)
			}
		})
	}
}

func TestParseRateLimitBusinessFields(t *testing.T) {
	h := http.Header{}
	h.Set(HeaderBusinessUsage, `{"178":[{"type":"instagram","call_count":5,"total_cputime":2,"total_time":3,"estimated_time_to_regain_access":4}],"104":[{"type":"pages","call_count":1,"total_cputime":1,"total_time":1,"estimated_time_to_regain_access":0}]}`)
	got, err := ParseRateLimit(h, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := []BusinessUsage{
		{ObjectID: "104", Type: "pages", CallCount: 1, TotalTime: 1, TotalCPUTime: 1},
		{ObjectID: "178", Type: "instagram", CallCount: 5, TotalTime: 3, TotalCPUTime: 2, RegainAccessMinutes: 4},
	}
	if len(got.Business) != len(want) {
		t.Fatalf("got %d entries, want %d", len(got.Business), len(want))
	}
	for i := range want {
		if got.Business[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got.Business[i], want[i])
		}
	}
}

func TestRateLimitThrottled(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		r    RateLimit
		want bool
	}{
		{"OK/Zero", RateLimit{}, false},
		{"OK/SlowDownOnly", RateLimit{Percent: 90, SlowDown: true}, false},
		{"ErrAt100", RateLimit{Percent: 100, SlowDown: true}, true},
		{"ErrWaiting", RateLimit{Percent: 50, WaitUntil: now.Add(time.Minute)}, true},
		{"OK/WaitOver", RateLimit{Percent: 50, WaitUntil: now.Add(-time.Minute)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Throttled(now); got != tt.want {
				t.Errorf("Throttled = %v, want %v", got, tt.want)
			}
		})
	}
}

func BenchmarkParseRateLimit(b *testing.B) {
	h := http.Header{}
	h.Set(HeaderAppUsage, `{"call_count": 28, "total_time": 25, "total_cputime": 25}`)
	h.Set(HeaderBusinessUsage, `{"104":[{"type":"pages","call_count":97,"total_cputime":23,"total_time":23,"estimated_time_to_regain_access":0}]}`)
	now := time.Now()
	for b.Loop() {
		if _, err := ParseRateLimit(h, now); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRateLimitDelay(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		r    RateLimit
		want time.Duration
	}{
		{"OK/NoEstimate", RateLimit{Percent: 100}, 0},
		{"OK/Future", RateLimit{WaitUntil: now.Add(7 * time.Minute)}, 7 * time.Minute},
		{"OK/Past", RateLimit{WaitUntil: now.Add(-time.Minute)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.r.Delay(now); got != tt.want {
				t.Errorf("Delay = %v, want %v", got, tt.want)
			}
		})
	}
}
