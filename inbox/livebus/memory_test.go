package livebus_test

import (
	"testing"

	"inkorg/inbox"
	"inkorg/inbox/livebus"
	"inkorg/inbox/livebus/livetest"
)

func TestMemory(t *testing.T) {
	livetest.Run(t, func(t *testing.T, history int) (inbox.LiveBroker, inbox.LiveBroker) {
		m := livebus.NewMemory(history, nil)
		return m, m
	})
}

func TestMemoryPresence(t *testing.T) {
	livetest.RunPresence(t, func(t *testing.T) inbox.PresenceStore { return livebus.NewMemoryPresence() })
}
