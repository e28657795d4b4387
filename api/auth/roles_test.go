package auth_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/api/auth/authtest"
	"github.com/sportello/sportello/api/auth/devidp"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store/storetest"
)

// laura is a person as a real SPID/CIE broker presents her: a subject and a
// fiscalNumber, no role.
const lauraCF = "VRDLRA80A41L424E"

func brokerToken(t *testing.T, env *authtest.Env, sub, fiscalNumber string, extra map[string]any) string {
	t.Helper()
	claims := map[string]any{"name": "Laura Verdi", "fiscalNumber": fiscalNumber}
	for k, v := range extra {
		claims[k] = v
	}
	tok, err := env.IdP.MintClaims(sub, claims, devidp.MintOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func me(t *testing.T, env *authtest.Env, h map[string]string) (int, api.Principal) {
	t.Helper()
	st, body := env.Do(t, http.MethodGet, "/api/me", nil, h)
	var p api.Principal
	if st == http.StatusOK {
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
	}
	return st, p
}

func withHeader(h map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for a, b := range h {
		out[a] = b
	}
	return out
}

// A person signing in through a broker without role claims is a citizen until
// an ente admin assigns her a role; then she is that operator (her inbox
// answers 200), and a citizen again on request or once the role is revoked.
func TestAssignedRoleMakesOperator(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := lauraCFValid(); err != nil {
			t.Fatal(err)
		}
		env := authtest.StartWith(t, db, authtest.Options{NoRoleClaims: true}, &api.Pratiche{Store: pratica.NewStore(db)})
		laura := authtest.Bearer(brokerToken(t, env, "spid-7f3a", "TINIT-"+lauraCF, nil))
		admin := authtest.Bearer(env.Token(t, devidp.AdminTrieste))

		if st, p := me(t, env, laura); st != http.StatusOK || p.Role != api.RoleCitizen || p.FiscalCode != lauraCF {
			t.Fatalf("before the assignment: %d %+v, want a citizen", st, p)
		}
		if st, body := env.Do(t, http.MethodGet, "/api/tasks", nil, laura); st != http.StatusForbidden {
			t.Fatalf("inbox before the assignment: %d %s, want 403", st, body)
		}
		// admin.trieste is an ente admin only by the token's claims, which this
		// server ignores: she is refused like anyone without a role.
		if st, body := env.Do(t, http.MethodPost, "/api/enti/c_l424/roles", map[string]any{"person": lauraCF, "role": "operator"}, admin); st != http.StatusUnauthorized {
			t.Fatalf("admin.trieste without the claim mapping: %d %s, want 401", st, body)
		}
		region := &api.Principal{Subject: "admin.regione", Role: api.RoleRegionalAdmin, Ente: api.Region}
		ra, err := env.Service.GrantRole(t.Context(), region, "c_l424",
			api.NewRoleAssignment{Person: "tinit-" + lauraCF, Role: api.RoleOperator, Offices: []string{"stato-civile"}})
		if err != nil {
			t.Fatal(err)
		}
		if ra.Person != lauraCF {
			t.Errorf("person stored as %q, want %q", ra.Person, lauraCF)
		}
		st, p := me(t, env, laura)
		want := api.Principal{Subject: "spid-7f3a", Name: "Laura Verdi", FiscalCode: lauraCF, Role: api.RoleOperator, Ente: "c_l424",
			Office: "stato-civile", RoleFrom: api.RoleFromAssignment, ActAs: "operator@c_l424/stato-civile", Choices: []string{"operator@c_l424/stato-civile", "citizen"}}
		if diff := cmp.Diff(want, p); st != http.StatusOK || diff != "" {
			t.Fatalf("after the assignment: %d (-want +got):\n%s", st, diff)
		}
		if st, body := env.Do(t, http.MethodGet, "/api/tasks", nil, laura); st != http.StatusOK {
			t.Fatalf("inbox after the assignment: %d %s, want 200", st, body)
		}
		// Her own pratiche stay hers: as a citizen she lists them.
		asCitizen := withHeader(laura, api.ActAsHeader, "citizen")
		if st, p := me(t, env, asCitizen); st != http.StatusOK || p.Role != api.RoleCitizen {
			t.Fatalf("act as citizen: %d %+v", st, p)
		}
		if st, _ := env.Do(t, http.MethodGet, "/api/tasks", nil, asCitizen); st != http.StatusForbidden {
			t.Fatalf("inbox as a citizen: %d, want 403", st)
		}
		if st, body := env.Do(t, http.MethodGet, "/api/me", nil, withHeader(laura, api.ActAsHeader, "ente-admin@c_l424")); st != http.StatusForbidden {
			t.Fatalf("act as a role she does not hold: %d %s, want 403", st, body)
		}
		if _, err := env.Service.RevokeRole(t.Context(), region, "c_l424", ra.ID); err != nil {
			t.Fatal(err)
		}
		if st, p := me(t, env, laura); st != http.StatusOK || p.Role != api.RoleCitizen {
			t.Fatalf("after the revocation: %d %+v, want a citizen", st, p)
		}
		if _, err := env.Service.RevokeRole(t.Context(), region, "c_l424", ra.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("revoke twice: %v, want not_found", err)
		}
	})
}

