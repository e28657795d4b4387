package auth_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/api/auth/authtest"
	"github.com/sportello/sportello/api/auth/devidp"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// matrixModules are the modules whose routes the matrix covers besides the admin
// module (which authtest always mounts). The lead adds every module of the
// binary here; their handlers never run, so nil dependencies are fine.
func matrixModules() []api.Module {
	return []api.Module{&api.Pratiche{}, api.NewCatalog(nil, nil), api.NewModeler(nil), api.NewPayments(nil, nil, nil, nil),
		api.NewReconciliation(nil), api.NewNotifications(nil, nil), &api.DryRun{}, api.NewPortal(nil, nil),
		api.NewIssuances(nil), &api.Taxes{},
		api.NewLedgerAccounting(nil)}
}

// expect says who may use a route.
type expect int

const (
	public   expect = iota // no guard: anyone, signed in or not
	fromPerm               // decided by the route's Perm, as written in spec below
)

// matrix has one row per registered route, keyed "METHOD path"; a route without
// a row fails TestAuthorizationMatrix, so no route ships without a decision.
var matrix = map[string]expect{
	"GET /healthz":                                               public,
	"GET /readyz":                                                public,
	"GET /openapi.json":                                          public,
	"GET /auth/login":                                            public,
	"GET /auth/callback":                                         public,
	"ANY /idp/*":                                                 public,
	"POST /auth/logout":                                          fromPerm,
	"GET /api/me":                                                fromPerm,
	"GET /api/enti/:ente/apikeys":                                fromPerm,
	"POST /api/enti/:ente/apikeys":                               fromPerm,
	"DELETE /api/enti/:ente/apikeys/:id":                         fromPerm,
	"GET /api/audit":                                             fromPerm,
	"GET /api/policies":                                          fromPerm,
	"POST /api/policies":                                         fromPerm,
	"POST /api/policies/remove":                                  fromPerm,
	"GET /api/enti/:ente/roles":                                  fromPerm, // role:read
	"POST /api/enti/:ente/roles":                                 fromPerm, // role:create
	"DELETE /api/enti/:ente/roles/:id":                           fromPerm, // role:delete
	"DELETE /api/catalog/enti/:ente/units/:code":                 fromPerm, // masterdata:update
	"DELETE /api/catalog/procedimenti/:id":                       fromPerm, // catalog:update
	"DELETE /api/catalog/services/:id":                           fromPerm, // catalog:update
	"DELETE /api/modeler/overlays/:ente/:template":               fromPerm, // overlay:delete
	"GET /api/catalog/concepts":                                  fromPerm, // catalog:read
	"GET /api/catalog/concepts/:name":                            fromPerm, // catalog:read
	"GET /api/catalog/enti":                                      fromPerm, // masterdata:read
	"GET /api/catalog/enti/:ente":                                fromPerm, // masterdata:read
	"GET /api/catalog/enti/:ente/crest":                          public,
	"PUT /api/catalog/enti/:ente/crest":                          fromPerm, // masterdata:update
	"GET /api/catalog/enti/:ente/units":                          fromPerm, // masterdata:read
	"GET /api/catalog/enti/:ente/units/history":                  fromPerm, // masterdata:read
	"GET /api/catalog/export":                                    fromPerm, // catalog:read
	"GET /api/catalog/monitoring":                                fromPerm, // monitoring:read
	"GET /api/catalog/monitoring/trend":                          fromPerm, // monitoring:read
	"GET /api/catalog/procedimenti":                              fromPerm, // catalog:read
	"GET /api/catalog/procedimenti/:id":                          fromPerm, // catalog:read
	"GET /api/catalog/procedimenti/:id/changes":                  fromPerm, // catalog:read
	"GET /api/catalog/services":                                  fromPerm, // catalog:read
	"GET /api/catalog/services/:id":                              fromPerm, // catalog:read
	"GET /api/catalog/services/:id/changes":                      fromPerm, // catalog:read
	"GET /api/catalog/taxonomy":                                  fromPerm, // catalog:read
	"GET /api/catalog/taxonomy/versions":                         fromPerm, // catalog:read
	"GET /api/modeler/forms":                                     fromPerm, // template:read
	"GET /api/modeler/forms/:id/versions/:version":               fromPerm, // self:read
	"GET /api/modeler/overlays/:ente/:template":                  fromPerm, // overlay:read
	"GET /api/modeler/overlays/:ente":                            fromPerm, // overlay:read
	"GET /api/modeler/templates":                                 fromPerm, // template:read
	"GET /api/modeler/templates/:id/diff":                        fromPerm, // template:read
	"GET /api/modeler/templates/:id/versions":                    fromPerm, // template:read
	"GET /api/modeler/templates/:id/versions/:version":           fromPerm, // template:read
	"GET /api/modeler/templates/:id/versions/:version/plan":      fromPerm, // template:read
	"GET /api/modeler/step-types":                                fromPerm, // template:read
	"GET /api/payments/anomalies":                                fromPerm, // anomaly:read
	"GET /api/payments/positions":                                fromPerm, // position:read
	"GET /api/payments/positions/:id":                            fromPerm, // position:read
	"GET /api/payments/positions/:id/notice":                     fromPerm, // position:read
	"GET /api/payments/notices.zip":                              fromPerm, // position:read; citizens refused by the handler
	"GET /api/payments/notices/print":                            fromPerm, // position:read; citizens refused by the handler
	"GET /api/taxes":                                             fromPerm, // position:read; the debtor's own, staff refused by the handler
	"GET /api/taxes/:id":                                         fromPerm, // position:read; another's position is not found
	"GET /api/taxes/:id/receipt":                                 fromPerm, // position:read; the debtor's own
	"GET /api/pratiche":                                          fromPerm, // pratica:read
	"GET /api/pratiche/:id":                                      fromPerm, // pratica:read
	"GET /api/tasks":                                             fromPerm, // task:read
	"GET /api/tasks/:id":                                         fromPerm, // task:read
	"POST /api/catalog/concepts":                                 fromPerm, // catalog:update
	"POST /api/catalog/enti/:ente/units/import":                  fromPerm, // masterdata:import
	"POST /api/catalog/import":                                   fromPerm, // catalog:import
	"POST /api/catalog/procedimenti/:id/rebase":                  fromPerm, // catalog:update
	"POST /api/catalog/services/:id/rebase":                      fromPerm, // catalog:update
	"POST /api/catalog/taxonomy/import":                          fromPerm, // taxonomy:import
	"POST /api/modeler/forms/:id/publish":                        fromPerm, // template:publish
	"POST /api/modeler/forms/:id/versions/:version/validate":     fromPerm, // self:read
	"POST /api/modeler/overlays/:ente/:template/publish":         fromPerm, // overlay:update
	"POST /api/modeler/templates/:id/overlays/check":             fromPerm, // template:read
	"POST /api/modeler/templates/:id/publish":                    fromPerm, // template:publish
	"POST /api/modeler/templates/:id/versions/:version/validate": fromPerm, // template:read
	"POST /api/payments/receipts":                                fromPerm, // receipt:create
	"POST /api/payments/receipts/soap":                           fromPerm, // receipt:create
	"POST /api/payments/spontaneous":                             fromPerm, // payment:create
	"POST /api/pratiche":                                         fromPerm, // pratica:create
	"POST /api/pratiche/:id/actions":                             fromPerm, // pratica:act
	"POST /api/tasks/:id/claim":                                  fromPerm, // task:act
	"POST /api/tasks/:id/complete":                               fromPerm, // task:act
	"PUT /api/catalog/enti/:ente":                                fromPerm, // masterdata:update
	"PUT /api/catalog/enti/:ente/units/:code":                    fromPerm, // masterdata:update
	"PUT /api/catalog/procedimenti/:id":                          fromPerm, // catalog:update
	"PUT /api/catalog/services/:id":                              fromPerm, // catalog:update
	"PUT /api/modeler/forms/:id":                                 fromPerm, // template:update
	"PUT /api/modeler/overlays/:ente/:template":                  fromPerm, // overlay:update
	"PUT /api/modeler/templates/:id":                             fromPerm, // template:update
	"POST /api/reconciliation/imports/fdr":                       fromPerm, // reconciliation:import
	"POST /api/reconciliation/imports/giornale":                  fromPerm, // reconciliation:import
	"POST /api/reconciliation/runs":                              fromPerm, // reconciliation:update
	"GET /api/reconciliation/exceptions":                         fromPerm, // reconciliation:read
	"POST /api/reconciliation/exceptions/:id/resolve":            fromPerm, // reconciliation:update
	"GET /api/reconciliation/report":                             fromPerm, // reconciliation:read
	"GET /api/ledger/entries.csv":                                fromPerm, // ledger:read
	"GET /api/ledger/balance":                                    fromPerm, // ledger:read
	"POST /api/ledger/entries/:id/reverse":                       fromPerm, // ledger:update
	"GET /api/ledger/campaigns/:id/accounting":                   fromPerm, // ledger:read
	"GET /api/ledger/campaigns/:id/accounting.csv":               fromPerm, // ledger:read
	"POST /api/reconciliation/imports/notices":                   fromPerm, // reconciliation:import
	"POST /api/campaigns/cie-scadenza/dry-run":                   fromPerm, // campaign:update
	"POST /api/campaigns/cie-scadenza/runs":                      fromPerm, // campaign:update
	"POST /api/campaigns/cie-scadenza/cards":                     fromPerm, // campaign:update
	"POST /api/modeler/templates/:id/versions/:version/dry-run":  fromPerm, // template:read
	"GET /api/portal/services/:id/start":                         fromPerm, // self:read
	"GET /api/portal/enti":                                       fromPerm, // self:read
	"POST /api/issuances":                                        fromPerm, // issuance:create
	"GET /api/issuances":                                         fromPerm, // issuance:read
	"GET /api/issuances/:id":                                     fromPerm, // issuance:read
	"PUT /api/issuances/:id/roll":                                fromPerm, // issuance:update
	"GET /api/issuances/:id/dry-run":                             fromPerm, // issuance:read
	"POST /api/issuances/:id/confirm":                            fromPerm, // issuance:update
	"POST /api/issuances/:id/pause":                              fromPerm, // issuance:update
	"POST /api/issuances/:id/resume":                             fromPerm, // issuance:update
	"POST /api/issuances/:id/cancel":                             fromPerm, // issuance:update
	"POST /api/issuances/:id/retry":                              fromPerm, // issuance:update
	"POST /api/issuances/:id/positions/:iupd/invalidate":         fromPerm, // issuance:update
	"GET /api/issuances/:id/errors":                              fromPerm, // issuance:read
	"GET /api/issuances/:id/debtors":                             fromPerm, // issuance:read
	"GET /api/issuances/:id/summary":                             fromPerm, // issuance:read
	"GET /api/issuances/:id/notices.zip":                         fromPerm, // issuance:read
	"GET /api/issuances/:id/notices/print":                       fromPerm, // issuance:read
	"GET /api/issuances/:id/appio":                               fromPerm, // issuance:read
	"GET /api/issuances/:id/appio/paper":                         fromPerm, // issuance:read
}

