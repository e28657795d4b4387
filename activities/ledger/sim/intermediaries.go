package sim

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"
)

// fetch reads the payments of day ("" for every day) from the pagoPA
// simulator, or from each intermediary's, tagging them with its id.
func (h *Handler) fetch(ctx context.Context, day string) ([]Payment, error) {
	hc := h.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	if len(h.Intermediaries) == 0 {
		return Fetch(ctx, hc, h.PagoPA, day)
	}
	ids := make([]string, 0, len(h.Intermediaries))
	for id := range h.Intermediaries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []Payment
	for _, id := range ids {
		ps, err := Fetch(ctx, hc, h.Intermediaries[id], day)
		if err != nil {
			return nil, fmt.Errorf("intermediary %s: %w", id, err)
		}
		for i := range ps {
			ps[i].Intermediary = id
		}
		out = append(out, ps...)
	}
	return out, nil
}
