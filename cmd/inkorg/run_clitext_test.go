package main

import (
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	"inkorg/inbox"
)

// TestCLITextKeepsSystemCause: an error the operating system gave keeps
// its reason on the command line, so an operator knows the disk is full
// or the path is a file; other causes stay out of the message.
func TestCLITextKeepsSystemCause(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"OKDiskFull", inbox.WrapError(inbox.EUNAVAILABLE, &fs.PathError{Op: "write", Path: "html/a.html", Err: syscall.ENOSPC},
			"Cannot write %s.", "html/a.html"), "Cannot write html/a.html: no space left on device."},
		{"OKNotADirectory", fmt.Errorf("archive export: %w", inbox.WrapError(inbox.EINVALID,
			&fs.PathError{Op: "open", Path: "/tmp/afile", Err: syscall.ENOTDIR}, "Cannot read %s.", "/tmp/afile")),
			"archive export: Cannot read /tmp/afile: not a directory."},
		{"OKOtherCause", inbox.WrapError(inbox.EINVALID, fmt.Errorf("parse error"), "The file is not JSON."), "The file is not JSON."},
		{"OKNoCause", inbox.Errorf(inbox.ECONFLICT, "%s is not empty.", "out"), "out is not empty."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cliText(tc.err); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
