package auth

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

func TestAuditChainAndVerify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		a := NewAudit(db)
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := a.Append(ctx, api.AuditEntry{Subject: fmt.Sprintf("u%d", i), Role: api.RoleOperator, Ente: "c_l424",
					Domain: "c_l424", Action: "act", Object: "pratica", ObjectID: "p1", Method: "POST", Path: "/x",
					Outcome: "allowed", Status: 200}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if _, err := a.Append(ctx, api.AuditEntry{Subject: "admin.trieste", Domain: "c_f081", Outcome: "denied", Status: 403, Reason: ReasonOtherEnte}); err != nil {
			t.Fatal(err)
		}
		broken, err := VerifyAudit(ctx, db)
		if err != nil || broken != 0 {
			t.Fatalf("intact chain: broken %d err %v", broken, err)
		}
		rows, err := a.Query(ctx, api.AuditFilter{Domain: "c_f081"})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Seq != 9 || rows[0].Reason != ReasonOtherEnte {
			t.Fatalf("query c_f081: %+v", rows)
		}
		all, _ := a.Query(ctx, api.AuditFilter{After: 7})
		if got := []int64{all[0].Seq, all[1].Seq}; !cmp.Equal(got, []int64{8, 9}) || len(all) != 2 {
			t.Fatalf("after 7: %v", got)
		}

		// The database itself refuses to change or remove audit rows.
		for _, q := range []string{"UPDATE auth_audit SET outcome = 'denied' WHERE seq = 5", "DELETE FROM auth_audit WHERE seq = 5"} {
			if err := db.Exec(q).Error; err == nil || !strings.Contains(err.Error(), "immutable") {
				t.Fatalf("%s: %v, want it refused", q, err)
			}
		}
		// Someone with the owner's rights drops the triggers and edits row 5 by hand: verify names it.
		storetest.Tamper(t, db, "UPDATE auth_audit SET outcome = 'denied' WHERE seq = 5")
		if broken, err = VerifyAudit(ctx, db); err != nil || broken != 5 {
			t.Fatalf("edited row: broken %d err %v, want 5", broken, err)
		}
		// Restoring the content makes it whole again; deleting a row breaks the next.
		storetest.Tamper(t, db, "UPDATE auth_audit SET outcome = 'allowed' WHERE seq = 5")
		storetest.Tamper(t, db, "DELETE FROM auth_audit WHERE seq = 3")
		if broken, err = VerifyAudit(ctx, db); err != nil || broken != 3 {
			t.Fatalf("deleted row: broken %d err %v, want 3", broken, err)
		}
		// Cutting the tail of the log is a break too: the head still says 9.
		storetest.Tamper(t, db, "DELETE FROM auth_audit WHERE seq < 9")
		storetest.Tamper(t, db, "DELETE FROM auth_audit WHERE seq = 9")
		if broken, err = VerifyAudit(ctx, db); err != nil || broken != 1 {
			t.Fatalf("emptied log: broken %d err %v, want 1", broken, err)
		}
	})
}

func TestAPIKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		k := NewKeys(db)
		admin := &api.Principal{Subject: "admin.trieste", Role: api.RoleEnteAdmin, Ente: "c_l424"}

		_, err := k.Create(ctx, admin, "c_l424", api.NewAPIKey{Name: " ", Scopes: []string{"receipt:create", "bad scope", "*:*", "apikey:create", "policy:read"}})
		e, _ := errs.As(err)
		if e == nil || e.Code != errs.Invalid {
			t.Fatalf("invalid key: %v", err)
		}
		var fields []string
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
		if d := cmp.Diff([]string{"name", "scopes[1]", "scopes[2]", "scopes[3]", "scopes[4]"}, fields); d != "" {
			t.Errorf("fields (-want +got):\n%s", d)
		}

		if _, err := k.Create(ctx, admin, api.Region, api.NewAPIKey{Name: "x", Scopes: []string{"receipt:create"}}); errs.CodeOf(err) != errs.Invalid {
			t.Fatalf("key for the region: %v", err)
		}
		created, err := k.Create(ctx, admin, "c_l424", api.NewAPIKey{Name: "Tesoreria", Scopes: []string{"receipt:create", "position:*"}})
		if err != nil {
			t.Fatal(err)
		}
		if created.Prefix == "" || len(created.Secret) < 40 || created.Secret[:len(created.Prefix)] != created.Prefix {
			t.Fatalf("created: %+v", created)
		}
		p, err := k.Authenticate(ctx, created.Secret)
		if err != nil {
			t.Fatal(err)
		}
		want := &api.Principal{Subject: "apikey:" + created.Prefix, Name: "Tesoreria", Role: api.RoleMachine, Ente: "c_l424",
			Scopes: []string{"receipt:create", "position:*"}, Serves: []string{"c_l424"}, Creator: admin}
		if d := cmp.Diff(want, p); d != "" {
			t.Errorf("principal (-want +got):\n%s", d)
		}
		list, err := k.List(ctx, "c_l424")
		if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("list: %+v %v", list, err)
		}
		var stored int64
		db.Raw("SELECT COUNT(*) FROM auth_api_keys WHERE secret_hash = ?", created.Secret).Scan(&stored)
		if stored != 0 {
			t.Fatal("the secret is stored in clear")
		}
		if _, err := k.Authenticate(ctx, created.Secret+"x"); errs.CodeOf(err) != errs.Unauth {
			t.Fatalf("wrong secret: %v", err)
		}
		if err := k.Revoke(ctx, "c_f081", created.ID); errs.CodeOf(err) != errs.NotFound {
			t.Fatalf("revoke from another ente: %v", err)
		}
		if err := k.Revoke(ctx, "c_l424", created.ID); err != nil {
			t.Fatal(err)
		}
		if err := k.Revoke(ctx, "c_l424", created.ID); err != nil {
			t.Fatalf("second revoke: %v", err)
		}
		if _, err := k.Authenticate(ctx, created.Secret); errs.CodeOf(err) != errs.Unauth {
			t.Fatalf("revoked key: %v", err)
		}
	})
}

