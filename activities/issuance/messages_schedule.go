package issuance

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// Reminder is one reminder of a campaign: kind, installment (1-based; 0 is
// the single option of a plan without installments), when it goes and the
// due date it is about.
type Reminder struct {
	Kind        string    `json:"kind"`
	Installment int       `json:"installment"`
	At          time.Time `json:"at"`
	Due         time.Time `json:"due"`
}

// MessageSchedule is what a campaign sends on App IO: nothing when its plan
// names no IO service, else the notice now and the reminders in time order.
type MessageSchedule struct {
	Enabled   bool       `json:"enabled"`
	Reminders []Reminder `json:"reminders,omitempty"`
}

// ReminderHour is the time of day (Europe/Rome) reminders go out.
const ReminderHour = 9

// Schedule computes a plan's App IO schedule: a reminder ReminderDays
// before each installment's due date (before the single option's when there
// are no installments), at ReminderHour.
func (p *Plan) Schedule() (MessageSchedule, error) {
	if p.AppIOService == "" {
		return MessageSchedule{}, nil
	}
	out := MessageSchedule{Enabled: true}
	dues := p.Installments
	first := 1
	if len(dues) == 0 {
		dues, first = []string{p.SingleDue}, 0
	}
	for i, s := range dues {
		day, err := time.ParseInLocation(time.DateOnly, s, calendar.Rome)
		if err != nil {
			return out, errs.Field(fmt.Sprintf("plan.installments[%d]", i), "must be a date YYYY-MM-DD / data AAAA-MM-GG")
		}
		due, _ := dueDate(s)
		for _, d := range p.ReminderDays {
			at := time.Date(day.Year(), day.Month(), day.Day()-d, ReminderHour, 0, 0, 0, calendar.Rome)
			out.Reminders = append(out.Reminders, Reminder{Kind: ReminderKind(d), Installment: first + i, At: at.UTC(), Due: due})
		}
	}
	sort.SliceStable(out.Reminders, func(i, j int) bool { return out.Reminders[i].At.Before(out.Reminders[j].At) })
	return out, nil
}

// MessageSchedule returns the App IO schedule of campaign id.
func (a *Activities) MessageSchedule(ctx context.Context, id string) (MessageSchedule, error) {
	c, err := a.Store.load(ctx, id)
	if err != nil {
		return MessageSchedule{}, temporalError(err)
	}
	s, err := c.Plan.Schedule()
	return s, temporalError(err)
}
