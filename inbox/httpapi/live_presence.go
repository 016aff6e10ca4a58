package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
	"inkorg/inbox/livebus"
)

// PresenceInput is the body of POST /api/v1/conversations/{id}/presence.
type PresenceInput struct {
	State inbox.PresenceState `json:"state"`
}

// PresenceList is who is in a conversation.
type PresenceList struct {
	Presence []inbox.Presence `json:"presence"`
}

func newPresenceService(cfg Config) *inbox.PresenceService {
	store := cfg.Presence
	if store == nil {
		store = livebus.NewMemoryPresence()
	}
	svc := &inbox.PresenceService{Store: cfg.Store, Presence: store, Now: func() time.Time { return time.Now().UTC() }}
	if cfg.Live != nil {
		svc.Publisher = cfg.Live
	}
	return svc
}

func (s *Server) announcePresence(c echo.Context) error {
	id, err := conversationID(c)
	if err != nil {
		return err
	}
	var in PresenceInput
	// Anyone who sees the conversation is present in it: no action's
	// role rules ("").
	if err := actionFirst(c, s.store, id, "", bind(c, &in, `"state": "viewing" or "typing"`)); err != nil {
		return err
	}
	all, err := s.presence.Announce(c.Request().Context(), currentUser(c), id, in.State)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, PresenceList{Presence: all})
}
