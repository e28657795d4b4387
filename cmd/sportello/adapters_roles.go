package main

import (
	"context"
	"strings"

	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/catalog"
)

// regionalAdmins parses SPORTELLO_REGIONAL_ADMINS: person identifiers, comma-separated.
func regionalAdmins(s string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		id, err := auth.NormalizePerson("person", p)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// catalogOrgs checks the enti and offices of role assignments in the catalog's master data.
type catalogOrgs struct{ c *catalog.Store }

func (o catalogOrgs) EnteExists(ctx context.Context, ente string) error {
	_, err := o.c.GetEnte(ctx, ente)
	return err
}

func (o catalogOrgs) Office(ctx context.Context, ente, office string) error {
	return o.c.Office(ctx, ente, office)
}
