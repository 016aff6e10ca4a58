package webhooks

import (
	"sync"
	"testing"
)

// TestRunnerNeverWaits checks that a job starts while every goroutine the
// runner has is busy, and that jobs run again on goroutines that finished
// one.
func TestRunnerNeverWaits(t *testing.T) {
	r := newRunner()
	const busy = 8
	release := make(chan struct{})
	var started, done sync.WaitGroup
	started.Add(busy)
	done.Add(busy)
	for range busy {
		r.Go(func() {
			started.Done()
			<-release
			done.Done()
		})
	}
	// All of them are running at once, each holding its goroutine.
	started.Wait()
	close(release)
	done.Wait()

	var ran sync.WaitGroup
	ran.Add(busy * 4)
	for range busy * 4 {
		r.Go(ran.Done)
	}
	ran.Wait()
}
