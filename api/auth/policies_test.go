package auth_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth/authtest"
	"github.com/sportello/sportello/api/auth/devidp"
	"github.com/sportello/sportello/store/storetest"
)

func TestPolicyRoutes(t *testing.T) {
	env := authtest.Start(t, storetest.SQLite(t))
	region := authtest.Bearer(env.Token(t, devidp.AdminRegione))
	op := authtest.Bearer(env.Token(t, devidp.OpTrieste))
	medea := authtest.Bearer(env.Token(t, devidp.OpMedea))

	if st, _ := env.Do(t, http.MethodGet, "/api/audit", nil, op); st != http.StatusForbidden {
		t.Fatalf("operator reads audit before the rule: %d", st)
	}
	rule := api.PolicyRule{Role: api.RoleOperator, Domain: "c_l424", Object: "audit", Action: "read"}
	if st, body := env.Do(t, http.MethodPost, "/api/policies", rule, region); st != http.StatusNoContent {
		t.Fatalf("add rule: %d %s", st, body)
	}
	if st, _ := env.Do(t, http.MethodGet, "/api/audit", nil, op); st != http.StatusOK {
		t.Fatalf("Trieste operator after the rule: %d", st)
	}
	if st, _ := env.Do(t, http.MethodGet, "/api/audit", nil, medea); st != http.StatusForbidden {
		t.Fatalf("the Trieste rule let Medea in: %d", st)
	}
	st, body := env.Do(t, http.MethodGet, "/api/policies", nil, region)
	var rules []api.PolicyRule
	if err := json.Unmarshal(body, &rules); err != nil || st != http.StatusOK || !slices.Contains(rules, rule) {
		t.Fatalf("list: %d %s", st, body)
	}
	if st, body := env.Do(t, http.MethodPost, "/api/policies/remove", rule, region); st != http.StatusNoContent {
		t.Fatalf("remove rule: %d %s", st, body)
	}
	if st, _ := env.Do(t, http.MethodGet, "/api/audit", nil, op); st != http.StatusForbidden {
		t.Fatalf("operator after removal: %d", st)
	}

	// A grant: the Medea operator becomes ente-admin of Trieste too.
	grant := api.PolicyRule{Subject: devidp.OpMedea, Role: api.RoleEnteAdmin, Domain: "c_l424"}
	if st, body := env.Do(t, http.MethodPost, "/api/policies", grant, region); st != http.StatusNoContent {
		t.Fatalf("grant: %d %s", st, body)
	}
	if st, body := env.Do(t, http.MethodGet, "/api/enti/c_l424/apikeys", nil, medea); st != http.StatusOK {
		t.Fatalf("granted ente-admin of Trieste: %d %s", st, body)
	}

	var e struct {
		Error struct {
			Fields []struct{ Field string } `json:"fields"`
		} `json:"error"`
	}
	st, body = env.Do(t, http.MethodPost, "/api/policies", api.PolicyRule{Role: "boss", Domain: "Trieste!", Object: "x y"}, region)
	_ = json.Unmarshal(body, &e)
	var fields []string
	for _, f := range e.Error.Fields {
		fields = append(fields, f.Field)
	}
	if d := cmp.Diff([]string{"role", "domain", "object", "action"}, fields); st != http.StatusUnprocessableEntity || d != "" {
		t.Fatalf("bad rule: %d fields (-want +got):\n%s", st, d)
	}
	if st, body := env.Do(t, http.MethodPost, "/api/policies", rule, authtest.Bearer(env.Token(t, devidp.AdminTrieste))); st != http.StatusForbidden || !strings.Contains(string(body), "role_not_allowed") {
		t.Fatalf("ente admin changing policies: %d %s", st, body)
	}
}
