package inbox

import "context"

// QueueAtRisk ("I riskzonen"): conversations whose response-time clock
// runs and is at risk or breached by the filter's Now. A clock that
// stopped (answered) or is paused (waiting on the citizen) is not in it,
// nor is a snoozed, resolved or spam conversation.
const QueueAtRisk WorkQueue = "at_risk"

// SLAStateCounts is how many open conversations with a running SLA clock
// are in each state.
type SLAStateCounts map[SLAState]int

// SLAStateCounter counts conversations by the state of their SLA clock.
type SLAStateCounter interface {
	// CountSLAStates counts the conversations matching filter that are
	// not resolved or spam and whose SLA clock runs, by its state at the
	// filter's Now (the wall clock when zero). Every state is in the
	// result, 0 when none. The filter's queue is ignored.
	CountSLAStates(ctx context.Context, filter ConversationFilter) (SLAStateCounts, error)
}
