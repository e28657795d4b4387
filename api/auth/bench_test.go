package auth

import (
	"context"
	"testing"
	"time"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/store/storetest"
)

// BenchmarkDecide compares a casbin decision with a plain map lookup (the
// baseline, what a hard-coded table would cost) and with a policy version check
// on every call (Refresh 0, one SELECT per request on SQLite).
func BenchmarkDecide(b *testing.B) {
	ctx := context.Background()
	z, err := NewAuthorizer(ctx, storetest.SQLite(b))
	if err != nil {
		b.Fatal(err)
	}
	op := &api.Principal{Subject: "op.trieste", Role: api.RoleOperator, Ente: "c_l424"}
	perm := api.Perm{Object: "task", Action: "act"}
	table := map[[4]string]bool{{api.RoleOperator, "own", "task", "act"}: true}
	b.Run("map-baseline", func(b *testing.B) {
		for b.Loop() {
			if !table[[4]string{op.Role, "own", perm.Object, perm.Action}] {
				b.Fatal("denied")
			}
		}
	})
	b.Run("casbin", func(b *testing.B) {
		z.Refresh = time.Hour
		for b.Loop() {
			if ok, _, _ := z.Decide(ctx, op, "c_l424", perm); !ok {
				b.Fatal("denied")
			}
		}
	})
	b.Run("casbin-version-check-each-call", func(b *testing.B) {
		z.Refresh = 0
		for b.Loop() {
			if ok, _, _ := z.Decide(ctx, op, "c_l424", perm); !ok {
				b.Fatal("denied")
			}
		}
	})
}

// BenchmarkAuditAppend measures one chained audit row on SQLite.
func BenchmarkAuditAppend(b *testing.B) {
	a := NewAudit(storetest.SQLite(b))
	e := api.AuditEntry{Subject: "op.trieste", Role: api.RoleOperator, Ente: "c_l424", Domain: "c_l424",
		Action: "act", Object: "task", ObjectID: "t1", Method: "POST", Path: "/api/tasks/:id/complete", Outcome: "allowed", Status: 200}
	for b.Loop() {
		if _, err := a.Append(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	}
}
