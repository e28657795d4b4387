package issuance

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/errs"
)

// Names of the campaign's App IO workflow and activities, persisted in
// histories: never rename one.
const (
	MessagesWorkflowName     = "CampaignMessages"
	MessageScheduleName      = "issuance.MessageSchedule"
	SendMessagesName         = "issuance.SendMessages"
	MessagesWorkflowIDPrefix = "issuance-io-"
)

// MessagesWorkflowID is the App IO workflow of campaign id: one per campaign.
func MessagesWorkflowID(id string) string { return MessagesWorkflowIDPrefix + id }

// KindNotice is the message that brings each debtor the payment data of the
// first option due; a reminder's kind names its offset (reminder-7d).
const KindNotice = "notice"

// ReminderKind is the kind of the reminder sent days before a due date.
func ReminderKind(days int) string { return fmt.Sprintf("reminder-%dd", days) }

// MessageStatus is where one App IO message of a campaign stands.
type MessageStatus string

// Message states. Sending is written before IO is called: a row found in
// sending by a later attempt means the earlier one ended without recording
// IO's answer, and it becomes unknown (listed for the office, never sent again
// by itself, because IO has no idempotency key that would make a second call
// safe). A late answer still settles an unknown row.
const (
	MsgSending  MessageStatus = "sending"
	MsgSent     MessageStatus = "sent"
	MsgNotOnIO  MessageStatus = "not_on_io"
	MsgDisabled MessageStatus = "service_disabled"
	MsgFailed   MessageStatus = "failed"
	MsgUnknown  MessageStatus = "unknown"
)

// IO is the part of the App IO API a campaign uses; *appio.Client implements it.
type IO interface {
	Profile(ctx context.Context, apiKey, fiscalCode string) (*appio.Profile, error)
	Submit(ctx context.Context, apiKey string, m *appio.NewMessage) (string, error)
}

// MessagesInput asks for the next chunk of a campaign's messages of one kind.
type MessagesInput struct {
	CampaignID  string `json:"campaignId"`
	Kind        string `json:"kind"`
	Installment int    `json:"installment,omitempty"`
	After       int    `json:"after"` // last line done
	Size        int    `json:"size"`
}

// MessagesResult counts a chunk's outcome; Next is the last line it covered
// and Done says no debtor is left after it.
type MessagesResult struct {
	Next     int  `json:"next"`
	Done     bool `json:"done"`
	Sent     int  `json:"sent"`
	NotOnIO  int  `json:"notOnIo"`
	Disabled int  `json:"disabled"`
	Failed   int  `json:"failed"`
	Unknown  int  `json:"unknown"`
	Skipped  int  `json:"skipped"` // already settled, or nothing left to pay
}

// DefaultIOParallel is how many debtors a chunk has in flight at once; the
// throttle sets the pace, this only hides IO's latency.
const DefaultIOParallel = 4

