package catalog

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/sportello/sportello/errs"
)

// MonthPayments is the pagoPA activity of one month, for one ente or the
// whole region: notices issued, receipts collected and their amount.
type MonthPayments struct {
	Month     string `json:"month"` // YYYY-MM
	Issued    int    `json:"issued"`
	Paid      int    `json:"paid"`
	PaidCents int64  `json:"paidCents"`
}

// PaymentTrend is the payments area's history, month by month: the charts of
// the monitoring read it. ente "" means every ente.
type PaymentTrend interface {
	// FirstNotices gives each service with a notice the time of its first one.
	FirstNotices(ctx context.Context, ente string) (map[string]time.Time, error)
	// MonthlyPayments counts notices issued and receipts collected by month, from since.
	MonthlyPayments(ctx context.Context, ente string, since time.Time) ([]MonthPayments, error)
}

// TrendMonth is one month of the agreement's trend: the payments of the month
// and the share of incasso services active on pagoPA at its end.
type TrendMonth struct {
	MonthPayments
	// ActivePagoPA are the incasso services whose first notice came by the month's end.
	ActivePagoPA int     `json:"activePagoPA"`
	Incasso      int     `json:"incasso"`
	PercentBP    int64   `json:"percentBasisPoints"`
	Percent      float64 `json:"percent"`
	TargetMet    bool    `json:"pagoPATargetMet"`
}

// Trend is the agreement's indicator month by month, for one ente or the
// region (Ente "").
type Trend struct {
	Ente          string       `json:"ente"`
	Name          string       `json:"name"`
	TargetPercent int          `json:"targetPercent"`
	Months        []TrendMonth `json:"months"`
}

// MaxTrendMonths bounds the months a trend covers.
const MaxTrendMonths = 60

// Trend computes the last months calendar months up to now's (UTC) for ente,
// or for every ente but the region when ente is "". The incasso services are
// today's: the catalog keeps no history of services, so the share of a past
// month is the services active by then over the services there are now.
func (s *Store) Trend(ctx context.Context, src PaymentTrend, ente string, months int, now time.Time) (*Trend, error) {
	if months < 1 || months > MaxTrendMonths {
		return nil, errs.Field("months", "must be between 1 and %d", MaxTrendMonths)
	}
	t := &Trend{Ente: ente, Name: "Totale regionale", TargetPercent: TargetPagoPAPercent, Months: []TrendMonth{}}
	region := ""
	if ente != "" {
		e, err := s.GetEnte(ctx, ente)
		if err != nil {
			return nil, err
		}
		t.Name = e.Name
	} else {
		enti, err := s.ListEnti(ctx)
		if err != nil {
			return nil, err
		}
		for _, e := range enti {
			if e.Kind == KindRegion {
				region = e.ID
			}
		}
	}
	all, err := s.ListServices(ctx, ServiceFilter{Ente: ente})
	if err != nil {
		return nil, err
	}
	incasso := map[string]bool{}
	for _, sv := range all {
		if sv.Ente != "" && sv.Ente != region && len(sv.Payments) > 0 {
			incasso[sv.ID] = true
		}
	}
	first, err := src.FirstNotices(ctx, ente)
	if err != nil {
		return nil, fmt.Errorf("first notices: %w", err)
	}
	now = now.UTC()
	start := time.Date(now.Year(), now.Month()-time.Month(months-1), 1, 0, 0, 0, 0, time.UTC)
	pays, err := src.MonthlyPayments(ctx, ente, start)
	if err != nil {
		return nil, fmt.Errorf("monthly payments: %w", err)
	}
	byMonth := make(map[string]MonthPayments, len(pays))
	for _, p := range pays {
		byMonth[p.Month] = p
	}
	for m := start; !m.After(now); m = m.AddDate(0, 1, 0) {
		key := m.Format("2006-01")
		row := TrendMonth{MonthPayments: byMonth[key], Incasso: len(incasso)}
		row.Month = key
		end := m.AddDate(0, 1, 0)
		for id, at := range first {
			if incasso[id] && at.Before(end) {
				row.ActivePagoPA++
			}
		}
		f := EnteFigures{Incasso: row.Incasso, ActivePagoPA: row.ActivePagoPA}
		f.finish()
		row.PercentBP, row.Percent, row.TargetMet = f.PercentBP, f.Percent, f.PagoPATargetOK
		t.Months = append(t.Months, row)
	}
	return t, nil
}

// CSV writes the trend one month a line, with the Italian spreadsheet's
// semicolons and decimal commas.
func (t *Trend) CSV() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\xef\xbb\xbf")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	rows := [][]string{{"mese", "avvisi_emessi", "pagamenti", "importo_pagato", "servizi_incasso", "attivi_pagopa", "percentuale", "obiettivo_70"}}
	for _, m := range t.Months {
		yes := "no"
		if m.TargetMet {
			yes = "si"
		}
		rows = append(rows, []string{m.Month, strconv.Itoa(m.Issued), strconv.Itoa(m.Paid), commaCents(m.PaidCents),
			strconv.Itoa(m.Incasso), strconv.Itoa(m.ActivePagoPA), commaCents(m.PercentBP), yes})
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("write trend csv: %w", err)
	}
	return buf.Bytes(), nil
}

// commaCents writes hundredths as a number with a decimal comma: 12345 → 123,45.
func commaCents(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + strconv.FormatInt(v/100, 10) + "," + fmt.Sprintf("%02d", v%100)
}
