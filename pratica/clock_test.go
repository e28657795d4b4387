package pratica

import (
	"testing"
	"time"

	"github.com/sportello/sportello/calendar"
)

func rome(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Rome)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEaster(t *testing.T) {
	for y, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28"} {
		if got := easter(y).Format("2006-01-02"); got != want {
			t.Errorf("easter(%d) = %s, want %s", y, got, want)
		}
	}
}

func TestDue(t *testing.T) {
	trieste := Clock{Patron: "11-03"}
	for _, tc := range []struct {
		name  string
		clock Clock
		start string
		days  int
		want  string
	}{
		{"calendar, plain", Clock{}, "2026-11-24 10:00", 3, "2026-11-27"},
		{"calendar, ends on Sunday moves to Monday", Clock{}, "2026-11-26 10:00", 3, "2026-11-30"},
		{"calendar, ends on Christmas moves past Santo Stefano and Sunday", Clock{}, "2026-12-22 09:00", 3, "2026-12-28"},
		{"working, skips weekend", Clock{Working: true}, "2026-11-26 10:00", 3, "2026-12-01"},
		{"working, skips Easter Monday", Clock{Working: true}, "2026-04-02 10:00", 2, "2026-04-07"},
		{"working, skips the patron in Trieste", Clock{Working: true, Patron: "11-03"}, "2026-11-02 10:00", 1, "2026-11-04"},
		{"calendar, patron day moves the end", trieste, "2026-10-31 10:00", 3, "2026-11-04"},
		{"late evening counts in calendar.Rome, not UTC", Clock{}, "2026-11-24 23:30", 3, "2026-11-27"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.clock.Due(rome(tc.start).UTC(), tc.days).In(calendar.Rome)
			if got.Format("2006-01-02") != tc.want || got.Hour() != 23 {
				t.Errorf("Due = %s, want %s 23:59", got.Format(time.RFC3339), tc.want)
			}
		})
	}
}

func TestRemainingAndDaysLeft(t *testing.T) {
	due := Clock{}.Due(rome("2026-11-20 10:00"), 30) // 2026-12-21 (20 Dec is a Sunday)
	if got := (Clock{}).Remaining(rome("2026-12-01 09:00"), due); got != 20 {
		t.Errorf("Remaining = %d, want 20", got)
	}
	if got := DaysLeft(rome("2026-12-01 09:00"), due); got != 20 {
		t.Errorf("DaysLeft = %d, want 20", got)
	}
	w := Clock{Working: true}
	if got := w.Remaining(rome("2026-11-27 09:00"), rome("2026-12-02 18:00")); got != 3 {
		t.Errorf("working Remaining = %d, want 3 (30 Nov, 1 and 2 Dec)", got)
	}
}
