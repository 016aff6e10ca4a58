package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// SlowDownPercent is the usage above which a sender should slow down.
const SlowDownPercent = 80

// Usage headers Meta sets on Graph API responses.
const (
	HeaderAppUsage      = "X-App-Usage"
	HeaderBusinessUsage = "X-Business-Use-Case-Usage"
	// HeaderPageUsage has X-App-Usage's shape; Meta's rate-limit text does
	// not list it, but Pages API answers have been seen to carry it.
	HeaderPageUsage = "X-Page-Usage"
)

// AppUsage is the X-App-Usage header: the app's share of its platform
// rate limit, each in percent.
type AppUsage struct {
	CallCount    int `json:"call_count"`
	TotalTime    int `json:"total_time"`
	TotalCPUTime int `json:"total_cputime"`
}

// BusinessUsage is one entry of the X-Business-Use-Case-Usage header: the
// usage of one business object (a page, an Instagram account) for one use
// case, in percent.
type BusinessUsage struct {
	ObjectID     string `json:"-"`
	Type         string `json:"type"`
	CallCount    int    `json:"call_count"`
	TotalTime    int    `json:"total_time"`
	TotalCPUTime int    `json:"total_cputime"`
	// RegainAccessMinutes is estimated_time_to_regain_access: how long
	// calls stay throttled, in minutes.
	RegainAccessMinutes int `json:"estimated_time_to_regain_access"`
}

// RateLimit is what a response's usage headers say, and the hint drawn
// from it. The zero value means the response had no usage headers.
type RateLimit struct {
	App      *AppUsage       `json:"app,omitempty"`
	Page     *AppUsage       `json:"page,omitempty"`
	Business []BusinessUsage `json:"business,omitempty"`
	// Percent is the highest percentage in any header.
	Percent int `json:"percent"`
	// SlowDown is true when Percent is above SlowDownPercent.
	SlowDown bool `json:"slow_down"`
	// WaitUntil is when Meta estimates calls succeed again; zero when it
	// gave no estimate.
	WaitUntil time.Time `json:"wait_until,omitzero"`
}

// Throttled reports whether no call should be made before WaitUntil, or at
// all while a usage is at 100 %.
func (r RateLimit) Throttled(now time.Time) bool {
	return now.Before(r.WaitUntil) || r.Percent >= 100
}

// Delay returns how long to wait before the next call: until WaitUntil,
// or zero when Meta gave no estimate or it has passed.
func (r RateLimit) Delay(now time.Time) time.Duration {
	return max(r.WaitUntil.Sub(now), 0)
}

// ParseRateLimit reads the usage headers of a response received at now. A
// malformed header is reported in the error and skipped; the rest of the
// hint is still returned.
func ParseRateLimit(h http.Header, now time.Time) (RateLimit, error) {
	var r RateLimit
	var errs []error
	for name, dst := range map[string]**AppUsage{HeaderAppUsage: &r.App, HeaderPageUsage: &r.Page} {
		if v := h.Get(name); v != "" {
			var a AppUsage
			if err := json.Unmarshal([]byte(v), &a); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			} else {
				*dst = &a
			}
		}
	}
	if v := h.Get(HeaderBusinessUsage); v != "" {
		b, err := parseBusinessUsage(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", HeaderBusinessUsage, err))
		}
		r.Business = b
	}
	r.hint(now)
	return r, errors.Join(errs...)
}

// parseBusinessUsage reads {"<object id>": [{...}, ...], ...}.
func parseBusinessUsage(v string) ([]BusinessUsage, error) {
	var m map[string][]BusinessUsage
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		return nil, err
	}
	var out []BusinessUsage
	for id, list := range m {
		for _, u := range list {
			u.ObjectID = id
			out = append(out, u)
		}
	}
	// Map order is random; a stable order keeps logs and records comparable.
	slices.SortFunc(out, func(a, b BusinessUsage) int {
		if c := strings.Compare(a.ObjectID, b.ObjectID); c != 0 {
			return c
		}
		return strings.Compare(a.Type, b.Type)
	})
	return out, nil
}

// hint fills Percent, SlowDown and WaitUntil from the parsed headers.
func (r *RateLimit) hint(now time.Time) {
	for _, a := range []*AppUsage{r.App, r.Page} {
		if a != nil {
			r.Percent = max(r.Percent, a.CallCount, a.TotalTime, a.TotalCPUTime)
		}
	}
	wait := 0
	for _, b := range r.Business {
		r.Percent = max(r.Percent, b.CallCount, b.TotalTime, b.TotalCPUTime)
		wait = max(wait, b.RegainAccessMinutes)
	}
	r.SlowDown = r.Percent > SlowDownPercent
	if wait > 0 {
		r.WaitUntil = now.Add(time.Duration(wait) * time.Minute)
	}
}
