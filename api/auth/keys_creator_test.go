package auth_test

import (
	"testing"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth"
	"github.com/sportello/sportello/api/auth/authtest"
	"github.com/sportello/sportello/store/storetest"
)

// TestKeyLosesWhatItsCreatorLoses: a key is checked at each use against what
// its creator's role may still do, so taking a right from the role takes it
// from every key its holders made.
func TestKeyLosesWhatItsCreatorLoses(t *testing.T) {
	env := authtest.Start(t, storetest.SQLite(t))
	admin := &api.Principal{Subject: "admin.trieste", Role: api.RoleEnteAdmin, Ente: "c_l424"}
	key, err := env.Service.CreateKey(t.Context(), admin, "c_l424", api.NewAPIKey{Name: "sync", Scopes: []string{"campaign:read"}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := env.Service.Keys.Authenticate(t.Context(), key.Secret)
	if err != nil {
		t.Fatal(err)
	}
	perm := api.Perm{Object: "campaign", Action: "read"}
	if ok, reason, err := env.Service.Authz.Decide(t.Context(), p, "c_l424", perm); !ok || err != nil {
		t.Fatalf("before: %v %s %v", ok, reason, err)
	}
	if ok, _, _ := env.Service.Authz.Decide(t.Context(), p, "c_f081", perm); ok {
		t.Fatal("the key acted in another ente")
	}
	if err := env.Service.Authz.RemovePolicy(api.RoleEnteAdmin, "own", "campaign", "*"); err != nil {
		t.Fatal(err)
	}
	ok, reason, err := env.Service.Authz.Decide(t.Context(), p, "c_l424", perm)
	if ok || err != nil || reason != auth.ReasonKeyCreator {
		t.Fatalf("after the role lost the right: %v %q %v", ok, reason, err)
	}
}
