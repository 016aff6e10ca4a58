package archive_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"inkorg/inbox"
	"inkorg/inbox/archive"
	"inkorg/inbox/archive/recordtest"
	"inkorg/inbox/sqlstore/sqlstoretest"
)

// TestExportSameBytesLater checks that exporting the same data again
// later gives the same bytes, also when the response-time clock of a
// conversation was still running when it was last measured: the record
// holds what happened, not how late it is now.
func TestExportSameBytesLater(t *testing.T) {
	s := recordtest.New(t, sqlstoretest.SQLite(t))
	ctx := context.Background()
	at := recordtest.T0.Add(3 * time.Hour)
	err := s.Store.SaveMetrics(ctx, []*inbox.ConversationMetrics{{
		ConversationID: s.Comment, Channel: inbox.ChannelFacebookComment, Status: inbox.StatusOpen,
		FirstMessageAt: recordtest.T0, FirstInboundAt: &recordtest.T0, SourceUpdatedAt: recordtest.T0,
		SLA: &inbox.SLAStatus{Policy: "comments", StartedAt: recordtest.T0, DueAt: at, AtRiskAt: &at, State: inbox.SLAOK, Running: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	x := &archive.Exporter{Store: s.Store}
	var dirs []string
	for _, now := range []time.Time{recordtest.T0.Add(time.Hour), recordtest.T0.Add(48 * time.Hour)} {
		s.Clock.Set(now)
		dir := filepath.Join(t.TempDir(), "arkiv")
		if _, err := x.Export(ctx, from, to, dir, false); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dir)
	}
	sameTree(t, dirs[0], dirs[1])
	records := read(t, filepath.Join(dirs[0], archive.RecordsFile))
	if bytes.Contains(records, []byte(`"sla"`)) {
		t.Errorf("got a response-time clock in the record, want it left out: it is measured later and read at the time of export")
	}
}
