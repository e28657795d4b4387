package catalog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/errs"
)

// MaxCrest is the largest crest accepted: a header image, not a poster.
const MaxCrest = 256 << 10

//go:embed data/crests/*.svg
var crestFiles embed.FS

// Crest is an ente's crest as the portal serves it.
type Crest struct {
	Ente      string    `json:"ente"`
	MediaType string    `json:"mediaType"` // image/svg+xml or image/png
	SHA256    string    `json:"sha256"`
	Content   []byte    `json:"-"`
	UpdatedBy string    `json:"updatedBy"`
	UpdatedAt time.Time `json:"updatedAt"`
	// Generic says the ente has none and this is the generic shield.
	Generic bool `json:"generic,omitempty"`
}

type crestRow struct {
	Ente      string    `gorm:"column:ente;primaryKey"`
	MediaType string    `gorm:"column:media_type"`
	SHA256    string    `gorm:"column:sha256"`
	Content   []byte    `gorm:"column:content"`
	UpdatedBy string    `gorm:"column:updated_by"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

func (crestRow) TableName() string { return "catalog_crests" }

// Crest returns the crest of ente, or the generic shield when it has none
// (an unknown ente is not found).
func (s *Store) Crest(ctx context.Context, ente string) (*Crest, error) {
	var r crestRow
	err := s.conn(ctx).Where("ente = ?", ente).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if _, err := s.GetEnte(ctx, ente); err != nil {
			return nil, err
		}
		b, _ := crestFiles.ReadFile("data/crests/ente.svg")
		return &Crest{Ente: ente, MediaType: "image/svg+xml", SHA256: sum(b), Content: b, Generic: true}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("crest of %s: %w", ente, err)
	}
	return &Crest{Ente: r.Ente, MediaType: r.MediaType, SHA256: r.SHA256, Content: r.Content, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt}, nil
}

// PutCrest stores the crest of ente after checking it is a PNG or a plain SVG
// image (no scripts, no event handlers, nothing loaded from elsewhere):
// anything else is refused naming the field "crest".
func (s *Store) PutCrest(ctx context.Context, ente string, content []byte, actor string) (*Crest, error) {
	if _, err := s.GetEnte(ctx, ente); err != nil {
		return nil, err
	}
	mt, err := checkCrest(content)
	if err != nil {
		return nil, err
	}
	r := crestRow{Ente: ente, MediaType: mt, SHA256: sum(content), Content: content, UpdatedBy: actor, UpdatedAt: time.Now().UTC()}
	err = s.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "ente"}}, UpdateAll: true}).Create(&r).Error
	if err != nil {
		return nil, fmt.Errorf("save crest of %s: %w", ente, err)
	}
	return &Crest{Ente: ente, MediaType: mt, SHA256: r.SHA256, Content: content, UpdatedBy: actor, UpdatedAt: r.UpdatedAt}, nil
}

// seedCrests gives the demo enti that have one their crest, once: a crest an
// ente uploaded later is not overwritten on restart.
func (s *Store) seedCrests(ctx context.Context) error {
	for _, id := range []string{Trieste, Medea, FVG} {
		name := map[string]string{FVG: "region"}[id]
		if name == "" {
			name = id
		}
		b, err := crestFiles.ReadFile("data/crests/" + name + ".svg")
		if err != nil {
			return err
		}
		r := crestRow{Ente: id, MediaType: "image/svg+xml", SHA256: sum(b), Content: b, UpdatedBy: "seed", UpdatedAt: time.Now().UTC()}
		if err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
			return fmt.Errorf("seed crest of %s: %w", id, err)
		}
	}
	return nil
}

// checkCrest tells the media type of a crest, or why it is refused.
func checkCrest(b []byte) (string, error) {
	switch {
	case len(b) == 0:
		return "", errs.Field("crest", "is empty: send a PNG or SVG image / è vuoto: invia un'immagine PNG o SVG")
	case len(b) > MaxCrest:
		return "", errs.Field("crest", "is %d bytes, at most %d / supera %d byte", len(b), MaxCrest, MaxCrest)
	case http.DetectContentType(b) == "image/png":
		return "image/png", nil
	}
	if err := plainSVG(b); err != nil {
		return "", errs.Field("crest", "is not a PNG nor a plain SVG image: %v / non è un'immagine PNG o SVG semplice", err)
	}
	return "image/svg+xml", nil
}

// plainSVG checks that b is an SVG document with no active or outside content:
// no script or foreignObject element, no on* attribute, no href that is not a
// fragment of the document itself.
func plainSVG(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	root := true
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return errors.New("a DOCTYPE or other directive")
		case xml.StartElement:
			if root && t.Name.Local != "svg" {
				return fmt.Errorf("the root element is <%s>, not <svg>", t.Name.Local)
			}
			root = false
			if n := strings.ToLower(t.Name.Local); n == "script" || n == "foreignobject" || n == "iframe" {
				return fmt.Errorf("a <%s> element", t.Name.Local)
			}
			for _, a := range t.Attr {
				n := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(n, "on") {
					return fmt.Errorf("an event handler (%s)", a.Name.Local)
				}
				if n == "href" && !strings.HasPrefix(strings.TrimSpace(a.Value), "#") {
					return fmt.Errorf("a link to %q", a.Value)
				}
			}
		}
	}
	if root {
		return errors.New("no <svg> element")
	}
	return nil
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
