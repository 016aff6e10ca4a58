package graph_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/graph"
)

// A sender sends one outbound message and decides from the error's class
// what happens next.
func Example() {
	sb := graph.NewSandbox(nil)
	srv, err := sb.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	client, err := graph.New(graph.Config{BaseURL: srv.URL, Version: "1.0.0"})
	if err != nil {
		panic(err)
	}
	msg := graph.Message{Platform: inbox.PlatformFacebook, RecipientID: "1254444444682919", Text: "Hej!", Metadata: "outbound-42"}

	sb.FailNext(1, graph.DocumentedError(10, 2018278))
	for range 2 {
		sent, err := client.SendMessage(context.Background(), "page-token", "104", msg)
		var e *graph.Error
		switch {
		case err == nil:
			fmt.Println("sent as", sent.MessageID)
		case errors.As(err, &e) && e.Retryable():
			fmt.Println("retry in", max(e.RateLimit.Delay(time.Now()), time.Second))
		case errors.As(err, &e):
			fmt.Println(e.Class, "-", e.Explain().SV)
		}
	}
	fmt.Println(len(sb.Calls()), "calls recorded")
	// Output:
	// outside_window - Meddelandet skickades inte: tiden för att svara har gått ut (24 timmar efter medborgarens senaste meddelande, 7 dagar med handläggartaggen). Svara när medborgaren skriver igen, eller hänvisa till en annan kanal.
	// sent as m_sandbox_1
	// 2 calls recorded
}
