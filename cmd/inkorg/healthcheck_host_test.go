package main

import "testing"

func TestHealthcheckHost(t *testing.T) {
	for _, tc := range []struct{ listen, want string }{
		{"", "127.0.0.1"},
		{"0.0.0.0", "127.0.0.1"},
		{"::", "::1"},
		{"127.0.0.1", "127.0.0.1"},
		{"::1", "::1"},
		{"10.1.2.3", "10.1.2.3"},
		{"localhost", "localhost"},
	} {
		if got := healthcheckHost(tc.listen); got != tc.want {
			t.Errorf("listening on %q: got %q, want %q", tc.listen, got, tc.want)
		}
	}
}