// spec is the access rule set written out by hand, independently of the casbin
// policy it checks: for each role, "object:action" → "any" ente or "own" ente.
var spec = map[string]map[string]string{
	api.RoleCitizen: {"pratica:read": "any", "pratica:create": "any", "pratica:act": "any",
		"position:read": "any", "payment:create": "any", "catalog:read": "any", "masterdata:read": "any", "self:read": "any"},
	api.RoleOperator: {"pratica:read": "own", "pratica:act": "own", "task:read": "own", "task:act": "own",
		"position:read": "own", "anomaly:*": "own", "catalog:read": "any", "masterdata:read": "any", "self:read": "any",
		"reconciliation:read": "own", "reconciliation:update": "own", "ledger:read": "own", "issuance:read": "own"},
	api.RoleDesigner: {"template:*": "any", "overlay:read": "any", "catalog:read": "any", "masterdata:read": "any",
		"monitoring:read": "any", "self:read": "any"},
	api.RoleEnteAdmin: {"catalog:update": "own", "overlay:*": "own", "apikey:*": "own", "audit:read": "own",
		"catalog:read": "any", "template:read": "any", "masterdata:read": "any", "masterdata:*": "own", "self:read": "any",
		"reconciliation:*": "own", "ledger:*": "own", "campaign:*": "own", "monitoring:read": "own",
		"pratica:read": "own", "pratica:act": "own", "task:read": "own", "role:*": "own", "issuance:*": "own"},
	api.RoleRegionalAdmin: {"*:*": "any"},
	// The matrix's key has every scope a key may have: all objects but apikey, policy and role.
	api.RoleMachine: {"*:*": "own", "self:read": "any", "apikey:*": "never", "policy:*": "never", "role:*": "never"},
}

