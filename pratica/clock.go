package pratica

import (
	"time"

	"github.com/sportello/sportello/calendar"
)

// Clock counts the legal terms of a procedure (L. 241/1990): calendar or working
// days, Italian national holidays plus the ente's patron saint's day. Pure and
// deterministic, so workflow code may call it.
type Clock struct {
	Working bool
	Patron  string // "MM-DD", e.g. "11-03" for San Giusto in Trieste
	// Before151 counts with the national holidays as they were before
	// L. 151/2025 (no 4 October): only pratiche whose workflow history began
	// before the change keep it, so replaying them computes the same dates.
	Before151 bool
}

// Holiday reports whether d (in calendar.Rome) is a national holiday or the patron's day.
// The national list is L. 260/1949 as amended: New Year, Epiphany, Easter
// Monday, Liberation Day, Labour Day, Republic Day, Assumption, All Saints,
// Immaculate Conception, Christmas, Santo Stefano, and from 2026 4 October,
// San Francesco d'Assisi patrono d'Italia (L. 151/2025; not before 2026).
func (c Clock) Holiday(d time.Time) bool {
	d = d.In(calendar.Rome)
	md := d.Format("01-02")
	switch md {
	case "01-01", "01-06", "04-25", "05-01", "06-02", "08-15", "11-01", "12-08", "12-25", "12-26":
		return true
	case "10-04":
		if d.Year() >= 2026 && !c.Before151 {
			return true
		}
	}
	if c.Patron != "" && md == c.Patron {
		return true
	}
	em := easter(d.Year()).AddDate(0, 0, 1) // Lunedì dell'Angelo
	return d.Month() == em.Month() && d.Day() == em.Day()
}

// WorkingDay reports whether d is neither a weekend day nor a holiday.
func (c Clock) WorkingDay(d time.Time) bool {
	wd := d.In(calendar.Rome).Weekday()
	return wd != time.Saturday && wd != time.Sunday && !c.Holiday(d)
}

// Due returns the end of the last day of a term of days started at start: the day
// of the start does not count (dies a quo non computatur), and a term ending on a
// holiday or a Sunday moves to the next working day (art. 2963 c.c.).
func (c Clock) Due(start time.Time, days int) time.Time {
	d := dayOf(start)
	if c.Working {
		for n := 0; n < days; {
			d = d.AddDate(0, 0, 1)
			if c.WorkingDay(d) {
				n++
			}
		}
	} else {
		d = d.AddDate(0, 0, days)
		for !c.WorkingDay(d) {
			d = d.AddDate(0, 0, 1)
		}
	}
	return endOfDay(d)
}

// Remaining counts the days of the term still left at t before due: calendar
// days, or working days for a working-day term. It is what a suspension keeps.
func (c Clock) Remaining(t, due time.Time) int {
	from, to := dayOf(t), dayOf(due)
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if !c.Working || c.WorkingDay(d) {
			n++
		}
	}
	return n
}

// DaysLeft counts calendar days from now's day to due's day in calendar.Rome.
func DaysLeft(now, due time.Time) int {
	a, b := dayOf(now), dayOf(due)
	return int(b.Sub(a).Hours()+1) / 24
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.In(calendar.Rome).Date()
	return time.Date(y, m, d, 12, 0, 0, 0, calendar.Rome) // noon: immune to DST shifts
}

func endOfDay(d time.Time) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 23, 59, 59, 0, calendar.Rome).UTC()
}

// easter computes Easter Sunday (Gregorian, the anonymous algorithm).
func easter(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 12, 0, 0, 0, calendar.Rome)
}
