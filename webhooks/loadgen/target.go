package loadgen

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// ErrRemoteTarget is returned for a target that is not on this machine
// when remote targets are not allowed.
var ErrRemoteTarget = errors.New("target is not a loopback address (127.0.0.0/8, ::1 or localhost); pass --allow-remote to load another host")

// CheckTarget reports whether raw is an http(s) URL that may be loaded:
// a loopback host, or any host when allowRemote is set.
func CheckTarget(raw string, allowRemote bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("target %q is not an http or https URL", raw)
	}
	if !allowRemote && !loopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("%s: %w", u.Host, ErrRemoteTarget)
	}
	return u, nil
}

// loopbackHost reports whether host is a loopback IP or localhost. Other
// names are not resolved: what they resolve to may change.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newClient returns an HTTP client that keeps conns connections open and,
// unless allowRemote, refuses to connect anywhere but a loopback address,
// whatever a name resolves to.
func newClient(conns int, allowRemote bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if !allowRemote {
		// Control runs after name resolution and before the connection
		// is made, so nothing leaves the machine.
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil || !loopbackHost(host) {
				return fmt.Errorf("%s: %w", address, ErrRemoteTarget)
			}
			return nil
		}
	}
	t := &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     30 * time.Second,
		DialContext:         dialer.DialContext,
	}
	return &http.Client{Transport: t, Timeout: 10 * time.Second}
}
