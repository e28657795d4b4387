package auth

import "github.com/sportello/sportello/api"

// DefaultPolicy is seeded at start (see DefaultPolicyVersion). Ownership of
// pratiche by a citizen and by an operator's ente is checked by the handlers on
// the object; the catalog is readable by everyone signed in, since citizens pick
// services from it.
var DefaultPolicy = [][]string{
	{api.RoleCitizen, "*", "pratica", "read"},
	{api.RoleCitizen, "*", "pratica", "create"},
	{api.RoleCitizen, "*", "pratica", "act"},
	{api.RoleCitizen, "*", "position", "read"},
	{api.RoleCitizen, "*", "payment", "create"},
	{api.RoleCitizen, "*", "catalog", "read"},
	// The enti's master data (names, fiscal codes, offices and their heads, the
	// IBANs payments go to) is public by law (D.Lgs. 33/2013 artt. 13 and 36):
	// citizens read it as the catalog export already gave it to them.
	{api.RoleCitizen, "*", "masterdata", "read"},
	{api.RoleOperator, "own", "pratica", "read"},
	{api.RoleOperator, "own", "pratica", "act"},
	{api.RoleOperator, "own", "task", "read"},
	{api.RoleOperator, "own", "task", "act"},
	{api.RoleOperator, "own", "position", "read"},
	{api.RoleOperator, "own", "anomaly", "*"},
	{api.RoleOperator, "*", "catalog", "read"},
	{api.RoleOperator, "*", "masterdata", "read"},
	{api.RoleDesigner, "*", "template", "*"},
	{api.RoleDesigner, "*", "overlay", "read"},
	{api.RoleDesigner, "*", "catalog", "read"},
	{api.RoleDesigner, "*", "masterdata", "read"},
	{api.RoleDesigner, "*", "monitoring", "read"},
	{api.RoleEnteAdmin, "own", "catalog", "update"},
	{api.RoleEnteAdmin, "own", "overlay", "*"},
	{api.RoleEnteAdmin, "own", "apikey", "*"},
	{api.RoleEnteAdmin, "own", "audit", "read"},
	// Ente admins assign the staff roles of their ente (never above their own).
	{api.RoleEnteAdmin, "own", "role", "*"},
	{api.RoleEnteAdmin, "*", "catalog", "read"},
	{api.RoleEnteAdmin, "*", "template", "read"},
	{api.RoleEnteAdmin, "*", "masterdata", "read"},
	{api.RoleEnteAdmin, "own", "masterdata", "*"},
	// Reconciliation and the ledger: operators work the exceptions queue, ente
	// admins also import flows, post corrections and run the App IO campaigns.
	{api.RoleOperator, "own", "reconciliation", "read"},
	{api.RoleOperator, "own", "reconciliation", "update"},
	{api.RoleOperator, "own", "ledger", "read"},
	{api.RoleEnteAdmin, "own", "reconciliation", "*"},
	{api.RoleEnteAdmin, "own", "ledger", "*"},
	{api.RoleEnteAdmin, "own", "campaign", "*"},
	{api.RoleEnteAdmin, "own", "monitoring", "read"},
	// Bollettazione massiva: the ente's admin (its finance office) issues
	// campaigns of positions; operators follow them and read the riscontri.
	{api.RoleEnteAdmin, "own", "issuance", "*"},
	{api.RoleOperator, "own", "issuance", "read"},
	{api.RoleEnteAdmin, "own", "pratica", "read"},
	{api.RoleEnteAdmin, "own", "pratica", "act"},
	{api.RoleEnteAdmin, "own", "task", "read"},
	{api.RoleRegionalAdmin, "*", "*", "*"},
	// A machine client acts only in its key's ente; its key's scopes narrow it further.
	{api.RoleMachine, "own", "*", "*"},
	// Authenticated routes ("self") are open to every signed-in role.
	{api.RoleCitizen, "*", "self", "read"},
	{api.RoleOperator, "*", "self", "read"},
	{api.RoleDesigner, "*", "self", "read"},
	{api.RoleEnteAdmin, "*", "self", "read"},
	{api.RoleMachine, "*", "self", "read"},
}

// DefaultPolicyVersion is raised whenever DefaultPolicy gains rules: at start, a
// database seeded with an older version gets the missing rules added (rules an
// administrator removed stay removed until the next raise).
const DefaultPolicyVersion = 7
