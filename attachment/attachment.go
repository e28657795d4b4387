// Package attachment keeps the files citizens and operators attach to forms
// and integrations: uploaded first, checked by their content (never by their
// name), bound to their uploader until a pratica claims them, and served only
// to who may see that pratica. The content sits behind Blobs (the database or
// a directory); the metadata in the attachments table.
package attachment

import (
	"time"
)

// Attachment is one uploaded file.
type Attachment struct {
	ID string `gorm:"column:id;primaryKey" json:"id"`
	// Owner is who uploaded it: a citizen's codice fiscale, an operator's subject.
	Owner     string     `gorm:"column:owner" json:"-"`
	PraticaID *string    `gorm:"column:pratica_id" json:"praticaId,omitempty"`
	Field     string     `gorm:"column:field" json:"field,omitempty"`
	Name      string     `gorm:"column:name" json:"name"`
	MediaType string     `gorm:"column:media_type" json:"mediaType"`
	Size      int64      `gorm:"column:size" json:"size"`
	SHA256    string     `gorm:"column:sha256" json:"sha256"`
	Storage   string     `gorm:"column:storage" json:"-"`
	CreatedAt time.Time  `gorm:"column:created_at" json:"createdAt"`
	ClaimedAt *time.Time `gorm:"column:claimed_at" json:"claimedAt,omitempty"`
}

// TableName is the attachments table.
func (Attachment) TableName() string { return "attachments" }

// Unclaimed is how long an attachment no pratica claimed is kept.
const Unclaimed = 24 * time.Hour
