package attachment

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// Blobs stores attachment content by key. Put returns the content's sha256
// (hex), which the metadata keeps and Get checks, so a file changed or cut
// behind our back is refused instead of served. Put of a key already stored
// with the same content is a no-op; Delete of a missing key is not an error.
type Blobs interface {
	Put(ctx context.Context, key string, content []byte) (sha string, err error)
	Get(ctx context.Context, key string) ([]byte, error)
	Delete(ctx context.Context, key string) error
}

// Sum is the hex sha256 of content.
func Sum(content []byte) string {
	s := sha256.Sum256(content)
	return hex.EncodeToString(s[:])
}

// keyPattern keeps keys safe as file names and URL parts.
var keyPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

func checkKey(key string) error {
	if !keyPattern.MatchString(key) {
		return fmt.Errorf("attachment key %q: not a safe key", key)
	}
	return nil
}

// DBBlobs keeps content in the attachment_blobs table: the default, and dev's.
type DBBlobs struct{ DB *gorm.DB }

type blobRow struct {
	Key     string `gorm:"column:key;primaryKey"`
	SHA256  string `gorm:"column:sha256"`
	Content []byte `gorm:"column:content"`
}

func (blobRow) TableName() string { return "attachment_blobs" }

// Put stores content under key.
func (b DBBlobs) Put(ctx context.Context, key string, content []byte) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	sum := Sum(content)
	row := blobRow{Key: key, SHA256: sum, Content: content}
	if err := b.DB.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return "", fmt.Errorf("put blob %s: %w", key, err)
	}
	return sum, nil
}

// Get reads the content under key.
func (b DBBlobs) Get(ctx context.Context, key string) ([]byte, error) {
	var row blobRow
	err := b.DB.WithContext(ctx).Where("key = ?", key).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "attachment content %s not found", key)
	}
	if err != nil {
		return nil, fmt.Errorf("get blob %s: %w", key, err)
	}
	if Sum(row.Content) != row.SHA256 {
		return nil, errs.E(errs.Internal, "attachment content %s does not match its sha256", key)
	}
	return row.Content, nil
}

// Delete removes the content under key.
func (b DBBlobs) Delete(ctx context.Context, key string) error {
	return b.DB.WithContext(ctx).Where("key = ?", key).Delete(&blobRow{}).Error
}

// DirBlobs keeps content as files in a directory, one file a key, written
// atomically (a crash leaves the whole file or none).
type DirBlobs struct{ Dir string }

// Put stores content under key.
func (d DirBlobs) Put(_ context.Context, key string, content []byte) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	if err := store.WriteFileAtomic(filepath.Join(d.Dir, key), content, 0o600); err != nil {
		return "", fmt.Errorf("put blob %s: %w", key, err)
	}
	return Sum(content), nil
}

// Get reads the content under key.
func (d DirBlobs) Get(_ context.Context, key string) ([]byte, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(d.Dir, key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errs.E(errs.NotFound, "attachment content %s not found", key)
	}
	if err != nil {
		return nil, fmt.Errorf("get blob %s: %w", key, err)
	}
	return b, nil
}

// Delete removes the content under key.
func (d DirBlobs) Delete(_ context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(d.Dir, key)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	return nil
}
