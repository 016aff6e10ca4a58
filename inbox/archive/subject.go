package archive

import (
	"context"

	"inkorg/inbox"
)

// ExportSubject writes everything kept about the contacts (a registerutdrag
// under GDPR article 15) to dir, in the archive's layout: the whole record
// of every conversation they are part of as JSON Lines and readable HTML,
// with the contacts in the manifest. The access is audited; actorID is 0
// for the command line. An export that fails leaves nothing in dir.
func ExportSubject(ctx context.Context, p *inbox.Privacy, actorID int64, contacts []*inbox.Contact, dir string) (*Result, error) {
	return writeOrDiscard(dir, func() (*Result, error) { return exportSubject(ctx, p, actorID, contacts, dir) })
}

func exportSubject(ctx context.Context, p *inbox.Privacy, actorID int64, contacts []*inbox.Contact, dir string) (*Result, error) {
	w, err := newWriter(dir)
	if err != nil {
		return nil, err
	}
	defer w.close()
	m := Manifest{Format: Format, Kind: KindSubjectAccess, TimeZone: TimeZone, Contacts: contacts}
	if err := w.index.begin(m); err != nil {
		return nil, err
	}
	err = p.SubjectExport(ctx, actorID, contacts, func(rec *inbox.ConversationRecord) error {
		m.Conversations++
		m.Messages += len(rec.Messages)
		return w.conversation(rec)
	})
	if err != nil {
		return nil, err
	}
	sum, err := w.finish(&m)
	if err != nil {
		return nil, err
	}
	return &Result{Dir: dir, Manifest: m, ManifestSHA256: sum}, nil
}
