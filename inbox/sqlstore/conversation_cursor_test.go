package sqlstore

import (
	"testing"
	"time"

	"inkorg/inbox"
)

func TestCursor(t *testing.T) {
	at := time.Date(2025, 3, 14, 9, 26, 53, 589_123_000, time.UTC)
	for _, tc := range []struct {
		name string
		sort inbox.Sort
		row  conversationRow
		want listCursor
	}{
		{"Newest", inbox.SortNewest, conversationRow{ID: 42, LastMessageAt: toDBTime(at)}, listCursor{sort: inbox.SortNewest, at: at, id: 42}},
		{"OldestWaiting", inbox.SortOldestWaiting, conversationRow{ID: 7, WaitingSince: toDBTime(at)}, listCursor{sort: inbox.SortOldestWaiting, at: at, id: 7}},
		{"NothingWaiting", inbox.SortOldestWaiting, conversationRow{ID: 9, LastMessageAt: toDBTime(at)}, listCursor{sort: inbox.SortOldestWaiting, id: 9}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeCursor(cursorAfter(tc.sort, &tc.row), tc.sort)
			if err != nil || !got.at.Equal(tc.want.at) || got.id != tc.want.id || got.sort != tc.want.sort {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	t.Run("ErrOtherSort", func(t *testing.T) {
		c := cursorAfter(inbox.SortNewest, &conversationRow{ID: 1, LastMessageAt: toDBTime(at)})
		if _, err := decodeCursor(c, inbox.SortOldestWaiting); inbox.ErrorCode(err) != inbox.EINVALID {
			t.Errorf("got %v, want EINVALID", err)
		}
	})
}
