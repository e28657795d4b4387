package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"regexp"
	"strings"

	"github.com/sportello/sportello/errs"
)

var (
	phoneRE = regexp.MustCompile(`^\+?[0-9 ]{6,20}$`)
	ioIDRE  = regexp.MustCompile(`^[A-Za-z0-9]{8,40}$`)
	// templateRE matches a regional template id, or an ente's resolved overlay
	// of one: the ente's IPA code, a dot, the template id (c_l424.matrimonio).
	templateRE = regexp.MustCompile(`^([a-z0-9_]{2,20}\.)?[a-z0-9][a-z0-9-]{0,62}$`)
)

// validateService checks a service's merged definition. ente is empty for a
// service type, whose payment modes leave IBANs to each ente.
func validateService(ctx context.Context, ts *Store, ente string, sp ServiceSpec) []errs.FieldError {
	var fe []errs.FieldError
	add := func(f, m string, a ...any) {
		fe = append(fe, errs.FieldError{Field: "spec." + f, Message: fmt.Sprintf(m, a...)})
	}
	addErr := func(err error) {
		if e, ok := errs.As(err); ok && e.Code == errs.Invalid {
			for _, f := range e.Fields {
				fe = append(fe, errs.FieldError{Field: "spec." + f.Field, Message: f.Message})
			}
			return
		}
		if err != nil {
			add("", "cannot be checked: %v", err)
		}
	}
	now := ts.now()
	if sp.Name == nil || strings.TrimSpace(sp.Name.It) == "" {
		add("name.it", "is required")
	}
	if len(sp.Channels) == 0 {
		add("channels", "at least one channel is required")
	}
	for i, c := range sp.Channels {
		if !contains(channels, c) {
			add(fmt.Sprintf("channels[%d]", i), "%q is not one of %s", c, strings.Join(channels, ", "))
		}
	}
	if !contains(interactivities, sp.Interactivity) {
		add("interactivity", "must be one of %s", strings.Join(interactivities, ", "))
	}
	if a := sp.Availability; a == nil {
		add("availability", "is required")
	} else {
		switch a.Status {
		case Active, Suspended:
		case Scheduled:
			if a.From == nil {
				add("availability.from", "is required for a scheduled service")
			}
		default:
			add("availability.status", "must be one of %s, %s, %s", Active, Suspended, Scheduled)
		}
		if a.From != nil && a.Until != nil && !a.Until.After(*a.From) {
			add("availability.until", "must be after from")
		}
	}
	for i, c := range sp.Taxonomy {
		addErr(ts.checkTaxonomy(ctx, fmt.Sprintf("taxonomy[%d]", i), c, now))
	}
	for i, c := range sp.Contacts {
		validateContact(fmt.Sprintf("contacts[%d]", i), c, add)
	}
	var ent *Ente
	if ente != "" {
		var err error
		if ent, err = ts.GetEnte(ctx, ente); err != nil {
			addErr(err)
		}
	}
	for i, p := range sp.Payments {
		f := fmt.Sprintf("payments[%d]", i)
		if p.Label.It == "" {
			add(f+".label.it", "is required")
		}
		switch {
		case p.AmountCents < 0:
			add(f+".amountCents", "cannot be negative")
		case p.AmountCents == 0 && strings.TrimSpace(p.Rule) == "" && p.Fee == nil:
			add(f+".amountCents", "a fixed amount, a rule or a fee is required")
		case p.AmountCents > 0 && p.Rule != "":
			add(f+".rule", "give a fixed amount or a rule, not both")
		case p.AmountCents > 0 && p.Fee != nil:
			add(f+".fee", "give a fixed amount or a fee, not both")
		}
		if p.Fee != nil {
			for _, e := range p.Fee.check() {
				add(f+".fee."+e.Field, "%s", e.Message)
			}
		}
		if p.Taxonomy == "" {
			add(f+".taxonomy", "is required: pagoPA needs the dati specifici di incasso")
		} else {
			addErr(ts.checkTaxonomy(ctx, f+".taxonomy", p.Taxonomy, now))
		}
		switch {
		case p.IBAN == "" && ente != "":
			add(f+".iban", "is required: the account the payment is credited to")
		case p.IBAN != "":
			if e := fieldErr(f+".iban", CheckIBAN(p.IBAN)); e != nil {
				fe = append(fe, errs.FieldError{Field: "spec." + e.Field, Message: e.Message})
			} else if ent != nil && !ent.HasIBAN(p.IBAN) {
				add(f+".iban", "%s is not an account of %s: add it to the ente's master data first", p.IBAN, ente)
			}
		}
	}
	if io := sp.AppIO; io != nil && io.Enabled {
		if !ioIDRE.MatchString(io.ServiceID) {
			add("appIO.serviceId", "is required to publish on App IO: the id App IO gave the service")
		}
		if io.KeyRef == "" {
			add("appIO.keyRef", "is required to publish on App IO: the name of the secret holding the API key")
		}
	}
	if sp.Procedimento != "" {
		validateLink(ctx, ts, ente, sp.Procedimento, add, addErr)
	}
	if sp.Template != nil && !templateRE.MatchString(sp.Template.ID) {
		add("template.id", "must be a template id: lower-case letters, digits and dashes, optionally after an ente's IPA code and a dot (c_l424.matrimonio)")
	}
	return fe
}

// validateLink checks the linked procedimento: it exists (regional, or the
// ente's own) and starts by istanza di parte, the only ones services map.
func validateLink(ctx context.Context, ts *Store, ente, id string, add func(string, string, ...any), addErr func(error)) {
	p, err := ts.GetProcedimento(ctx, id)
	switch {
	case errs.Is(err, errs.NotFound):
		add("procedimento", "procedimento %s does not exist", id)
	case err != nil:
		addErr(err)
	case p.Ente != "" && p.Ente != ente:
		add("procedimento", "%s belongs to another ente", id)
	case p.Start != IstanzaDiParte:
		add("procedimento", "%s starts %s: only procedimenti a istanza di parte map to services", id, p.Start)
	}
}

func validateContact(f string, c Contact, add func(string, string, ...any)) {
	switch c.Kind {
	case "email", "pec":
		if a, err := mail.ParseAddress(c.Value); err != nil || a.Address != c.Value {
			add(f+".value", "%q is not an e-mail address", c.Value)
		}
	case "telefono":
		if !phoneRE.MatchString(c.Value) {
			add(f+".value", "%q is not a phone number", c.Value)
		}
	case "url":
		if !strings.HasPrefix(c.Value, "https://") && !strings.HasPrefix(c.Value, "http://") {
			add(f+".value", "%q is not a web address", c.Value)
		}
	case "sportello":
		if strings.TrimSpace(c.Value) == "" {
			add(f+".value", "is required: where the front desk is")
		}
	default:
		add(f+".kind", "must be one of email, pec, telefono, url, sportello")
	}
}

func encodeJSON(v any) (json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return b, nil
}