func lauraCFValid() error { _, err := auth.NormalizePerson("person", lauraCF); return err }

// Role claims count only where the mapping is configured: the same token is an
// operator with it and a citizen without it.
func TestRoleClaimsNeedTheMapping(t *testing.T) {
	db := storetest.SQLite(t)
	claims := map[string]any{"role": "operator", "ente": "c_l424", "office": "stato-civile"}
	for _, tc := range []struct {
		name     string
		ignore   bool
		wantRole string
		wantEnte string
	}{
		{"trusted broker", false, api.RoleOperator, "c_l424"},
		{"broker without a claim mapping", true, api.RoleCitizen, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := authtest.StartWith(t, db, authtest.Options{NoRoleClaims: tc.ignore})
			h := authtest.Bearer(brokerToken(t, env, "spid-1", "TINIT-"+lauraCF, claims))
			st, p := me(t, env, h)
			if st != http.StatusOK || p.Role != tc.wantRole || p.Ente != tc.wantEnte {
				t.Fatalf("%d %+v, want role %s ente %q", st, p, tc.wantRole, tc.wantEnte)
			}
			// A staff token without a person is nobody without the mapping.
			tok, _ := env.IdP.MintClaims("op-1", claims, devidp.MintOptions{})
			st, _ = me(t, env, authtest.Bearer(tok))
			if want := map[bool]int{false: http.StatusOK, true: http.StatusUnauthorized}[tc.ignore]; st != want {
				t.Fatalf("staff token without fiscalNumber: %d, want %d", st, want)
			}
		})
	}
}

