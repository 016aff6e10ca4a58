package businesstime_test

import (
	"fmt"
	"time"

	"inkorg/inbox/businesstime"
)

func Example() {
	cal, err := businesstime.Parse([]byte(`{
		"week": {
			"monday": ["08:00-12:00", "13:00-16:30"], "tuesday": ["08:00-16:30"],
			"wednesday": ["08:00-16:30"], "thursday": ["08:00-16:30"], "friday": ["08:00-15:00"]
		},
		"exceptions": [{"date": "2026-12-23", "hours": ["08:00-12:00"], "note": "Dagen före julafton"}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	sthlm := cal.Location()
	arrived := time.Date(2026, 12, 23, 11, 0, 0, 0, sthlm) // the day before julafton
	policy := businesstime.Policy{Metric: businesstime.MetricFirstResponse, Target: 2 * time.Hour, AtRisk: 0.75}
	ev, err := cal.Evaluate(policy, businesstime.Timeline{FirstInbound: arrived}, time.Date(2026, 12, 28, 8, 30, 0, 0, sthlm))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("due:", ev.Due.Format("Mon 2006-01-02 15:04"))
	fmt.Println("state:", ev.State)
	fmt.Println("business time so far:", ev.Clock.Business)
	fmt.Println("next opening after Christmas Eve:", cal.NextOpen(time.Date(2026, 12, 24, 9, 0, 0, 0, sthlm)).Format("Mon 2006-01-02 15:04"))
	// Output:
	// due: Mon 2026-12-28 09:00
	// state: at_risk
	// business time so far: 1h30m0s
	// next opening after Christmas Eve: Mon 2026-12-28 08:00
}
