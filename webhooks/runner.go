package webhooks

import "time"

// runnerIdle is how long a runner goroutine waits for the next job before
// it exits.
const runnerIdle = 10 * time.Second

// runner runs jobs on goroutines that stay for the next job. The receiver
// publishes each delivery on a goroutine of its own so that it can answer
// when the queue hangs; a fresh goroutine for every delivery starts with a
// small stack that the queue client grows every time, which costs more
// than the rest of the receiver's work. There is no bound: a job never
// waits for a goroutine, and the goroutines that a burst of load started
// exit after runnerIdle without work.
type runner struct {
	jobs chan func()
}

func newRunner() *runner { return &runner{jobs: make(chan func())} }

// Go runs job on an idle goroutine, or on a new one when none is idle.
func (r *runner) Go(job func()) {
	select {
	case r.jobs <- job:
	default:
		go r.loop(job)
	}
}

func (r *runner) loop(job func()) {
	idle := time.NewTimer(runnerIdle)
	defer idle.Stop()
	for {
		job()
		idle.Reset(runnerIdle)
		select {
		case job = <-r.jobs:
		case <-idle.C:
			return
		}
	}
}
