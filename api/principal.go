package api

import "github.com/labstack/echo/v4"

// Roles a person or a machine client can hold.
const (
	RoleRegionalAdmin = "regional-admin"
	RoleDesigner      = "designer"
	RoleEnteAdmin     = "ente-admin"
	RoleOperator      = "operator"
	RoleCitizen       = "citizen"
	RoleMachine       = "machine"
)

// Region is the domain above every ente.
const Region = "region"

// Principal is who is calling: a person signed in through OIDC or a machine
// client with an API key.
type Principal struct {
	Subject    string   `json:"subject"`
	Name       string   `json:"name,omitempty"`
	FiscalCode string   `json:"fiscalCode,omitempty"` // citizens: the codice fiscale, the owner of their pratiche
	Role       string   `json:"role"`
	Ente       string   `json:"ente,omitempty"`   // operators, ente-admins, machine clients: their ente; region for regional roles
	Office     string   `json:"office,omitempty"` // operators: their office
	Scopes     []string `json:"scopes,omitempty"` // machine clients: the actions their key allows
}

const principalKey = "sportello.principal"

// SetPrincipal stores p on the request; the authentication middleware calls it.
func SetPrincipal(c echo.Context, p *Principal) { c.Set(principalKey, p) }

// PrincipalOf returns the caller, or nil on a public route.
func PrincipalOf(c echo.Context) *Principal {
	p, _ := c.Get(principalKey).(*Principal)
	return p
}