// Foreign eIDAS users sign in with their "<country>-<id>" identifier and can be
// given roles by it; garbage is refused naming the field.
func TestEIDASIdentifiers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"TINIT-" + lauraCF, lauraCF},
		{"IT-" + lauraCF, lauraCF},
		{lauraCF, lauraCF},
		{"ES-12345678Z", "ES-12345678Z"},
		{"TINES-12345678z", "ES-12345678Z"},
		{"de-T22000129", "DE-T22000129"},
		{"EL-AB/12.34-5", "EL-AB/12.34-5"},
		{"TINIT-RSSMRA80A01H501X", ""}, // wrong check character
		{"XX-12345", ""},               // no such state
		{"US-123456789", ""},           // not an eIDAS state
		{"ES-", ""},
		{"ES-12 34", ""},
		{"ES-<script>", ""},
		{"ES-" + string(make([]byte, 70)), ""},
		{"ES-ÀB12", ""},
		{"-12345", ""},
		{"garbage", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := auth.NormalizePerson("person", tc.in)
			if tc.want == "" {
				e, ok := errs.As(err)
				if !ok || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "person" {
					t.Fatalf("%q: %q, %v; want invalid naming person", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("%q: %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}

	db := storetest.SQLite(t)
	env := authtest.StartWith(t, db, authtest.Options{NoRoleClaims: true})
	juan := authtest.Bearer(brokerToken(t, env, "eidas-es-1", "TINES-12345678Z", nil))
	if st, p := me(t, env, juan); st != http.StatusOK || p.Role != api.RoleCitizen || p.FiscalCode != "ES-12345678Z" {
		t.Fatalf("foreign citizen: %d %+v", st, p)
	}
	region := &api.Principal{Subject: "admin.regione", Role: api.RoleRegionalAdmin, Ente: api.Region}
	if _, err := env.Service.GrantRole(t.Context(), region, "c_f081", api.NewRoleAssignment{Person: "ES-12345678Z", Role: api.RoleEnteAdmin}); err != nil {
		t.Fatal(err)
	}
	if st, p := me(t, env, juan); st != http.StatusOK || p.Role != api.RoleEnteAdmin || p.Ente != "c_f081" {
		t.Fatalf("foreign ente admin: %d %+v", st, p)
	}
	if st, body := env.Do(t, http.MethodGet, "/api/me", nil, authtest.Bearer(brokerToken(t, env, "x", "US-123456789", nil))); st != http.StatusUnauthorized {
		t.Fatalf("US identifier: %d %s, want 401", st, body)
	}
}

// Ente admins manage the roles of their ente through the API, never a regional
// role, another ente's roles or a role above theirs; every change is audited.
func TestEnteAdminManagesRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := authtest.Start(t, db)
		admin := authtest.Bearer(env.Token(t, devidp.AdminTrieste))
		region := authtest.Bearer(env.Token(t, devidp.AdminRegione))
		op := authtest.Bearer(env.Token(t, devidp.OpTrieste))
		for _, tc := range []struct {
			name   string
			who    map[string]string
			ente   string
			body   map[string]any
			status int
			field  string
		}{
			{"operator of Trieste", admin, "c_l424", map[string]any{"person": "TINIT-" + lauraCF, "role": "operator", "offices": []string{"stato-civile"}}, 201, ""},
			{"same again", admin, "c_l424", map[string]any{"person": lauraCF, "role": "operator"}, 409, ""},
			{"another admin of Trieste", admin, "c_l424", map[string]any{"person": "ES-12345678Z", "role": "ente-admin"}, 201, ""},
			{"regional role", admin, "c_l424", map[string]any{"person": lauraCF, "role": "regional-admin"}, 422, "role"},
			{"regional role in the region", admin, "region", map[string]any{"person": lauraCF, "role": "designer"}, 403, ""},
			{"another ente", admin, "c_f081", map[string]any{"person": lauraCF, "role": "operator"}, 403, ""},
			{"citizen role", admin, "c_l424", map[string]any{"person": lauraCF, "role": "citizen"}, 422, "role"},
			{"machine role", admin, "c_l424", map[string]any{"person": lauraCF, "role": "machine"}, 422, "role"},
			{"garbage person", admin, "c_l424", map[string]any{"person": "robert'); DROP", "role": "operator"}, 422, "person"},
			{"bad office", admin, "c_l424", map[string]any{"person": lauraCF, "role": "ente-admin", "offices": []string{"Stato Civile"}}, 422, "offices[0]"},
			{"operator may not", op, "c_l424", map[string]any{"person": lauraCF, "role": "ente-admin"}, 403, ""},
			{"region: designer", region, "region", map[string]any{"person": lauraCF, "role": "designer"}, 201, ""},
			{"region: Medea operator", region, "c_f081", map[string]any{"person": lauraCF, "role": "operator"}, 201, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				st, body := env.Do(t, http.MethodPost, "/api/enti/"+tc.ente+"/roles", tc.body, tc.who)
				if st != tc.status {
					t.Fatalf("status %d, want %d: %s", st, tc.status, body)
				}
				if tc.field != "" {
					var eb struct {
						Error struct {
							Fields []errs.FieldError `json:"fields"`
						} `json:"error"`
					}
					_ = json.Unmarshal(body, &eb)
					if len(eb.Error.Fields) != 1 || eb.Error.Fields[0].Field != tc.field {
						t.Fatalf("fields %+v, want %s: %s", eb.Error.Fields, tc.field, body)
					}
				}
			})
		}
		var list []api.RoleAssignment
		st, body := env.Do(t, http.MethodGet, "/api/enti/c_l424/roles", nil, admin)
		if err := json.Unmarshal(body, &list); st != http.StatusOK || err != nil {
			t.Fatalf("list: %d %s", st, body)
		}
		var got []string
		for _, a := range list {
			got = append(got, a.Person+" "+a.Role+" "+a.GrantedBy)
		}
		if diff := cmp.Diff([]string{lauraCF + " operator admin.trieste", "ES-12345678Z ente-admin admin.trieste"}, got); diff != "" {
			t.Fatalf("Trieste's roles (-want +got):\n%s", diff)
		}
		if st, _ := env.Do(t, http.MethodGet, "/api/enti/c_f081/roles", nil, admin); st != http.StatusForbidden {
			t.Fatalf("Medea's roles as admin.trieste: %d, want 403", st)
		}
		// The Medea assignment cannot be revoked through Trieste's path, nor by Trieste's admin.
		var medea []api.RoleAssignment
		_, body = env.Do(t, http.MethodGet, "/api/enti/c_f081/roles", nil, region)
		_ = json.Unmarshal(body, &medea)
		if len(medea) != 1 {
			t.Fatalf("Medea's roles: %s", body)
		}
		if st, _ := env.Do(t, http.MethodDelete, "/api/enti/c_l424/roles/"+medea[0].ID, nil, admin); st != http.StatusNotFound {
			t.Fatalf("revoke Medea's assignment through Trieste: %d, want 404", st)
		}
		if st, body := env.Do(t, http.MethodDelete, "/api/enti/c_l424/roles/"+list[0].ID, nil, admin); st != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", st, body)
		}
		rows, err := env.Service.Audit(t.Context(), api.AuditFilter{Domain: "c_l424"})
		if err != nil {
			t.Fatal(err)
		}
		var changes []string
		for _, r := range rows {
			if r.Object == "role" && (r.Action == "grant" || r.Action == "revoke") {
				changes = append(changes, r.Subject+" "+r.Action+" "+r.ObjectID)
			}
		}
		want := []string{
			"admin.trieste grant " + lauraCF + " operator@c_l424/stato-civile",
			"admin.trieste grant ES-12345678Z ente-admin@c_l424",
			"admin.trieste revoke " + lauraCF + " operator@c_l424/stato-civile",
		}
		if diff := cmp.Diff(want, changes); diff != "" {
			t.Fatalf("audited changes (-want +got):\n%s", diff)
		}
	})
}