func allowed(role, home, domain string, p api.Perm) bool {
	for _, k := range []string{p.Object + ":" + p.Action, p.Object + ":*", "*:*"} {
		switch spec[role][k] {
		case "any":
			return true
		case "own":
			if home != "" && domain == home {
				return true
			}
		case "never":
			return false
		}
	}
	return false
}

type caller struct {
	name, role, home string
	headers          map[string]string
	// want, when set, replaces the role's row of the spec.
	want func(domain string, p api.Perm) bool
}

func TestAuthorizationMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		const reached = 299
		env := authtest.StartWith(t, db, authtest.Options{Terminal: func(c echo.Context) error { return c.NoContent(reached) }},
			matrixModules()...)
		callers := []caller{{name: "anonymous"}}
		for _, u := range devidp.Users {
			p := principal(t, u)
			callers = append(callers, caller{name: u.ID, role: p.Role, home: p.Ente, headers: authtest.Bearer(env.Token(t, u.ID))})
		}
		scopes := map[string]bool{}
		for _, rt := range env.Server.Router.Routes() {
			if o := rt.Perm.Object; o != api.Public.Object && o != api.Authenticated.Object && o != "apikey" && o != "policy" && o != "role" {
				scopes[o+":*"] = true
			}
		}
		region := &api.Principal{Subject: "admin.regione", Role: api.RoleRegionalAdmin, Ente: api.Region}
		created, err := env.Service.CreateKey(t.Context(), region, "c_l424",
			api.NewAPIKey{Name: "matrix", Scopes: slices.Sorted(maps.Keys(scopes))})
		if err != nil {
			t.Fatal(err)
		}
		// People a real broker signs in (a fiscalNumber, no role claim), given
		// their staff role in the database: they act exactly as the role allows.
		for _, as := range []struct{ name, cf, role, ente string }{
			{"db.operator.trieste", "VRDLRA80A41L424E", api.RoleOperator, "c_l424"},
			{"db.admin.medea", "NRIPLA70B12F081I", api.RoleEnteAdmin, "c_f081"},
		} {
			if _, err := env.Service.GrantRole(t.Context(), region, as.ente, api.NewRoleAssignment{Person: as.cf, Role: as.role}); err != nil {
				t.Fatal(err)
			}
			tok, err := env.IdP.MintClaims(as.name, map[string]any{"fiscalNumber": "TINIT-" + as.cf}, devidp.MintOptions{})
			if err != nil {
				t.Fatal(err)
			}
			callers = append(callers, caller{name: as.name, role: as.role, home: as.ente, headers: authtest.Bearer(tok)})
		}
		callers = append(callers, caller{name: "machine.trieste", role: api.RoleMachine, home: "c_l424", headers: map[string]string{api.APIKeyHeader: created.Secret}})
		// A key made by Trieste's ente admin with every permission the admin has
		// in Trieste: it reaches exactly those, in Trieste only.
		admin := &api.Principal{Subject: "admin.trieste", Role: api.RoleEnteAdmin, Ente: "c_l424"}
		adminScopes := map[string]bool{}
		for _, rt := range env.Server.Router.Routes() {
			if o := rt.Perm.Object; o != api.Public.Object && o != api.Authenticated.Object && o != "apikey" && o != "policy" && o != "role" &&
				allowed(api.RoleEnteAdmin, "c_l424", "c_l424", rt.Perm) {
				adminScopes[o+":"+rt.Perm.Action] = true
			}
		}
		byAdmin, err := env.Service.CreateKey(t.Context(), admin, "c_l424", api.NewAPIKey{Name: "matrix admin", Scopes: slices.Sorted(maps.Keys(adminScopes))})
		if err != nil {
			t.Fatal(err)
		}
		callers = append(callers, caller{name: "machine.by-admin.trieste", role: api.RoleMachine, home: "c_l424",
			headers: map[string]string{api.APIKeyHeader: byAdmin.Secret}, want: func(d string, p api.Perm) bool {
				return p == api.Authenticated || (d == "c_l424" && adminScopes[p.Object+":"+p.Action])
			}})
		// Powers the admin lacks cannot be put in a key.
		for _, scope := range []string{"task:act", "position:read", "receipt:create", "template:*"} {
			if _, err := env.Service.CreateKey(t.Context(), admin, "c_l424", api.NewAPIKey{Name: "too much", Scopes: []string{scope}}); errs.CodeOf(err) != errs.Invalid {
				t.Errorf("admin.trieste made a key with %s: %v", scope, err)
			}
		}

		routes := env.Server.Router.Routes()
		var missing []string
		seen := map[string]bool{}
		for _, rt := range routes {
			key := rt.Method + " " + rt.Path
			seen[key] = true
			want, ok := matrix[key]
			if !ok {
				missing = append(missing, fmt.Sprintf("%q: fromPerm, // %s:%s", key, rt.Perm.Object, rt.Perm.Action))
				continue
			}
			if (want == public) != (rt.Perm == api.Public) {
				t.Errorf("%s: matrix says public=%v, the route declares %+v", key, want == public, rt.Perm)
				continue
			}
			if want == public {
				continue // not guarded: its handler decides, e.g. the login redirect
			}
			for _, ente := range []string{"c_l424", "c_f081"} {
				path, query := fill(rt.Path, ente)
				domain := domainOf(env.Server.Echo, rt, path+query)
				for _, cl := range callers {
					t.Run(fmt.Sprintf("%s %s as %s in %s", rt.Method, rt.Path, cl.name, ente), func(t *testing.T) {
						st, body := env.Do(t, rt.Method, path+query, bodyFor(rt), cl.headers)
						d := domain
						if d == "" {
							d = cl.home
						}
						wantSt := http.StatusForbidden
						switch {
						case cl.role == "":
							wantSt = http.StatusUnauthorized
						case cl.want != nil:
							if cl.want(d, rt.Perm) {
								wantSt = reached
							}
						case allowed(cl.role, cl.home, d, rt.Perm):
							wantSt = reached
						}
						if st != wantSt {
							t.Errorf("status %d, want %d (role %s, home %q, domain %q, perm %+v): %s", st, wantSt, cl.role, cl.home, d, rt.Perm, body)
						}
					})
				}
			}
		}
		// Echo itself must hold nothing undeclared (a route added around the Router).
		for _, er := range env.Server.Echo.Routes() {
			if _, ok := env.Server.Router.Lookup(er.Method, er.Path); ok {
				continue
			}
			if _, ok := env.Server.Router.Lookup(er.Method, er.Path+"/*"); ok {
				continue // Raw mounts answer on the bare prefix too
			}
			missing = append(missing, fmt.Sprintf("%q: registered on Echo without a declaration", er.Method+" "+er.Path))
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("routes without a row in the authorization matrix; add them:\n%s", strings.Join(missing, "\n"))
		}
		for key := range matrix {
			if !seen[key] {
				t.Errorf("matrix row %q matches no registered route", key)
			}
		}
	})
}

