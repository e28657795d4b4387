package api

import (
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"
)

// Perm is what a route needs: an action on an object type, decided by the
// authorizer for the caller's roles in the ente (domain) the request concerns.
type Perm struct {
	Object string // pratica, task, catalog, template, position, receipt, audit, ...
	Action string // read, create, update, delete, act, import, ...
}

// Public marks a route that needs no identity (health, login, the OpenAPI document).
var Public = Perm{Object: "public", Action: "read"}

// Authenticated marks a route any signed-in caller may use; the handler scopes the data.
var Authenticated = Perm{Object: "self", Action: "read"}

// Route is one endpoint: its permission and its documentation are declared where
// it is registered, so no route exists without an authorization decision.
type Route struct {
	Method   string
	Path     string
	Perm     Perm
	Summary  string
	Tag      string
	Request  any // example of the JSON body, for the OpenAPI document
	Response any // example of the JSON answer
	// Domain extracts the ente the request concerns, for the authorizer; empty means
	// the caller's own ente, or the region for regional objects.
	Domain func(c echo.Context) string
}

// Router registers routes on Echo and keeps their declarations.
type Router struct {
	e      *echo.Echo
	routes []Route
	// Guard wraps every non-public handler with authentication and authorization.
	guard func(Route) echo.MiddlewareFunc
}

// Module is a group of routes, one per area (pratiche, catalog, payments, ...).
type Module interface {
	Routes(r *Router)
}

// Handle registers h for rt.
func (r *Router) Handle(rt Route, h echo.HandlerFunc, mw ...echo.MiddlewareFunc) {
	if rt.Perm == (Perm{}) {
		panic("api: route " + rt.Method + " " + rt.Path + " declares no permission")
	}
	if rt.Perm != Public && r.guard != nil {
		mw = append([]echo.MiddlewareFunc{r.guard(rt)}, mw...)
	}
	r.e.Add(rt.Method, rt.Path, h, mw...)
	r.routes = append(r.routes, rt)
}

// Raw registers a non-JSON handler (a simulator, the UI) under a prefix, publicly.
func (r *Router) Raw(prefix, summary string, h http.Handler) {
	r.e.Any(prefix+"/*", echo.WrapHandler(http.StripPrefix(prefix, h)))
	if prefix != "" { // "" is the portal at the root: "/*" already matches "/"
		r.e.Any(prefix, echo.WrapHandler(http.StripPrefix(prefix, h)))
	}
	r.routes = append(r.routes, Route{Method: "ANY", Path: prefix + "/*", Perm: Public, Summary: summary, Tag: "simulators"})
}

// Routes returns the declared routes sorted by path and method.
func (r *Router) Routes() []Route {
	out := append([]Route(nil), r.routes...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// Lookup finds the declaration of a registered method and path.
func (r *Router) Lookup(method, path string) (Route, bool) {
	for _, rt := range r.routes {
		if (rt.Method == method || rt.Method == "ANY") && rt.Path == path {
			return rt, true
		}
	}
	return Route{}, false
}

// openAPIPath turns Echo's :param into OpenAPI's {param}.
func openAPIPath(p string) (string, []string) {
	var params []string
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			params = append(params, s[1:])
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/"), params
}
