package auth_test

import (
	"context"
	"testing"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/api/auth/authtest"
	"github.com/sportello/sportello/api/auth/devidp"
	"github.com/sportello/sportello/store/storetest"
)

// BenchmarkAuthenticate compares the three ways in: a bearer JWT (RS256
// signature check, keys cached), an API key (sha256 + one indexed SELECT) and
// a session cookie (sha256 + one indexed SELECT), on SQLite.
func BenchmarkAuthenticate(b *testing.B) {
	ctx := context.Background()
	env := authtest.Start(b, storetest.SQLite(b))
	tok := env.Token(b, devidp.OpTrieste)
	if _, err := env.Service.OIDC.VerifyBearer(ctx, tok); err != nil {
		b.Fatal(err)
	}
	key, err := env.Service.Keys.Create(ctx, &api.Principal{Subject: "b", Role: api.RoleRegionalAdmin, Ente: api.Region}, "c_l424", api.NewAPIKey{Name: "b", Scopes: []string{"receipt:create"}})
	if err != nil {
		b.Fatal(err)
	}
	ses, err := env.Service.Sessions.Open(ctx, &api.Principal{Subject: "s", Role: api.RoleCitizen})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("bearer-jwt", func(b *testing.B) {
		for b.Loop() {
			if _, err := env.Service.OIDC.VerifyBearer(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("api-key", func(b *testing.B) {
		for b.Loop() {
			if _, err := env.Service.Keys.Authenticate(ctx, key.Secret); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("session-cookie", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := env.Service.Sessions.Lookup(ctx, ses.Token); err != nil {
				b.Fatal(err)
			}
		}
	})
}
