package web_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/web"
)

// loopback is where the test client connects from: a trusted reverse
// proxy in these tests.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// TestLoginLimitBehindProxy checks that behind a trusted proxy the
// sign-in limit goes by the address the proxy appended, not by what the
// client sent in X-Forwarded-For before it.
func TestLoginLimitBehindProxy(t *testing.T) {
	s := newSiteWith(t, web.Config{LoginBurst: 2, LoginEvery: time.Hour}, loopback...)
	c := s.client(t)
	limited := 0
	for i := range 20 {
		form := url.Values{"name": {fmt.Sprintf("user%d", i)}, "password": {"gissning 123456"}}
		if code, _ := signInFrom(t, s, c, fmt.Sprintf("198.51.100.%d, 10.20.30.40", i+1), form); code == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 18 {
		t.Errorf("20 sign-ins from 10.20.30.40 with burst 2: got %d refused, want 18", limited)
	}
	form := url.Values{"name": {"anna"}, "password": {password}}
	if code, _ := signInFrom(t, s, c, "10.20.30.41", form); code != http.StatusSeeOther {
		t.Errorf("another client behind the proxy: got %d, want 303", code)
	}
}

// TestLoginLimitIPv6 checks that the sign-in limit takes an IPv6 /64 as
// one client: its owner can use any of its addresses.
func TestLoginLimitIPv6(t *testing.T) {
	s := newSiteWith(t, web.Config{LoginBurst: 2, LoginEvery: time.Hour}, loopback...)
	c := s.client(t)
	limited := 0
	for i := range 10 {
		form := url.Values{"name": {fmt.Sprintf("user%d", i)}, "password": {"gissning 123456"}}
		if code, _ := signInFrom(t, s, c, fmt.Sprintf("2001:db8:1:2::%x", i+1), form); code == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited != 8 {
		t.Errorf("10 sign-ins from one /64 with burst 2: got %d refused, want 8", limited)
	}
	form := url.Values{"name": {"anna"}, "password": {password}}
	if code, _ := signInFrom(t, s, c, "2001:db8:1:3::1", form); code != http.StatusSeeOther {
		t.Errorf("a client in another /64: got %d, want 303", code)
	}
}

// TestLoginLockPerAddress checks that wrong passwords for a colleague's
// name from one address lock it for that address only: the colleague
// signs in from theirs.
func TestLoginLockPerAddress(t *testing.T) {
	s := newSiteWith(t, web.Config{}, loopback...)
	const guesser, own = "198.51.100.7", "10.1.2.3"
	for i := 1; i <= inbox.DefaultMaxLoginFailures; i++ {
		want := http.StatusUnauthorized
		if i == inbox.DefaultMaxLoginFailures {
			want = http.StatusForbidden
		}
		form := url.Values{"name": {"anna"}, "password": {"vad som helst 123"}}
		if code, _ := signInFrom(t, s, s.client(t), guesser, form); code != want {
			t.Fatalf("guess %d: got %d, want %d", i, code, want)
		}
	}
	form := url.Values{"name": {"anna"}, "password": {password}}
	if code, _ := signInFrom(t, s, s.client(t), guesser, form); code != http.StatusForbidden {
		t.Errorf("right password from the guessing address: got %d, want 403", code)
	}
	if code, _ := signInFrom(t, s, s.client(t), own, form); code != http.StatusSeeOther {
		t.Errorf("anna's right password from her own address: got %d, want 303 (signed in)", code)
	}
}
