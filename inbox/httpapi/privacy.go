package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
	"inkorg/inbox/logredact"
)

// SubjectRemovalInput is the body of POST /api/v1/subjects/{contact id}/remove
// and of POST /api/v1/subjects/remove, which names the person by
// PlatformID instead, on Platform (needed when both platforms have
// someone with the id).
type SubjectRemovalInput struct {
	PlatformID string                   `json:"platform_id,omitempty"`
	Platform   inbox.Platform           `json:"platform,omitempty"`
	Action     inbox.PersonalDataAction `json:"action"`
	Reason     string                   `json:"reason"`
}

// privacyStores is what the data-subject endpoints need of the store.
type privacyStores interface {
	inbox.RecordStore
	inbox.PersonalDataStore
	inbox.AuditStore
}

// subjects serves data-subject requests to admins.
type subjects struct {
	svc *inbox.Privacy
}

func newSubjects(store privacyStores, dead inbox.DeadLetters) *subjects {
	now := func() time.Time { return time.Now().UTC() }
	return &subjects{svc: &inbox.Privacy{
		Records: store, Data: store, Audit: store, Now: now,
		Scrub:       func(text string) string { return logredact.Redact(text, now()) },
		DeadLetters: dead,
	}}
}

// access serves GET /api/v1/subjects?contact=ID or
// ?platform_id=X[&platform=facebook|instagram]: everything kept about the
// person, audited.
func (s *subjects) access(c echo.Context) error {
	if err := inbox.CheckSubjectRequests(currentUser(c)); err != nil {
		return err
	}
	var id int64
	if raw := c.QueryParam("contact"); raw != "" {
		var err error
		if id, err = strconv.ParseInt(raw, 10, 64); err != nil || id <= 0 {
			return inbox.Errorf(inbox.EINVALID, "contact ska vara ett kontakt-id. / contact must be a contact id.")
		}
	}
	out, err := s.svc.SubjectAccessFor(c.Request().Context(), currentUser(c), id,
		inbox.Platform(c.QueryParam("platform")), c.QueryParam("platform_id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// remove serves POST /api/v1/subjects/{contact id}/remove: erase or
// pseudonymise a contact's personal data, with the reason audited.
func (s *subjects) remove(c echo.Context) error {
	if err := inbox.CheckSubjectRequests(currentUser(c)); err != nil {
		return err
	}
	id, err := pathID(c, "Contact")
	if err != nil {
		return err
	}
	var in SubjectRemovalInput
	if err := bind(c, &in, "action and reason"); err != nil {
		return err
	}
	out, err := s.svc.RemoveSubjectAs(c.Request().Context(), currentUser(c), id, in.Platform, in.PlatformID, in.Action, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// removeByPlatformID serves POST /api/v1/subjects/remove: erase or
// pseudonymise the personal data of the person with a platform id on a
// platform, also someone with no contact of their own (who only commented
// in others' threads, or whose contact retention pseudonymised).
func (s *subjects) removeByPlatformID(c echo.Context) error {
	if err := inbox.CheckSubjectRequests(currentUser(c)); err != nil {
		return err
	}
	var in SubjectRemovalInput
	if err := bind(c, &in, "platform_id, action and reason"); err != nil {
		return err
	}
	out, err := s.svc.RemoveSubjectAs(c.Request().Context(), currentUser(c), 0, in.Platform, in.PlatformID, in.Action, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
