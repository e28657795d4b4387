package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// roleRoutes registers the role assignments of an ente, managed by its admins
// (and by the region, for every ente and for the region's own roles).
func (a *Admin) roleRoutes(r *Router) {
	roles := func(action string) Perm { return Perm{Object: "role", Action: action} }
	r.Handle(Route{Method: http.MethodGet, Path: "/api/enti/:ente/roles", Perm: roles("read"), Tag: "access",
		Summary: "Staff roles assigned in an ente / Ruoli assegnati nell'ente", Response: []RoleAssignment{}, Domain: ParamDomain("ente")}, a.listRoles)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/enti/:ente/roles", Perm: roles("create"), Tag: "access",
		Summary: "Give a person (codice fiscale or eIDAS identifier) a role in the ente / Assegna un ruolo", Request: NewRoleAssignment{},
		Response: RoleAssignment{}, Domain: ParamDomain("ente")}, a.grantRole)
	r.Handle(Route{Method: http.MethodDelete, Path: "/api/enti/:ente/roles/:id", Perm: roles("delete"), Tag: "access",
		Summary: "Revoke a role assignment / Revoca un ruolo", Domain: ParamDomain("ente")}, a.revokeRole)
}

func (a *Admin) listRoles(c echo.Context) error {
	out, err := a.access.ListRoles(c.Request().Context(), c.Param("ente"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (a *Admin) grantRole(c echo.Context) error {
	var in NewRoleAssignment
	if err := BindStrict(c, &in); err != nil {
		return err
	}
	ra, err := a.access.GrantRole(c.Request().Context(), PrincipalOf(c), c.Param("ente"), in)
	if err != nil {
		return err
	}
	a.roleChange(c, "grant", ra)
	return c.JSON(http.StatusCreated, ra)
}

func (a *Admin) revokeRole(c echo.Context) error {
	ra, err := a.access.RevokeRole(c.Request().Context(), PrincipalOf(c), c.Param("ente"), c.Param("id"))
	if err != nil {
		return err
	}
	a.roleChange(c, "revoke", ra)
	return c.NoContent(http.StatusNoContent)
}

// roleChange audits what changed, beyond the guard's row of the request: who
// got or lost which role, in which ente and offices.
func (a *Admin) roleChange(c echo.Context, action string, ra RoleAssignment) {
	p := PrincipalOf(c)
	what := ra.Person + " " + ra.Role + "@" + ra.Ente
	for i, o := range ra.Offices {
		sep := ","
		if i == 0 {
			sep = "/"
		}
		what += sep + o
	}
	a.access.Record(c.Request().Context(), AuditEntry{Subject: p.Subject, Role: p.Role, Ente: p.Ente, Domain: ra.Ente,
		Action: action, Object: "role", ObjectID: what, Method: c.Request().Method, Path: c.Path(),
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID), Address: c.RealIP(), Outcome: "allowed", Status: http.StatusOK})
}
