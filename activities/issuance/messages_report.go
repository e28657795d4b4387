package issuance

import (
	"context"
	"time"
)

// IOCounts counts a campaign's messages of one kind by outcome.
type IOCounts struct {
	Sent     int `json:"sent"`
	NotOnIO  int `json:"notOnIo"`
	Disabled int `json:"serviceDisabled"`
	Failed   int `json:"failed"`
	// Unknown messages were being sent when an attempt ended without IO's
	// answer: they may have arrived and are never sent again by themselves.
	Unknown int `json:"unknown"`
	Sending int `json:"sending"`
}

func (c *IOCounts) add(st MessageStatus, n int) {
	switch st {
	case MsgSent:
		c.Sent += n
	case MsgNotOnIO:
		c.NotOnIO += n
	case MsgDisabled:
		c.Disabled += n
	case MsgFailed:
		c.Failed += n
	case MsgUnknown:
		c.Unknown += n
	case MsgSending:
		c.Sending += n
	}
}

func (c *IOCounts) total() int {
	return c.Sent + c.NotOnIO + c.Disabled + c.Failed + c.Unknown + c.Sending
}

// IOReminder is one reminder of the schedule with its counts so far.
type IOReminder struct {
	Kind        string    `json:"kind"`
	Installment int       `json:"installment"`
	At          time.Time `json:"at"`
	Due         time.Time `json:"due"`
	IOCounts
}

// IOReport is a campaign on App IO: its IO service, the notice's counts
// (Pending: issued debtors not reached yet; Paper: those the notice could not
// surely reach on IO, listed for paper) and each reminder's.
type IOReport struct {
	Service   string       `json:"service,omitempty"`
	Enabled   bool         `json:"enabled"`
	Notice    IOCounts     `json:"notice"`
	Pending   int          `json:"pending"`
	Paper     int          `json:"paper"`
	Reminders []IOReminder `json:"reminders"`
}

// IOReport returns where campaign c stands on App IO.
func (s *Store) IOReport(ctx context.Context, c *Campaign) (*IOReport, error) {
	sched, err := c.Plan.Schedule()
	if err != nil {
		return nil, err
	}
	out := &IOReport{Service: c.Plan.AppIOService, Enabled: sched.Enabled, Reminders: []IOReminder{}}
	for _, r := range sched.Reminders {
		out.Reminders = append(out.Reminders, IOReminder{Kind: r.Kind, Installment: r.Installment, At: r.At, Due: r.Due})
	}
	counts, err := s.MessageCounts(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, x := range counts {
		if x.Kind == KindNotice {
			out.Notice.add(x.Status, x.Count)
			continue
		}
		for i := range out.Reminders {
			if r := &out.Reminders[i]; r.Kind == x.Kind && r.Installment == x.Installment {
				r.add(x.Status, x.Count)
			}
		}
	}
	p := c.Progress
	if p == nil {
		if p, err = s.progress(ctx, c); err != nil {
			return nil, err
		}
	}
	if sched.Enabled {
		out.Pending = max(p.Issued-out.Notice.total(), 0)
	}
	out.Paper = out.Notice.NotOnIO + out.Notice.Disabled + out.Notice.Failed + out.Notice.Unknown
	return out, nil
}
