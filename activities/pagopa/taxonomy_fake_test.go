package pagopa_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/sportello/sportello/errs"
)

// taxonomy is a TaxonomyChecker made of a function, as the house style fakes
// outside dependencies.
type taxonomy struct {
	check func(ctx context.Context, code string, at time.Time) error
}

func (t taxonomy) Check(ctx context.Context, code string, at time.Time) error {
	return t.check(ctx, code, at)
}

// fileTaxonomy checks codes against the national dataset in shared/data.
func fileTaxonomy(t testing.TB) taxonomy {
	t.Helper()
	data, err := os.ReadFile("../../../shared/data/tassonomia.json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	type validity struct{ from, to time.Time }
	codes := map[string]validity{}
	for _, r := range rows {
		from, _ := time.Parse("02/01/2006", r["DATA INIZIO VALIDITA"])
		to, _ := time.Parse("02/01/2006", r["DATA FINE VALIDITA"])
		codes[r["DATI SPECIFICI DI INCASSO"]] = validity{from, to}
	}
	return taxonomy{check: func(_ context.Context, code string, at time.Time) error {
		v, ok := codes[code]
		switch {
		case !ok:
			return errs.E(errs.Invalid, "%s is not in the pagoPA taxonomy", code)
		case at.Before(v.from) || !at.Before(v.to):
			return errs.E(errs.Invalid, "%s is valid from %s to %s", code, v.from.Format("02/01/2006"), v.to.Format("02/01/2006"))
		}
		return nil
	}}
}
