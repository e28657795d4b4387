package safexml

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Rome must load on minimal images too
)

// Rome is the local time of pagoPA and of the tesoreria, Europe/Rome.
var Rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err)
	}
	return loc
}()

// DateTime parses xsd:dateTime with or without a zone; without one it is
// Rome's local time. The result is in UTC.
func DateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.ParseInLocation(layout, s, Rome); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date-time %q", s)
}
