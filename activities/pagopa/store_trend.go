package pagopa

import (
	"context"
	"time"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// FirstNotices gives each service of ente (every ente when "") with a notice
// issued (not a draft, not invalidated) the time of its first one: the month a
// service became active on pagoPA, for the monitoring's trend.
func (s *Store) FirstNotices(ctx context.Context, ente string) (map[string]time.Time, error) {
	var rows []struct {
		ServiceID string
		First     time.Time
	}
	q := s.db.WithContext(ctx).Table("pagopa_positions").Select("service_id, MIN(created_at) AS first").
		Where("service_id <> '' AND status NOT IN ?", []Status{Draft, Invalid})
	if ente != "" {
		q = q.Where("ente = ?", ente)
	}
	if err := q.Group("service_id").Scan(&rows).Error; err != nil {
		return nil, errs.Wrap(err, "first notices of %q", ente)
	}
	out := make(map[string]time.Time, len(rows))
	for _, r := range rows {
		out[r.ServiceID] = r.First
	}
	return out, nil
}

// MonthlyPayments counts, month by month (UTC) from since, the notices ente
// issued and the receipts with outcome OK it collected, with their amount.
// The grouping is done by the database: a region's year is millions of rows.
func (s *Store) MonthlyPayments(ctx context.Context, ente string, since time.Time) ([]catalog.MonthPayments, error) {
	month := func(col string) string {
		if s.db.Dialector.Name() == "postgres" {
			return "to_char(" + col + ", 'YYYY-MM')"
		}
		return "substr(" + col + ", 1, 7)" // SQLite keeps timestamps as ISO text
	}
	var issued []struct {
		Month string
		N     int
	}
	q := s.db.WithContext(ctx).Table("pagopa_positions").Select(month("created_at")+" AS month, COUNT(*) AS n").
		Where("created_at >= ? AND status NOT IN ?", since, []Status{Draft, Invalid})
	if ente != "" {
		q = q.Where("ente = ?", ente)
	}
	if err := q.Group("month").Scan(&issued).Error; err != nil {
		return nil, errs.Wrap(err, "notices issued by month")
	}
	var paid []struct {
		Month string
		N     int
		Cents int64
	}
	at := "COALESCE(r.payment_date_time, r.received_at)"
	q = s.db.WithContext(ctx).Table("pagopa_receipts AS r").Joins("JOIN pagopa_positions AS p ON p.id = r.position_id").
		Select(month(at)+" AS month, COUNT(*) AS n, COALESCE(SUM(r.amount), 0) AS cents").
		Where("r.outcome = 'OK' AND "+at+" >= ?", since)
	if ente != "" {
		q = q.Where("p.ente = ?", ente)
	}
	if err := q.Group("month").Scan(&paid).Error; err != nil {
		return nil, errs.Wrap(err, "receipts by month")
	}
	by := map[string]*catalog.MonthPayments{}
	row := func(m string) *catalog.MonthPayments {
		if by[m] == nil {
			by[m] = &catalog.MonthPayments{Month: m}
		}
		return by[m]
	}
	for _, r := range issued {
		row(r.Month).Issued = r.N
	}
	for _, r := range paid {
		p := row(r.Month)
		p.Paid, p.PaidCents = r.N, r.Cents
	}
	out := make([]catalog.MonthPayments, 0, len(by))
	for _, p := range by {
		out = append(out, *p)
	}
	return out, nil
}
