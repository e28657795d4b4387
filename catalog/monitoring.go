package catalog

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"sort"
	"strconv"
)

// Targets of the Region-DTD agreement (phase 2): 70% of the incasso services
// active on pagoPA, and 10 services published on App IO.
const (
	TargetPagoPAPercent = 70
	TargetAppIO         = 10
)

// PaymentActivity says which of an ente's services are active on pagoPA: at
// least one notice issued or paid. The payments area implements it.
type PaymentActivity interface {
	ActiveServices(ctx context.Context, ente string) (map[string]bool, error)
}

// PaymentActivityFunc adapts a function to PaymentActivity.
type PaymentActivityFunc func(ctx context.Context, ente string) (map[string]bool, error)

// ActiveServices calls f.
func (f PaymentActivityFunc) ActiveServices(ctx context.Context, ente string) (map[string]bool, error) {
	return f(ctx, ente)
}

// EnteFigures are one ente's figures against the agreement's targets.
type EnteFigures struct {
	Ente     string `json:"ente"`
	Name     string `json:"name"`
	Services int    `json:"services"`
	// Incasso are the services with at least one payment mode.
	Incasso int `json:"incasso"`
	// ActivePagoPA are the incasso services with at least one notice issued or paid.
	ActivePagoPA int `json:"activePagoPA"`
	// Percent is ActivePagoPA over Incasso, in hundredths of a percent (7000 = 70%).
	PercentBP      int64    `json:"percentBasisPoints"`
	Percent        float64  `json:"percent"`
	PagoPATargetOK bool     `json:"pagoPATargetMet"`
	AppIO          int      `json:"appIO"`
	AppIOTargetOK  bool     `json:"appIOTargetMet"`
	Inactive       []string `json:"inactive,omitempty"` // incasso services still without a notice
}

// Monitoring is the region-wide table of the agreement.
type Monitoring struct {
	Enti   []EnteFigures `json:"enti"`
	Totals EnteFigures   `json:"totals"`
}

// Monitor computes the agreement's figures for every ente that is not the
// region itself, or for one ente when ente is set.
func (s *Store) Monitor(ctx context.Context, act PaymentActivity, ente string) (*Monitoring, error) {
	enti, err := s.ListEnti(ctx)
	if err != nil {
		return nil, err
	}
	// One read of every service, grouped by ente: the table covers the whole region.
	all, err := s.ListServices(ctx, ServiceFilter{Ente: ente})
	if err != nil {
		return nil, err
	}
	byEnte := map[string][]Service{}
	for _, sv := range all {
		if sv.Ente != "" {
			byEnte[sv.Ente] = append(byEnte[sv.Ente], sv)
		}
	}
	m := &Monitoring{Enti: []EnteFigures{}, Totals: EnteFigures{Ente: "totale", Name: "Totale regionale"}}
	for _, e := range enti {
		if (ente != "" && e.ID != ente) || (ente == "" && e.Kind == KindRegion) {
			continue
		}
		services := byEnte[e.ID]
		active, err := act.ActiveServices(ctx, e.ID)
		if err != nil {
			return nil, fmt.Errorf("payment activity of %s: %w", e.ID, err)
		}
		f := EnteFigures{Ente: e.ID, Name: e.Name, Services: len(services)}
		for _, sv := range services {
			if sv.AppIO != nil && sv.AppIO.Enabled {
				f.AppIO++
			}
			if len(sv.Payments) == 0 {
				continue
			}
			f.Incasso++
			if active[sv.ID] {
				f.ActivePagoPA++
			} else {
				f.Inactive = append(f.Inactive, sv.ID)
			}
		}
		f.finish()
		m.Enti = append(m.Enti, f)
		m.Totals.Services += f.Services
		m.Totals.Incasso += f.Incasso
		m.Totals.ActivePagoPA += f.ActivePagoPA
		m.Totals.AppIO += f.AppIO
	}
	if ente != "" && len(m.Enti) == 0 {
		if _, err := s.GetEnte(ctx, ente); err != nil {
			return nil, err
		}
	}
	sort.Slice(m.Enti, func(i, j int) bool { return m.Enti[i].Ente < m.Enti[j].Ente })
	m.Totals.finish()
	m.Totals.AppIOTargetOK = false
	if n := len(m.Enti); n > 0 {
		ok := 0
		for _, f := range m.Enti {
			if f.AppIOTargetOK {
				ok++
			}
		}
		m.Totals.AppIOTargetOK = ok == n
	}
	return m, nil
}

// finish computes the percentage with integers, so the figure is exact and the
// target compares without rounding: active*10000/incasso basis points.
func (f *EnteFigures) finish() {
	if f.Incasso > 0 {
		f.PercentBP = int64(f.ActivePagoPA) * 10000 / int64(f.Incasso)
	}
	f.Percent = float64(f.PercentBP) / 100
	f.PagoPATargetOK = f.Incasso > 0 && int64(f.ActivePagoPA)*100 >= int64(TargetPagoPAPercent)*int64(f.Incasso)
	f.AppIOTargetOK = f.AppIO >= TargetAppIO
}

// CSV writes the table with a header, one ente a line and the totals last;
// semicolons and decimal commas, as Italian spreadsheets expect.
func (m *Monitoring) CSV() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\xef\xbb\xbf")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	yes := func(b bool) string {
		if b {
			return "si"
		}
		return "no"
	}
	rows := [][]string{{"ente", "denominazione", "servizi", "servizi_incasso", "attivi_pagopa", "percentuale", "obiettivo_70", "servizi_app_io", "obiettivo_10_io"}}
	for _, f := range append(append([]EnteFigures{}, m.Enti...), m.Totals) {
		pct := strconv.FormatInt(f.PercentBP/100, 10) + "," + fmt.Sprintf("%02d", f.PercentBP%100)
		rows = append(rows, []string{f.Ente, f.Name, strconv.Itoa(f.Services), strconv.Itoa(f.Incasso),
			strconv.Itoa(f.ActivePagoPA), pct, yes(f.PagoPATargetOK), strconv.Itoa(f.AppIO), yes(f.AppIOTargetOK)})
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("write monitoring csv: %w", err)
	}
	return buf.Bytes(), nil
}
