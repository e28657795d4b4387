package main

import (
	"context"

	"github.com/sportello/sportello/catalog"
)

// catalogOrgs checks the enti and offices of role assignments in the catalog's master data.
type catalogOrgs struct{ c *catalog.Store }

func (o catalogOrgs) EnteExists(ctx context.Context, ente string) error {
	_, err := o.c.GetEnte(ctx, ente)
	return err
}

func (o catalogOrgs) Office(ctx context.Context, ente, office string) error {
	return o.c.Office(ctx, ente, office)
}
