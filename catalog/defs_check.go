package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/sportello/sportello/errs"
)

func checkIdentity(ctx context.Context, s *Store, k kind, in *Input) error {
	var fe []errs.FieldError
	if in.Ente == "" {
		if in.Level == "" {
			in.Level = Regional
		}
		if in.Level != Regional && in.Level != National {
			fe = append(fe, errs.FieldError{Field: "level", Message: "must be regional or national for a definition without ente"})
		}
		if in.Base != "" {
			fe = append(fe, errs.FieldError{Field: "base", Message: "only an ente's " + k.name + " specialises another"})
		}
		if !slugRE.MatchString(in.ID) {
			fe = append(fe, errs.FieldError{Field: "id", Message: "must be lower-case letters, digits and dashes"})
		}
		return errs.Fields(fe)
	}
	in.Level = EnteOnly
	if _, err := s.GetEnte(ctx, in.Ente); errs.Is(err, errs.NotFound) {
		fe = append(fe, errs.FieldError{Field: "ente", Message: fmt.Sprintf("ente %s does not exist", in.Ente)})
	} else if err != nil {
		return err
	}
	slug, ok := strings.CutPrefix(in.ID, in.Ente+".")
	if !ok || !slugRE.MatchString(slug) {
		fe = append(fe, errs.FieldError{Field: "id", Message: fmt.Sprintf("must be %s.<slug>, the slug lower-case letters, digits and dashes", in.Ente)})
	}
	return errs.Fields(fe)
}

func precondition(k kind, id string, cur *defRow, ifMatch int64) error {
	switch {
	case ifMatch == Unconditional:
		return nil
	case ifMatch == AnyRevision && cur == nil:
		return stale(k, id)
	case ifMatch == AnyRevision:
		return nil
	case cur == nil && ifMatch > 0:
		return errs.E(errs.NotFound, "%s %s does not exist", k.name, id)
	case cur != nil && ifMatch == 0:
		return &errs.Error{Code: errs.Conflict, Reason: "exists", Message: fmt.Sprintf("%s %s already exists: send If-Match to update it", k.name, id)}
	case cur != nil && cur.Revision != ifMatch:
		return stale(k, id)
	}
	return nil
}

// ReasonStale marks a conflict caused by an If-Match that no longer matches; the API answers 412.
const ReasonStale = "precondition_failed"

func stale(k kind, id string) error {
	return &errs.Error{Code: errs.Conflict, Reason: ReasonStale,
		Message: fmt.Sprintf("%s %s was changed by someone else: reload it and retry", k.name, id)}
}
