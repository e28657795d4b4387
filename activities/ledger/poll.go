package ledger

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/errs"
)

// PollFlowsActivity is the registered name of Activities.PollFlows,
// persisted in histories: never rename it.
const PollFlowsActivity = "ledger.PollFlows"

// FlowSource lists the flows published for an organisation and reads one;
// *fdr.Client implements it over the FdR API for organisations.
type FlowSource interface {
	List(ctx context.Context, org string, since time.Time) ([]fdr.Published, error)
	Get(ctx context.Context, org string, p fdr.Published) (*fdr.Flow, error)
}

// PollResult says what one poll of an ente's flows found and imported.
type PollResult struct {
	Ente   string `json:"ente"`
	Listed int    `json:"listed"`
	// Imported counts new flows, Revised later revisions that replaced an
	// imported one, Unchanged flows read again whose content was imported already.
	Imported  int `json:"imported"`
	Revised   int `json:"revised"`
	Unchanged int `json:"unchanged"`
	// Failed names the flows that could not be read or imported, with why;
	// the next poll tries them again.
	Failed map[string]string `json:"failed,omitempty"`
}

// FlowPoller imports the flows an ente's PSPs published on the FdR API.
type FlowPoller struct {
	Service *Service
	Source  FlowSource
}

// Poll lists the flows published for ente and imports each flow id and
// revision not imported yet, through the same import as an uploaded flow:
// a flow already imported at the listed revision or later is not even read,
// so a second poll reads nothing new. One bad flow is reported in Failed and
// does not stop the others.
func (p *FlowPoller) Poll(ctx context.Context, ente string) (*PollResult, error) {
	cf, err := p.Service.Entes.FiscalCode(ctx, ente)
	if err != nil {
		return nil, errs.Wrap(err, "poll flows of %s", ente)
	}
	list, err := p.Source.List(ctx, cf, time.Time{})
	if err != nil {
		return nil, errs.Wrap(err, "poll flows of %s", ente)
	}
	res := &PollResult{Ente: ente, Listed: len(list)}
	fail := func(id string, err error) {
		if res.Failed == nil {
			res.Failed = map[string]string{}
		}
		res.Failed[id] = err.Error()
		p.Service.log().Warn("fdr poll: flow not imported", "ente", ente, "flow", id, "err", err)
	}
	for i, pub := range list {
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, i)
		}
		rev, _, found, err := p.Service.FlowRevision(ctx, cf, pub.FDR)
		if err != nil {
			return nil, err
		}
		if found && rev >= pub.Revision {
			continue
		}
		f, err := p.Source.Get(ctx, cf, pub)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			fail(pub.FDR, err)
			continue
		}
		out, err := p.Service.ImportFlow(ctx, ente, f, "api")
		switch {
		case err != nil:
			fail(pub.FDR, err)
		case out.Replaced:
			res.Revised++
		case out.Added > 0:
			res.Imported++
		default:
			res.Unchanged++
		}
	}
	p.Service.log().Info("fdr poll", "ente", ente, "listed", res.Listed, "imported", res.Imported, "revised", res.Revised, "failed", len(res.Failed))
	return res, nil
}

// PollInput names the ente whose flows are polled.
type PollInput struct {
	Ente string `json:"ente"`
}

// PollFlows polls one ente's published flows. It is safe to retry: each
// flow id and revision is imported once.
func (a *Activities) PollFlows(ctx context.Context, in PollInput) (*PollResult, error) {
	res, err := a.Poller.Poll(ctx, in.Ente)
	if err != nil {
		switch code := errs.CodeOf(err); code {
		case errs.Invalid, errs.NotFound, errs.Forbidden:
			return nil, temporal.NewNonRetryableApplicationError(err.Error(), string(code), err)
		}
		return nil, err
	}
	return res, nil
}