// principal maps a demo user's claims as the guard does (GET /api/me is itself
// in the matrix, so it cannot answer here).
func principal(t *testing.T, u devidp.User) *api.Principal {
	t.Helper()
	b, _ := json.Marshal(u.Claims())
	var c auth.Claims
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	c.Subject = u.ID
	p, err := auth.PrincipalFromClaims(c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fill puts ente in every :ente parameter (and ?ente=) and a dummy id elsewhere.
func fill(path, ente string) (string, string) {
	parts := strings.Split(path, "/")
	for i, s := range parts {
		switch {
		case s == ":ente":
			parts[i] = ente
		case strings.HasPrefix(s, ":"):
			parts[i] = "x1"
		case s == "*":
			parts[i] = "x1"
		}
	}
	return strings.Join(parts, "/"), "?ente=" + ente
}

// domainOf runs the route's own Domain function on the request, as the guard does.
func domainOf(e *echo.Echo, rt api.Route, target string) string {
	if rt.Domain == nil {
		return ""
	}
	req := httptest.NewRequest(rt.Method, target, nil)
	c := e.NewContext(req, httptest.NewRecorder())
	e.Router().Find(rt.Method, req.URL.Path, c)
	return rt.Domain(c)
}

func bodyFor(rt api.Route) any {
	if rt.Method == http.MethodGet || rt.Method == http.MethodDelete {
		return nil
	}
	return map[string]any{}
}
