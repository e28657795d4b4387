package appio

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// CardExpiry is the name of the identity card expiry campaign.
const CardExpiry = "cie-scadenza"

// CampaignInput is one run of the identity card expiry reminder: the cards of
// Ente expiring DaysBefore days after Day get a message from Service's IO service.
type CampaignInput struct {
	Ente       string `json:"ente"`
	Service    string `json:"service"` // e.g. c_l424.cie-scadenza
	DaysBefore int    `json:"daysBefore"`
	// Day is the run day, YYYY-MM-DD in Europe/calendar.Rome; the workflow fills it from
	// its own clock when a Schedule starts it.
	Day    string `json:"day,omitempty"`
	DryRun bool   `json:"dryRun,omitempty"`
}

// Validate names every bad field at once.
func (in CampaignInput) Validate() error {
	var fe []errs.FieldError
	if in.Ente == "" {
		fe = append(fe, errs.FieldError{Field: "ente", Message: "is required"})
	}
	switch {
	case in.Service == "":
		fe = append(fe, errs.FieldError{Field: "service", Message: "is required"})
	case in.Service != in.Ente+"."+CardExpiry:
		fe = append(fe, errs.FieldError{Field: "service", Message: "must be the ente's identity card campaign, " + in.Ente + "." + CardExpiry})
	}
	if in.DaysBefore < 1 || in.DaysBefore > 365 {
		fe = append(fe, errs.FieldError{Field: "daysBefore", Message: "must be 1 to 365"})
	}
	if _, err := time.Parse(time.DateOnly, in.Day); err != nil {
		fe = append(fe, errs.FieldError{Field: "day", Message: "must be a date YYYY-MM-DD"})
	}
	return errs.Fields(fe)
}

// Planned is one message a campaign run would send: the dry run lists these.
type Planned struct {
	Send       SendInput `json:"send"`
	CardNumber string    `json:"cardNumber"`
	ExpiresOn  string    `json:"expiresOn"`
}

// PlanCampaign lists who gets what in one run of the expiry reminder. Its keys
// hold the card and its expiry, so a card is reminded once even if the run repeats.
func (a *Activities) PlanCampaign(ctx context.Context, in CampaignInput) ([]Planned, error) {
	out, err := a.Plan(ctx, in)
	if errs.Is(err, errs.Invalid) {
		return nil, permanent(err, ErrInvalid)
	}
	return out, err
}

// Plan is the dry run of a campaign: who would get what. It sends nothing.
func (a *Activities) Plan(ctx context.Context, in CampaignInput) ([]Planned, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	day, _ := time.ParseInLocation(time.DateOnly, in.Day, calendar.Rome)
	expiry := day.AddDate(0, 0, in.DaysBefore)
	cards, err := a.Recipients.CardsExpiringOn(ctx, in.Ente, expiry.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(cards))
	for i, c := range cards {
		keys[i] = campaignKey(in.Ente, c)
	}
	var settled map[string]bool
	if a.Intents != nil {
		if settled, err = a.Intents.Settled(ctx, keys); err != nil {
			return nil, err
		}
	}
	out := make([]Planned, 0, len(cards))
	for i, c := range cards {
		if settled[keys[i]] {
			continue // already reminded: a run would not send it again
		}
		due := expiry.UTC()
		subject, body := cardExpiryText(c, expiry, in.DaysBefore)
		out = append(out, Planned{CardNumber: c.Number, ExpiresOn: c.ExpiresOn, Send: SendInput{
			Key:  keys[i],
			Ente: in.Ente, Service: in.Service, Campaign: CardExpiry, FiscalCode: c.FiscalCode,
			Subject: subject, Markdown: body, DueDate: &due,
		}})
	}
	return out, nil
}

// campaignKey is the idempotency key of a card's reminder: the card and its
// expiry, so a card is reminded once whatever the runs.
func campaignKey(ente string, c Card) string {
	return fmt.Sprintf("campaign:%s:%s:%s:%s", CardExpiry, ente, c.Number, c.ExpiresOn)
}

// cardExpiryText is the reminder in Italian and English: IO shows one text, and
// a citizen may read either language.
func cardExpiryText(c Card, expiry time.Time, days int) (subject, markdown string) {
	date := expiry.Format("02/01/2006")
	subject = "La tua carta d'identità scade il " + date
	name := c.GivenName
	if name == "" {
		name = "cittadina, cittadino"
	}
	markdown = fmt.Sprintf("Gentile %s,\n\nla tua carta d'identità n. **%s** scade il **%s**, tra %d giorni. "+
		"Prenota l'appuntamento all'ufficio anagrafe per il rinnovo della carta d'identità elettronica (CIE).\n\n---\n\n"+
		"Dear %s, your identity card no. **%s** expires on **%s**, in %d days. "+
		"Book an appointment at the registry office to renew your electronic identity card (CIE).",
		name, c.Number, date, days, name, c.Number, date, days)
	return subject, markdown
}
