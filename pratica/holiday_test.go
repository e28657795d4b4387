package pratica

import (
	"testing"
	"time"

	"github.com/sportello/sportello/calendar"
)

// TestSanFrancesco: 4 October is a national holiday again from 2026
// (L. 151/2025), not before; pratiche recorded before the change keep the old list.
func TestSanFrancesco(t *testing.T) {
	for _, tc := range []struct {
		name  string
		clock Clock
		day   string
		want  bool
	}{
		{"2025: not yet", Clock{}, "2025-10-04 10:00", false},
		{"2026: a holiday (a Sunday)", Clock{}, "2026-10-04 10:00", true},
		{"2027: a holiday (a Monday)", Clock{}, "2027-10-04 10:00", true},
		{"2027 on the old list", Clock{Before151: true}, "2027-10-04 10:00", false},
		{"3 October is not", Clock{}, "2027-10-03 10:00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.clock.Holiday(rome(tc.day)); got != tc.want {
				t.Errorf("Holiday(%s) = %v, want %v", tc.day, got, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name  string
		clock Clock
		start string
		days  int
		want  string
	}{
		{"working days skip Monday 4 October 2027", Clock{Working: true}, "2027-10-01 10:00", 1, "2027-10-05"},
		{"a calendar term ending on it moves to the next day", Clock{}, "2027-10-01 10:00", 3, "2027-10-05"},
		{"2025: Friday 3 + 1 working day is Monday 6", Clock{Working: true}, "2025-10-03 10:00", 1, "2025-10-06"},
		{"old list: working day on 4 October 2027", Clock{Working: true, Before151: true}, "2027-10-01 10:00", 1, "2027-10-04"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.clock.Due(rome(tc.start).UTC(), tc.days).In(calendar.Rome)
			if got.Format("2006-01-02") != tc.want || got.Hour() != 23 {
				t.Errorf("Due = %s, want %s 23:59", got.Format(time.RFC3339), tc.want)
			}
		})
	}
	if got := (Clock{Working: true}).Remaining(rome("2027-10-01 10:00"), rome("2027-10-06 18:00")); got != 2 {
		t.Errorf("working Remaining over 4 October 2027 = %d, want 2 (5 and 6 October)", got)
	}
}
