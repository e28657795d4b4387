package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// seedGeneric adds the "richiesta generica" of the foundation: a regional
// service type any ente can offer, where the citizen writes to the ente and any
// operator acknowledges. Trieste offers it in the demo. Idempotent.
func (a *app) seedGeneric(ctx context.Context) error {
	c := a.domain().catalog
	if _, err := c.GetService(ctx, "c_l424.richiesta-generica"); err == nil {
		return nil
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	typ, _ := json.Marshal(catalog.ServiceSpec{
		Name: &catalog.Text{It: "Richiesta generica all'ente", En: "General request to the ente", Sl: "Splošna vloga ustanovi"},
		Description: &catalog.Text{It: "Scrivi all'ente: la richiesta è protocollata e presa in carico da un ufficio", En: "Write to the ente: the request is registered and taken in charge by an office",
			Sl: "Pišite ustanovi: vloga se protokolira in jo prevzame urad"},
		Channels:      []string{catalog.ChannelWeb, catalog.ChannelApp},
		Interactivity: catalog.TwoWay,
		Availability:  &catalog.Availability{Status: catalog.Active},
		Template:      &catalog.TemplateRef{ID: "richiesta-generica"},
	})
	if _, err := c.PutService(ctx, catalog.Input{ID: "richiesta-generica", Level: catalog.Regional, Spec: typ}, catalog.Unconditional, "seed"); err != nil {
		return fmt.Errorf("service type richiesta-generica: %w", err)
	}
	if _, err := c.PutService(ctx, catalog.Input{ID: "c_l424.richiesta-generica", Ente: "c_l424", Base: "richiesta-generica",
		Spec: json.RawMessage(`{}`)}, catalog.Unconditional, "seed"); err != nil {
		return fmt.Errorf("service c_l424.richiesta-generica: %w", err)
	}
	return nil
}
