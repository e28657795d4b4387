package pagopa

import "time"

// Option states as the status API shows them.
const (
	StatePaid       = "paid"       // a receipt paid it
	StateDue        = "due"        // payable, its due date not past
	StateOverdue    = "overdue"    // payable still, its due date past
	StateSuperseded = "superseded" // the other way of paying was chosen: the single option once an installment is paid, and back
	StateClosed     = "closed"     // the position is invalid or expired: nothing is payable
)

// OptionView is an option with its state now.
type OptionView struct {
	Option
	State   string `json:"state"`
	Payable bool   `json:"payable"`
}

// PositionView is a position as the status API shows it: each option with its
// state (paid, due, overdue, superseded, closed) and whether it can be paid now.
type PositionView struct {
	Position
	Options []OptionView `json:"options"` // shadows Position.Options in JSON
}

// View gives each option of p its state at now. Paying one installment
// excludes the single option, and paying the single option the installments,
// as pagoPA does.
func (p *Position) View(now time.Time) PositionView {
	instPaid, singlePaid := false, false
	for _, o := range p.Options {
		if o.Status == OptionPaid {
			if o.Installment {
				instPaid = true
			} else {
				singlePaid = true
			}
		}
	}
	out := PositionView{Position: *p}
	out.Position.Options = nil
	for _, o := range p.Options {
		v := OptionView{Option: o}
		switch {
		case o.Status == OptionPaid:
			v.State = StatePaid
		case (o.Installment && singlePaid) || (!o.Installment && instPaid):
			v.State = StateSuperseded
		case !p.Status.Payable():
			v.State = StateClosed
		case now.After(o.DueDate):
			v.State, v.Payable = StateOverdue, true
		default:
			v.State, v.Payable = StateDue, true
		}
		out.Options = append(out.Options, v)
	}
	return out
}
