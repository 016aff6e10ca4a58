package sqlstore

import (
	"context"
	"encoding/json"

	"inkorg/inbox/graph"
)

// SandboxCallsKept is how many of the newest sandbox calls the table
// keeps; older ones are dropped as new ones arrive.
const SandboxCallsKept = 1000

// SandboxCallLog keeps the Graph API sandbox's calls in the database, so
// every process shows them. It is used only while the sandbox is selected.
type SandboxCallLog struct{ s *Store }

var _ graph.CallLog = (*SandboxCallLog)(nil)

// NewSandboxCallLog returns the call log on s's database.
func NewSandboxCallLog(s *Store) *SandboxCallLog { return &SandboxCallLog{s: s} }

type sandboxCallRow struct {
	ID       int64  `gorm:"column:id;primaryKey"`
	CalledAt dbTime `gorm:"column:called_at"`
	Method   string `gorm:"column:method"`
	Path     string `gorm:"column:path"`
	Body     string `gorm:"column:body"`
	Status   int    `gorm:"column:status"`
	Code     int    `gorm:"column:code"`
	ResultID string `gorm:"column:result_id"`
}

func (sandboxCallRow) TableName() string { return "sandbox_calls" }

// RecordCall stores c and drops calls older than the newest
// SandboxCallsKept. c never holds a token: the sandbox removes them
// before recording.
func (l *SandboxCallLog) RecordCall(ctx context.Context, c graph.Call) error {
	row := sandboxCallRow{CalledAt: toDBTime(c.Time), Method: c.Method, Path: c.Path, Body: string(c.Body),
		Status: c.Status, Code: c.Code, ResultID: c.ResultID}
	if row.Body == "" {
		row.Body = "{}"
	}
	db := l.s.conn(ctx)
	if err := db.Create(&row).Error; err != nil {
		return translate(err, "Sandbox call")
	}
	if row.ID > SandboxCallsKept {
		if err := db.Where("id <= ?", row.ID-SandboxCallsKept).Delete(&sandboxCallRow{}).Error; err != nil {
			return translate(err, "Sandbox call")
		}
	}
	return nil
}

// FindCalls returns the stored calls, oldest first, numbered by their
// order in the table.
func (l *SandboxCallLog) FindCalls(ctx context.Context) ([]graph.Call, error) {
	var rows []sandboxCallRow
	if err := l.s.conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err, "Sandbox call")
	}
	calls := make([]graph.Call, len(rows))
	for i, r := range rows {
		calls[i] = graph.Call{Seq: int(r.ID), Time: r.CalledAt.Time(), Method: r.Method, Path: r.Path,
			Body: json.RawMessage(r.Body), Status: r.Status, Code: r.Code, ResultID: r.ResultID}
	}
	return calls, nil
}