// A key made by an ente admin who acts in a role assignment loses its powers
// when the assignment is revoked, as a right taken from a role is taken from keys.
func TestKeyOfAssignedAdminDiesWithTheAssignment(t *testing.T) {
	db := storetest.SQLite(t)
	env := authtest.StartWith(t, db, authtest.Options{NoRoleClaims: true}, api.NewCatalog(nil, nil))
	region := &api.Principal{Subject: "admin.regione", Role: api.RoleRegionalAdmin, Ente: api.Region}
	ra, err := env.Service.GrantRole(t.Context(), region, "c_l424", api.NewRoleAssignment{Person: lauraCF, Role: api.RoleEnteAdmin})
	if err != nil {
		t.Fatal(err)
	}
	laura := authtest.Bearer(brokerToken(t, env, "spid-7f3a", "TINIT-"+lauraCF, nil))
	var key api.CreatedAPIKey
	st, body := env.Do(t, http.MethodPost, "/api/enti/c_l424/apikeys", map[string]any{"name": "audit reader", "scopes": []string{"audit:read"}}, laura)
	if err := json.Unmarshal(body, &key); st != http.StatusCreated || err != nil {
		t.Fatalf("create key: %d %s", st, body)
	}
	use := func() int {
		st, _ := env.Do(t, http.MethodGet, "/api/audit?ente=c_l424", nil, map[string]string{api.APIKeyHeader: key.Secret})
		return st
	}
	if st := use(); st != http.StatusOK {
		t.Fatalf("the key while its creator is ente admin: %d, want 200", st)
	}
	if _, err := env.Service.RevokeRole(t.Context(), region, "c_l424", ra.ID); err != nil {
		t.Fatal(err)
	}
	if st := use(); st != http.StatusForbidden {
		t.Fatalf("the key after its creator's assignment was revoked: %d, want 403", st)
	}
}

// The first regional admins come from the setting: a person the broker knows
// by fiscalNumber alone becomes regional admin, once however often it runs.
func TestEnsureRegionalAdmins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		env := authtest.StartWith(t, db, authtest.Options{NoRoleClaims: true})
		for range 2 {
			if err := env.Service.EnsureRegionalAdmins(t.Context(), []string{lauraCF}, "setting:SPORTELLO_REGIONAL_ADMINS"); err != nil {
				t.Fatal(err)
			}
		}
		laura := authtest.Bearer(brokerToken(t, env, "spid-7f3a", "TINIT-"+lauraCF, nil))
		if st, p := me(t, env, laura); st != http.StatusOK || p.Role != api.RoleRegionalAdmin || p.Ente != api.Region {
			t.Fatalf("%d %+v, want a regional admin", st, p)
		}
		var list []api.RoleAssignment
		_, body := env.Do(t, http.MethodGet, "/api/enti/region/roles", nil, laura)
		if err := json.Unmarshal(body, &list); err != nil || len(list) != 1 || list[0].GrantedBy != "setting:SPORTELLO_REGIONAL_ADMINS" {
			t.Fatalf("the region's roles: %s", body)
		}
	})
}
