//go:build unix

package bleveindex_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, so a benchmark on a busy
// machine can report the work per operation apart from the waiting.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
