package attachment

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
)

// Claim binds the attachments a submission names to its pratica.
type Claim struct {
	Owner     string // who submits: only their own uploads can be claimed
	PraticaID string
	Template  string
	Version   int
	Data      map[string]any
}

// ref is one attachment id found in the data, at its field's pointer.
type ref struct {
	at    string
	id    string
	field modeler.AttachmentField
}

// refs finds the attachment ids data carries in the form's file fields.
func refs(fields []modeler.AttachmentField, data map[string]any) []ref {
	var out []ref
	for _, f := range fields {
		ptr := strings.TrimSuffix(f.Pointer, "/-")
		v := valueAt(data, ptr)
		if f.Multiple {
			list, _ := v.([]any)
			for i, x := range list {
				if id, ok := x.(string); ok && id != "" {
					out = append(out, ref{at: fmt.Sprintf("%s/%d", ptr, i), id: id, field: f})
				}
			}
			continue
		}
		if id, ok := v.(string); ok && id != "" {
			out = append(out, ref{at: ptr, id: id, field: f})
		}
	}
	return out
}

func valueAt(data map[string]any, ptr string) any {
	var cur any = data
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")]
	}
	return cur
}

// Claim checks every attachment the data names against its field (the
// uploader's own, of a type and size the field takes, not another pratica's)
// and binds them to the pratica; every problem comes back at once, naming the
// field. It returns the ids it bound now, for Release if the submission then
// fails. Claiming again for the same pratica changes nothing.
func (s *Service) Claim(ctx context.Context, c Claim) ([]string, error) {
	fields, err := s.Fields.StartAttachmentFields(ctx, c.Template, c.Version)
	if err != nil || len(fields) == 0 {
		return nil, err
	}
	rs := refs(fields, c.Data)
	var bad []errs.FieldError
	var fresh []string
	for _, r := range rs {
		a, err := s.Get(ctx, r.id)
		switch {
		case errs.Is(err, errs.NotFound) || (err == nil && a.Owner != c.Owner):
			bad = append(bad, errs.FieldError{Field: r.at, Message: "no such attachment: upload the file again / allegato inesistente: caricare di nuovo il file"})
			continue
		case err != nil:
			return nil, err
		case a.PraticaID != nil && *a.PraticaID != c.PraticaID:
			bad = append(bad, errs.FieldError{Field: r.at, Message: "this file is attached to another pratica: upload it again / il file è allegato a un'altra pratica: caricarlo di nuovo"})
			continue
		}
		if !slices.Contains(r.field.Accept, a.MediaType) {
			bad = append(bad, errs.FieldError{Field: r.at, Message: fmt.Sprintf("a %s file is not accepted here: send %s / file %s non ammesso: inviare %s",
				a.MediaType, strings.Join(r.field.Accept, ", "), a.MediaType, strings.Join(r.field.Accept, ", "))})
		}
		if a.Size > r.field.MaxSize {
			bad = append(bad, errs.FieldError{Field: r.at, Message: fmt.Sprintf("the file has %d bytes, more than the %d allowed / il file supera i %d byte ammessi",
				a.Size, r.field.MaxSize, r.field.MaxSize)})
		}
		if a.PraticaID == nil && !slices.Contains(fresh, a.ID) {
			fresh = append(fresh, a.ID)
		}
	}
	if len(bad) > 0 {
		return nil, errs.Fields(bad)
	}
	fieldOf := map[string]string{}
	for _, r := range rs {
		fieldOf[r.id] = r.at
	}
	now := s.now()
	var claimed []string
	for _, id := range fresh {
		res := s.DB.WithContext(ctx).Model(&Attachment{}).
			Where("id = ? AND owner = ? AND pratica_id IS NULL", id, c.Owner).
			Updates(map[string]any{"pratica_id": c.PraticaID, "field": fieldOf[id], "claimed_at": now})
		if res.Error != nil {
			_ = s.Release(context.WithoutCancel(ctx), c.PraticaID, claimed)
			return nil, errs.Wrap(res.Error, "claim attachment %s", id)
		}
		if res.RowsAffected == 0 { // another submission took it meanwhile
			_ = s.Release(context.WithoutCancel(ctx), c.PraticaID, claimed)
			return nil, errs.Field(fieldOf[id], "this file was just attached to another pratica: upload it again / il file è appena stato allegato a un'altra pratica")
		}
		claimed = append(claimed, id)
	}
	return claimed, nil
}

// Release unbinds attachments a failed submission had claimed, so their
// uploader can use them again (until they expire).
func (s *Service) Release(ctx context.Context, praticaID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.DB.WithContext(ctx).Model(&Attachment{}).Where("id IN ? AND pratica_id = ?", ids, praticaID).
		Updates(map[string]any{"pratica_id": nil, "field": "", "claimed_at": nil}).Error
	return errs.Wrap(err, "release attachments of %s", praticaID)
}