// SendMessages sends the messages of one kind to the next chunk of issued
// debtors after In.After: the notice with the first option due, or the
// reminder of an installment to the debtors who have not paid it (read from
// the store now). For each debtor: the profile is checked (no profile or the
// service disabled: listed for paper), the message row is claimed (written
// as sending under the unique key campaign × debtor × kind × installment),
// IO is called, and the row gets the outcome. A transient failure (429 after
// the client's own retries, 5xx) releases the claim and fails the activity
// once the chunk's other debtors are done; Temporal retries it and the retry
// skips every debtor already settled.
func (a *Activities) SendMessages(ctx context.Context, in MessagesInput) (MessagesResult, error) {
	out := MessagesResult{Next: in.After}
	c, err := a.Store.load(ctx, in.CampaignID)
	if err != nil {
		return out, temporalError(err)
	}
	if c.Plan.AppIOService == "" {
		out.Done = true
		return out, nil
	}
	if a.IO == nil || a.Keys == nil {
		return out, temporal.NewNonRetryableApplicationError("app io is not configured for campaigns", appio.ErrNoKey, nil)
	}
	key, err := a.Keys.APIKey(ctx, c.Plan.AppIOService)
	if err != nil {
		if errs.Is(err, errs.NotFound) {
			return out, temporal.NewNonRetryableApplicationError(err.Error(), appio.ErrNoKey, err)
		}
		return out, err
	}
	size := in.Size
	if size <= 0 {
		size = 200
	}
	recs, err := a.Store.recipients(ctx, in.CampaignID, in.Kind, in.Installment, in.After, size)
	if err != nil {
		return out, err
	}
	if len(recs) < size {
		out.Done = true
	}
	if len(recs) == 0 {
		return out, nil
	}
	codes := make([]string, len(recs))
	for i, r := range recs {
		codes[i] = r.FiscalCode
	}
	states, err := a.Store.messageStates(ctx, in.CampaignID, in.Kind, in.Installment, codes)
	if err != nil {
		return out, err
	}
	var left []string
	for cf, st := range states {
		if st == MsgSending {
			left = append(left, cf)
		}
	}
	if err := a.Store.markUnknown(ctx, in.CampaignID, in.Kind, in.Installment, left); err != nil {
		return out, err
	}
	out.Unknown += len(left)

	var (
		mu    sync.Mutex
		retry error
		wg    sync.WaitGroup
	)
	work := make(chan *recipient)
	count := func(st MessageStatus, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if retry == nil {
				retry = err
			}
			return
		}
		switch st {
		case MsgSent:
			out.Sent++
		case MsgNotOnIO:
			out.NotOnIO++
		case MsgDisabled:
			out.Disabled++
		case MsgFailed:
			out.Failed++
		default:
			out.Skipped++
		}
	}
	par := a.IOParallel
	if par <= 0 {
		par = DefaultIOParallel
	}
	for range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				count(a.sendOne(ctx, key, c, in, r))
			}
		}()
	}
	// The heartbeat goes on while IO is slow or asks to wait (429).
	if activity.IsActivity(ctx) {
		defer beatEvery(10*time.Second, func() { activity.RecordHeartbeat(ctx, in.After) })()
	}
	for i := range recs {
		if _, seen := states[recs[i].FiscalCode]; seen {
			out.Skipped++
			continue
		}
		mu.Lock()
		stop := retry != nil
		mu.Unlock()
		if stop || ctx.Err() != nil {
			break
		}
		work <- &recs[i]
	}
	close(work)
	wg.Wait()
	if retry != nil {
		return out, fmt.Errorf("send %s of campaign %s: %w", in.Kind, in.CampaignID, retry)
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	out.Next = recs[len(recs)-1].Line
	if a.Log != nil {
		a.Log.Info("campaign messages chunk", "campaign", in.CampaignID, "kind", in.Kind, "installment", in.Installment,
			"sent", out.Sent, "not_on_io", out.NotOnIO, "disabled", out.Disabled, "failed", out.Failed, "unknown", out.Unknown, "next", out.Next)
	}
	return out, nil
}

// sendOne sends one debtor's message of in.Kind; an empty status with no
// error means there was nothing to send (the installment is paid).
func (a *Activities) sendOne(ctx context.Context, key string, c *Campaign, in MessagesInput, r *recipient) (MessageStatus, error) {
	opt, ok := messageOption(r.Options, in.Kind, in.Installment)
	if !ok {
		return "", nil
	}
	m := &messageRow{CampaignID: c.ID, FiscalCode: r.FiscalCode, Kind: in.Kind, Installment: in.Installment, Line: r.Line, NoticeNumber: opt.NoticeNumber}
	if err := a.Throttle.Wait(ctx, key); err != nil {
		return "", err
	}
	prof, err := a.IO.Profile(ctx, key, r.FiscalCode)
	final := MessageStatus("")
	switch {
	case errors.Is(err, appio.ErrNotOnIO):
		final = MsgNotOnIO
	case err != nil:
		return "", err
	case !prof.SenderAllowed:
		final = MsgDisabled
	}
	if final != "" {
		m.Status = string(final)
		if _, err := a.Store.claim(ctx, m); err != nil {
			return "", err
		}
		return final, nil
	}
	msg := a.message(c, in, r, opt)
	if err := msg.Validate(); err != nil {
		m.Status, m.Error = string(MsgFailed), err.Error()
		_, cerr := a.Store.claim(ctx, m)
		return MsgFailed, cerr
	}
	// The pause comes before the claim: the row is in sending only for the
	// call itself, the one window where a lost worker leaves it unknown.
	if err := a.Throttle.Wait(ctx, key); err != nil {
		return "", err
	}
	m.Status = string(MsgSending)
	owned, err := a.Store.claim(ctx, m)
	if err != nil || !owned {
		return "", err
	}
	id, err := a.IO.Submit(ctx, key, msg)
	bg := context.WithoutCancel(ctx)
	var ce *appio.CallError
	switch {
	case err == nil:
		return MsgSent, a.Store.settle(bg, m, MsgSent, id, "")
	case errors.As(err, &ce) && ce.Permanent(), errs.Is(err, errs.Invalid):
		return MsgFailed, a.Store.settle(bg, m, MsgFailed, "", err.Error())
	case errors.As(err, &ce) && (ce.Status >= 400 || !ce.Sent):
		// IO answered without creating it (429 after the client's retries,
		// 5xx), or the request never left: a later attempt sends it.
		return "", errors.Join(err, a.Store.release(bg, m))
	default:
		// The request may have reached IO and no answer was recorded (no
		// answer, the worker stopping, a 2xx we could not read): the row stays
		// sending, so no attempt sends it again.
		return "", err
	}
}
