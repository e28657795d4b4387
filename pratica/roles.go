package pratica

// Roles a person or a machine client holds: the access rules (api), the
// pratica's own action rules (workflows) and the templates' task roles
// (modeler) all name them from here.
const (
	RoleRegionalAdmin = "regional-admin"
	RoleDesigner      = "designer"
	RoleEnteAdmin     = "ente-admin"
	RoleOperator      = "operator"
	RoleCitizen       = "citizen"
	RoleMachine       = "machine"
)

// HolderCitizen is the holder of a pratica waiting for its citizen (data, an
// integration, a payment); otherwise the holder is an office code.
const HolderCitizen = RoleCitizen
