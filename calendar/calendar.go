// Package calendar is where Sportello's time is told: Europe/Rome, the zone in
// which dates are shown, legal terms counted and payments dated (DESIGN decision
// 5). Every package takes the location from here, so it is loaded once.
package calendar

import (
	"time"
	_ "time/tzdata" // Europe/Rome on every machine, whatever its zone database
)

// Zone is the IANA name of Rome's time zone, for Temporal Schedules and the like.
const Zone = "Europe/Rome"

// Rome is the location of Zone.
var Rome = func() *time.Location {
	l, err := time.LoadLocation(Zone)
	if err != nil {
		panic(err)
	}
	return l
}()
