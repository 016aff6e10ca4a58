package inbox

import "time"

// Contact is a citizen as a platform identifies them: a page-scoped or
// Instagram-scoped id with a display name or username.
type Contact struct {
	ID         int64     `json:"id"`
	Platform   Platform  `json:"platform"`
	ExternalID string    `json:"external_id"`
	Name       string    `json:"name,omitempty"`
	Username   string    `json:"username,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}
