package httpapi

import (
	"context"

	"inkorg/inbox"
)

// addPost sets the post a comment thread hangs under: as stored, or only
// its id (fetched false) while the post fetcher has not read it yet.
// Private threads have none.
func (s *Server) addPost(ctx context.Context, d *ConversationDetail) error {
	c := d.Conversation
	if !c.Channel.Public() || c.PostExternalID == "" {
		return nil
	}
	p, err := s.store.FindPost(ctx, c.Platform, c.PostExternalID)
	switch {
	case inbox.ErrorCode(err) == inbox.ENOTFOUND:
		p = &inbox.Post{Platform: c.Platform, ExternalID: c.PostExternalID, AccountExternalID: c.AccountExternalID}
	case err != nil:
		return err
	}
	d.Post = p
	return nil
}