func TestPolicyReloadAcrossProcesses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		a, err := NewAuthorizer(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		b, err := NewAuthorizer(ctx, db) // a second server process
		if err != nil {
			t.Fatal(err)
		}
		a.Refresh, b.Refresh = 0, 0
		pols, _ := b.Policies()
		if len(pols) != len(DefaultPolicy) {
			t.Fatalf("seeded twice or not at all: %d rules", len(pols))
		}
		op := &api.Principal{Subject: "op.medea", Role: api.RoleOperator, Ente: "c_f081"}
		read := api.Perm{Object: "audit", Action: "read"}
		if ok, reason, _ := b.Decide(ctx, op, "c_f081", read); ok || reason != ReasonNotAllowed {
			t.Fatalf("before: ok %v reason %q", ok, reason)
		}
		if err := a.AddPolicy(api.RoleOperator, "own", "audit", "read"); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := b.Decide(ctx, op, "c_f081", read); !ok {
			t.Fatal("the other process did not reload the new policy")
		}
		if ok, reason, _ := b.Decide(ctx, op, "c_l424", read); ok || reason != ReasonOtherEnte {
			t.Fatalf("other ente: ok %v reason %q", ok, reason)
		}
		// A grant in one ente, and one in the region (every ente).
		if err := a.Grant("op.medea", api.RoleEnteAdmin, "c_l424"); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := b.Decide(ctx, op, "c_l424", api.Perm{Object: "apikey", Action: "create"}); !ok {
			t.Fatal("grant in c_l424 not applied")
		}
		if ok, _, _ := b.Decide(ctx, op, "r_other", api.Perm{Object: "apikey", Action: "create"}); ok {
			t.Fatal("grant in c_l424 leaked to another ente")
		}
		if err := a.RemovePolicy(api.RoleOperator, "own", "audit", "read"); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := b.Decide(ctx, op, "c_f081", read); ok {
			t.Fatal("removed policy still allows")
		}
	})
}

func TestSeedUpgrade(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		a, err := NewAuthorizer(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		rule := DefaultPolicy[0]
		if err := a.RemovePolicy(rule[0], rule[1], rule[2], rule[3]); err != nil {
			t.Fatal(err)
		}
		count := func() int {
			b, err := NewAuthorizer(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			pols, _ := b.Policies()
			return len(pols)
		}
		if got := count(); got != len(DefaultPolicy)-1 {
			t.Fatalf("a restart brought back a removed rule: %d rules", got)
		}
		// An older seed version gets the missing rules again.
		if err := db.Exec("UPDATE casbin_version SET version = 1 WHERE name = 'seed'").Error; err != nil {
			t.Fatal(err)
		}
		if got := count(); got != len(DefaultPolicy) {
			t.Fatalf("after a seed upgrade: %d rules, want %d", got, len(DefaultPolicy))
		}
	})
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := NewSessions(db, time.Hour)
		p := &api.Principal{Subject: "mario.rossi", FiscalCode: "RSSMRA80A01L424F", Role: api.RoleCitizen}
		ses, err := s.Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		got, csrf, err := s.Lookup(ctx, ses.Token)
		if err != nil || csrf != ses.CSRF {
			t.Fatalf("lookup: %v", err)
		}
		if d := cmp.Diff(p, got); d != "" {
			t.Errorf("principal (-want +got):\n%s", d)
		}
		s.now = func() time.Time { return time.Now().UTC().Add(2 * time.Hour) }
		if _, _, err := s.Lookup(ctx, ses.Token); errs.CodeOf(err) != errs.Unauth {
			t.Fatalf("expired session: %v", err)
		}
		s.now = func() time.Time { return time.Now().UTC() }
		if err := s.Close(ctx, ses.Token); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Lookup(ctx, ses.Token); errs.CodeOf(err) != errs.Unauth {
			t.Fatalf("closed session: %v", err)
		}
	})
}

func TestSafeReturn(t *testing.T) {
	for in, want := range map[string]string{"/pratiche/1": "/pratiche/1", "": "/", "//evil.example": "/",
		"https://evil.example": "/", "/\\evil": "/", "/ok\r\nSet-Cookie: x": "/"} {
		if got := safeReturn(in); got != want {
			t.Errorf("safeReturn(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAuditTailCut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		a := NewAudit(db)
		for i := 0; i < 5; i++ {
			if _, err := a.Append(ctx, api.AuditEntry{Subject: "u", Outcome: "allowed", Status: 200}); err != nil {
				t.Fatal(err)
			}
		}
		if broken, err := VerifyAudit(ctx, db); err != nil || broken != 0 {
			t.Fatalf("intact: %d %v", broken, err)
		}
		storetest.Tamper(t, db, "DELETE FROM auth_audit WHERE seq >= 4")
		if broken, err := VerifyAudit(ctx, db); err != nil || broken != 4 {
			t.Fatalf("tail cut: broken %d err %v, want 4", broken, err)
		}
		// A head moved by hand that does not match the last row is a break too.
		// (A head rewound to the exact hash of row 3 would hide the cut: the head
		// is a guard against truncation, not an outside anchor.)
		if err := db.Exec("UPDATE auth_audit_head SET seq = 3, hash = 'forged'").Error; err != nil {
			t.Fatal(err)
		}
		if broken, err := VerifyAudit(ctx, db); err != nil || broken != 4 {
			t.Fatalf("forged head: broken %d err %v, want 4", broken, err)
		}
	})
}
