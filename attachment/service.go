package attachment

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
)

// Fields gives the file fields of the start form of a template version (modeler.Service).
type Fields interface {
	StartAttachmentFields(ctx context.Context, template string, version int) ([]modeler.AttachmentField, error)
}

// Service uploads, claims, lists and serves attachments.
type Service struct {
	DB     *gorm.DB
	Blobs  Blobs
	Fields Fields
	Log    *slog.Logger
	Now    func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Upload is one file as sent: who sends it, its name and declared type, and
// the form field it is meant for (only to name it in errors).
type Upload struct {
	Owner    string
	Name     string
	Type     string
	Field    string
	Content  []byte
	Storage  string // the name of the Blobs in use, kept on the row
	Language string
}

// Upload checks a file by its content and stores it, bound to its uploader.
// The same file with the same name sent again by the same uploader, while no
// pratica claimed it, is the same attachment (created false): a retried upload
// makes no second copy.
func (s *Service) Upload(ctx context.Context, u Upload) (a *Attachment, created bool, err error) {
	field := u.Field
	if field == "" {
		field = "file"
	}
	if u.Owner == "" {
		return nil, false, errs.E(errs.Forbidden, "sign in to upload files")
	}
	if len(u.Content) == 0 {
		return nil, false, errs.Field(field, "is empty / il file è vuoto")
	}
	if len(u.Content) > modeler.MaxAttachmentSize {
		return nil, false, errs.Field(field, "is larger than %d MB / supera %d MB", modeler.MaxAttachmentSize>>20, modeler.MaxAttachmentSize>>20)
	}
	sniffed := Sniff(u.Content)
	if !slices.Contains(Accepted, sniffed) {
		return nil, false, errs.Field(field, "its content is %s, not a PDF, PNG, JPEG or P7M file / il contenuto (%s) non è un file PDF, PNG, JPEG o P7M", sniffed, sniffed)
	}
	if d := normalType(u.Type); d != "" && d != "application/octet-stream" && d != sniffed {
		return nil, false, errs.Field(field, "is declared %s but its content is %s / dichiarato %s ma il contenuto è %s", d, sniffed, d, sniffed)
	}
	name := cleanName(u.Name, sniffed)
	sum := Sum(u.Content)
	var prev Attachment
	err = s.DB.WithContext(ctx).Where("owner = ? AND sha256 = ? AND name = ? AND pratica_id IS NULL", u.Owner, sum, name).
		Order("created_at").Take(&prev).Error
	if err == nil {
		return &prev, false, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, errs.Wrap(err, "find upload")
	}
	a = &Attachment{ID: uuid.NewString(), Owner: u.Owner, Name: name, MediaType: sniffed, Size: int64(len(u.Content)),
		SHA256: sum, Storage: u.Storage, CreatedAt: s.now()}
	// Content first, then the row: a crash between leaves content no row
	// names, never a row without content.
	if _, err := s.Blobs.Put(ctx, a.ID, u.Content); err != nil {
		return nil, false, errs.Wrap(err, "store attachment")
	}
	if err := s.DB.WithContext(ctx).Create(a).Error; err != nil {
		_ = s.Blobs.Delete(context.WithoutCancel(ctx), a.ID)
		return nil, false, errs.Wrap(err, "record attachment")
	}
	return a, true, nil
}

// cleanName keeps the base name of a file without control characters, at most
// 200 characters; an empty name becomes "allegato" with the type's extension.
func cleanName(name, mediaType string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	if name == "" || name == "." || name == "/" {
		name = "allegato" + Extension(mediaType)
	}
	return name
}

// Get returns one attachment's metadata.
func (s *Service) Get(ctx context.Context, id string) (*Attachment, error) {
	var a Attachment
	err := s.DB.WithContext(ctx).Where("id = ?", id).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "attachment %s not found", id)
	}
	return &a, errs.Wrap(err, "get attachment %s", id)
}

// Content reads an attachment's bytes and checks them against its sha256.
func (s *Service) Content(ctx context.Context, a *Attachment) ([]byte, error) {
	b, err := s.Blobs.Get(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if Sum(b) != a.SHA256 {
		return nil, errs.E(errs.Internal, "attachment %s: stored content does not match its sha256", a.ID)
	}
	return b, nil
}

// List returns the attachments a pratica claimed, oldest first.
func (s *Service) List(ctx context.Context, praticaID string) ([]Attachment, error) {
	var out []Attachment
	err := s.DB.WithContext(ctx).Where("pratica_id = ?", praticaID).Order("created_at, id").Find(&out).Error
	if out == nil {
		out = []Attachment{}
	}
	return out, errs.Wrap(err, "attachments of %s", praticaID)
}

// expired selects attachments past their time: unclaimed, or claimed for no pratica.
const expired = "(claimed_at IS NULL AND created_at < ?) OR (claimed_at < ? AND NOT EXISTS (SELECT 1 FROM pratiche p WHERE p.id = attachments.pratica_id))"

// Sweep deletes what expired: attachments no pratica claimed within ttl, and
// those claimed for a pratica that was never written (a crash between the
// claim and the pratica's row). It returns how many it deleted.
func (s *Service) Sweep(ctx context.Context, ttl time.Duration) (int, error) {
	cutoff := s.now().Add(-ttl)
	var dead []Attachment
	err := s.DB.WithContext(ctx).Where(expired, cutoff, cutoff).Limit(1000).Find(&dead).Error
	if err != nil {
		return 0, errs.Wrap(err, "find expired attachments")
	}
	n := 0
	for _, a := range dead {
		// The row first: a crash after it leaves unreachable content, never a row without content.
		// The condition again: a claim that landed meanwhile keeps the attachment.
		res := s.DB.WithContext(ctx).Where("id = ?", a.ID).Where(expired, cutoff, cutoff).Delete(&Attachment{})
		if res.Error != nil {
			return n, errs.Wrap(res.Error, "delete attachment %s", a.ID)
		}
		if res.RowsAffected == 0 {
			continue
		}
		if err := s.Blobs.Delete(ctx, a.ID); err != nil {
			return n, fmt.Errorf("delete content of %s: %w", a.ID, err)
		}
		n++
	}
	return n, nil
}
