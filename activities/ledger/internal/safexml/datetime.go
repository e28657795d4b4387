package safexml

import (
	"fmt"
	"time"

	"github.com/sportello/sportello/calendar"
)

// DateTime parses xsd:dateTime with or without a zone; without one it is
// calendar.Rome's local time. The result is in UTC.
func DateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.ParseInLocation(layout, s, calendar.Rome); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date-time %q", s)
}
