// Package devidp is the local OpenID Connect provider of `sportello dev`: it
// stands in for the regional SPID/CIE/eIDAS broker, speaks standard OIDC
// (discovery, JWKS, authorization code with PKCE, client credentials), and is
// built on the op package of github.com/zitadel/oidc. Never mount it in production.
package devidp

import (
	"github.com/sportello/sportello/pratica"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// User is a demo identity offered on the login page.
type User struct {
	ID         string
	GivenName  string
	FamilyName string
	// FiscalCode is set for citizens; the token carries it as fiscalNumber "TINIT-<code>", as SPID does.
	FiscalCode string
	Role       string // empty for citizens, as a SPID identity carries no role
	Ente       string
	Office     string
	// What the user is, for the login page.
	DescIT, DescEN string
}

// The demo users' ids.
const (
	MarioRossi    = "mario.rossi"
	GiuliaBianchi = "giulia.bianchi"
	OpTrieste     = "op.trieste"
	OpMedea       = "op.medea"
	OpProtocollo  = "op.protocollo"
	Designer      = "designer.regione"
	AdminTrieste  = "admin.trieste"
	AdminRegione  = "admin.regione"
)

// Users are the demo identities. The citizens' codici fiscali are valid (check
// character included) and belong to nobody real.
var Users = []User{
	{ID: MarioRossi, GivenName: "Mario", FamilyName: "Rossi", FiscalCode: "RSSMRA80A01L424F",
		DescIT: "Cittadino", DescEN: "Citizen"},
	{ID: GiuliaBianchi, GivenName: "Giulia", FamilyName: "Bianchi", FiscalCode: "BNCGLI85C55L424K",
		DescIT: "Cittadina", DescEN: "Citizen"},
	{ID: OpTrieste, GivenName: "Laura", FamilyName: "Verdi", Role: pratica.RoleOperator, Ente: "c_l424", Office: "stato-civile",
		DescIT: "Operatrice, Comune di Trieste, Anagrafe e stato civile", DescEN: "Operator, Comune di Trieste, registry office"},
	{ID: OpProtocollo, GivenName: "Sara", FamilyName: "Galli", Role: pratica.RoleOperator, Ente: "c_l424", Office: "protocollo",
		DescIT: "Operatrice, Comune di Trieste, Ufficio protocollo", DescEN: "Operator, Comune di Trieste, records office"},
	{ID: OpMedea, GivenName: "Paolo", FamilyName: "Neri", Role: pratica.RoleOperator, Ente: "c_f081",
		DescIT: "Operatore, Comune di Medea", DescEN: "Operator, Comune di Medea"},
	{ID: Designer, GivenName: "Anna", FamilyName: "Colombo", Role: pratica.RoleDesigner,
		DescIT: "Progettista di processi, Regione FVG", DescEN: "Process designer, Regione FVG"},
	{ID: AdminTrieste, GivenName: "Franco", FamilyName: "Russo", Role: pratica.RoleEnteAdmin, Ente: "c_l424",
		DescIT: "Amministratore, Comune di Trieste", DescEN: "Administrator, Comune di Trieste"},
	{ID: AdminRegione, GivenName: "Elena", FamilyName: "Ferrari", Role: pratica.RoleRegionalAdmin,
		DescIT: "Amministratrice regionale, Regione FVG", DescEN: "Regional administrator, Regione FVG"},
}

// UserByID finds a demo user.
func UserByID(id string) (User, bool) {
	for _, u := range Users {
		if u.ID == id {
			return u, true
		}
	}
	return User{}, false
}

// Claims are the user's claims beyond the standard ones, as the broker sends them.
func (u User) Claims() map[string]any {
	c := map[string]any{"name": u.GivenName + " " + u.FamilyName}
	if u.FiscalCode != "" {
		c["fiscalNumber"] = "TINIT-" + u.FiscalCode
	}
	if u.Role != "" {
		c["role"] = u.Role
	}
	if u.Ente != "" {
		c["ente"] = u.Ente
	}
	if u.Office != "" {
		c["office"] = u.Office
	}
	return c
}

func (u User) fill(info *oidc.UserInfo) {
	info.Subject = u.ID
	info.Name = u.GivenName + " " + u.FamilyName
	info.GivenName = u.GivenName
	info.FamilyName = u.FamilyName
	for k, v := range u.Claims() {
		if k != "name" {
			info.AppendClaims(k, v)
		}
	}
}
