package api

import (
	"github.com/labstack/echo/v4"
	"github.com/sportello/sportello/pratica"
)

// Roles a person or a machine client can hold.
const (
	RoleRegionalAdmin = pratica.RoleRegionalAdmin
	RoleDesigner      = pratica.RoleDesigner
	RoleEnteAdmin     = pratica.RoleEnteAdmin
	RoleOperator      = pratica.RoleOperator
	RoleCitizen       = pratica.RoleCitizen
	RoleMachine       = pratica.RoleMachine
)

// Where a person's staff role comes from (Principal.RoleFrom).
const (
	RoleFromToken      = "token"
	RoleFromAssignment = "assignment"
)

// Region is the domain above every ente.
const Region = "region"

// Principal is who is calling: a person signed in through OIDC or a machine
// client with an API key.
type Principal struct {
	Subject string `json:"subject"`
	Name    string `json:"name,omitempty"`
	// FiscalCode identifies the person: the codice fiscale, or "<country>-<id>"
	// for a foreign eIDAS user. Citizens own their pratiche by it; staff roles
	// are assigned to it.
	FiscalCode string   `json:"fiscalCode,omitempty"`
	Role       string   `json:"role"`
	Ente       string   `json:"ente,omitempty"`   // operators, ente-admins, machine clients: their ente; region for regional roles
	Office     string   `json:"office,omitempty"` // operators: their office
	Scopes     []string `json:"scopes,omitempty"` // machine clients: the actions their key allows
	// Serves are the enti a machine client acts for (its key's ente, or the
	// enti of the intermediary's station); empty for people.
	Serves []string `json:"serves,omitempty"`
	// ActAs is the role this request acts in ("citizen", "operator@c_l424/stato-civile"),
	// one of Choices; empty for machine clients.
	ActAs string `json:"actAs,omitempty"`
	// RoleFrom says where a person's staff role comes from: RoleFromToken (a
	// broker trusted for role claims) or RoleFromAssignment (the database).
	RoleFrom string `json:"roleFrom,omitempty"`
	// Choices are what the person may act as, for the ActAsHeader: the role
	// their token asserts (from a trusted broker), their role assignments, and
	// "citizen" when they have an identifier.
	Choices []string `json:"choices,omitempty"`
	// Creator is who made a machine client's key: each use is checked against
	// what the creator may still do.
	Creator *Principal `json:"-"`
}

// ServesEnte reports whether p may act for ente as a creditor: the region for
// every ente, a machine client for the enti its key serves, staff for their own.
func (p *Principal) ServesEnte(ente string) bool {
	switch {
	case p == nil || ente == "":
		return false
	case p.Role == RoleRegionalAdmin:
		return true
	case p.Role == RoleMachine:
		for _, e := range p.Serves {
			if e == ente {
				return true
			}
		}
		return false
	}
	return p.Ente == ente
}

const principalKey = "sportello.principal"

// SetPrincipal stores p on the request; the authentication middleware calls it.
func SetPrincipal(c echo.Context, p *Principal) { c.Set(principalKey, p) }

// PrincipalOf returns the caller, or nil on a public route.
func PrincipalOf(c echo.Context) *Principal {
	p, _ := c.Get(principalKey).(*Principal)
	return p
}
