package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	"inkorg/inbox"
)

// TestCLIErrorText: a command's failure is said in plain words: an inkorg
// error by its message in the command's context, without its code and
// cause; an internal one keeps its cause for the operator, and so does one
// the operating system gave (the disk is full, the path is a file).
func TestCLIErrorText(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"OKConflict", fmt.Errorf("archive export: %w", inbox.Errorf(inbox.ECONFLICT, "/tmp/ut is not empty; give an empty directory.")),
			"inkorg: archive export: /tmp/ut is not empty; give an empty directory.\n"},
		{"OKWrapped", inbox.WrapError(inbox.ENOTFOUND, errors.New("record not found"), "User not found."),
			"inkorg: User not found.\n"},
		{"OKInternal", inbox.WrapError(inbox.EINTERNAL, errors.New("disk I/O error"), "Internal error."),
			"inkorg: inkorg error: code=internal message=Internal error.: disk I/O error\n"},
		{"OKPlain", errors.New("answers: open x.json: no such file or directory"),
			"inkorg: answers: open x.json: no such file or directory\n"},
		{"OKDiskFull", inbox.WrapError(inbox.EUNAVAILABLE, &fs.PathError{Op: "write", Path: "html/a.html", Err: syscall.ENOSPC},
			"Cannot write %s.", "html/a.html"), "inkorg: Cannot write html/a.html: no space left on device.\n"},
		{"OKNotADirectory", fmt.Errorf("archive export: %w", inbox.WrapError(inbox.EINVALID,
			&fs.PathError{Op: "open", Path: "/tmp/afile", Err: syscall.ENOTDIR}, "Cannot read %s.", "/tmp/afile")),
			"inkorg: archive export: Cannot read /tmp/afile: not a directory.\n"},
		{"OKOtherCause", inbox.WrapError(inbox.EINVALID, errors.New("parse error"), "The file is not JSON."), "inkorg: The file is not JSON.\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := exitStatus(tc.err, &stdout, &stderr); code != exitFailure {
				t.Errorf("exit %d, want %d", code, exitFailure)
			}
			if stderr.String() != tc.want {
				t.Errorf("got %q, want %q", stderr.String(), tc.want)
			}
		})
	}
}
