package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/store"
)

// hostileBodies are request bodies no route may take: each must be refused
// with a 4xx and leave nothing written.
func hostileBodies() []struct{ name, ct, body string } {
	deep := strings.Repeat(`{"a":`, 3000) + "1" + strings.Repeat("}", 3000)
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><lolz>&lol4;</lolz>`
	xxe := `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`
	return []struct{ name, ct, body string }{
		{"empty", "application/json", ""},
		{"null", "application/json", "null"},
		{"array", "application/json", "[]"},
		{"string", "application/json", `"x"`},
		{"huge number", "application/json", `{"amount":1e308,"quantity":-1e308,"version":99999999999999999999}`},
		{"unknown fields", "application/json", `{"zzz":1,"__proto__":{"admin":true}}`},
		{"wrong types", "application/json", `{"service":1,"data":"x","action":[],"name":{},"scopes":"a","day":true,"serviceId":null}`},
		{"duplicate keys", "application/json", `{"action":"approve","action":"reject"}`},
		{"deep nesting", "application/json", deep},
		{"invalid utf-8", "application/json", "{\"name\":\"\xff\xfe\"}"},
		{"nul and bidi", "application/json", `{"name":"a\u0000b\u202e","reason":"\ud800"}`},
		{"huge string", "application/json", `{"name":"` + strings.Repeat("A", 1<<20) + `"}`},
		{"no content type", "", `{"name":"x"}`},
		{"form", "application/x-www-form-urlencoded", "a=1&b=2"},
		{"xxe", "text/xml", xxe},
		{"billion laughs", "text/xml", laughs},
		{"truncated xml", "application/xml", "<a><b>"},
	}
}

// hostileParams fill path parameters with what no real id looks like.
var hostileParams = []string{"x1", "..%2F..%2Fetc%2Fpasswd", "%00", strings.Repeat("z", 3000), "%E2%80%AE%C3%A4", "'%20OR%201%3D1--", "-1", "99999999999999999999"}

// TestHostileCorpus reads the real program's /openapi.json and sends every
// route a generated set of bad requests as each role: none may answer 5xx, and
// the database holds the same rows after as before (the audit log and the
// sessions aside, which record the attempts by design).
func TestHostileCorpus(t *testing.T) {
	p := startDev(t)
	resp, err := http.Get(p.url("/openapi.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	err = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	type route struct{ method, path string }
	var routes []route
	for path, ops := range doc.Paths {
		if strings.HasPrefix(path, "/sim/") || strings.HasPrefix(path, "/idp") || path == "/*" || path == "/{*}" {
			continue // the simulators and the dev identity provider stand in for outside systems
		}
		for m := range ops {
			if m := strings.ToUpper(m); m == "GET" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE" {
				routes = append(routes, route{m, path})
			}
		}
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].path+routes[i].method < routes[j].path+routes[j].method })
	if len(routes) < 50 {
		t.Fatalf("only %d routes in /openapi.json", len(routes))
	}
	// Several tokens per role and several loopback addresses, so the rate
	// limits (which a real client would meet) do not stretch the test.
	roles := []string{"", "mario.rossi", "op.trieste", "admin.trieste", "designer.regione", "admin.regione"}
	tokens := map[string][]string{}
	for _, r := range roles[1:] {
		for range 6 {
			tokens[r] = append(tokens[r], p.token(r))
		}
	}
	before := rowCounts(t, p)

	var mu sync.Mutex
	var sent, fives int
	var failures []string
	var wg sync.WaitGroup
	for ri, role := range roles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := loopbackClient(ri)
			n := 0
			for _, rt := range routes {
				for _, param := range hostileParams {
					path := fillParams(rt.path, param)
					var bodies []struct{ name, ct, body string }
					if rt.method == "GET" || rt.method == "DELETE" {
						bodies = append(bodies, struct{ name, ct, body string }{"no body", "", ""})
					} else if param == hostileParams[0] {
						bodies = hostileBodies()
					} else {
						bodies = hostileBodies()[6:7] // wrong types, with each hostile id
					}
					for _, b := range bodies {
						q := "?limit=-1&offset=99999999999999999999&ente=..%2Fx&day=2026-02-30&status=%00"
						tok := ""
						if role != "" {
							tok = tokens[role][n%len(tokens[role])]
						}
						n++
						code, body := hostileSend(client, p.url(path+q), rt.method, b.ct, b.body, tok)
						mu.Lock()
						sent++
						if code >= 500 {
							fives++
							if len(failures) < 30 {
								failures = append(failures, fmt.Sprintf("%s %s as %q (%s): %d %.200s", rt.method, path, role, b.name, code, body))
							}
						}
						mu.Unlock()
					}
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d routes, %d roles, %d requests, %d answered 5xx", len(routes), len(roles), sent, fives)
	if fives > 0 {
		t.Errorf("5xx answers:\n%s", strings.Join(failures, "\n"))
	}
	after := rowCounts(t, p)
	for table, n := range before {
		if after[table] != n {
			t.Errorf("table %s had %d rows, has %d after refused requests", table, n, after[table])
		}
	}
}

// fillParams puts v in every {param} of an OpenAPI path.
func fillParams(path, v string) string {
	parts := strings.Split(path, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			parts[i] = v
		}
	}
	return strings.Join(parts, "/")
}

// loopbackClient sends from 127.0.0.<2+i>, one address per role.
func loopbackClient(i int) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i))}, Timeout: 10 * time.Second}
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// hostileSend sends one request, waiting out a rate limit so every request
// really reaches its handler.
func hostileSend(c *http.Client, u, method, ct, body, tok string) (int, string) {
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequest(method, u, strings.NewReader(body))
		if err != nil {
			return 0, err.Error()
		}
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := c.Do(req)
		if err != nil {
			return 599, err.Error()
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests && attempt < 20 {
			wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			time.Sleep(time.Duration(max(wait, 1)) * time.Second)
			continue
		}
		return resp.StatusCode, string(b)
	}
}

// rowCounts counts the rows of every table of the program's database, except
// those that record attempts by design (audit, sessions, logins, keys' last use).
func rowCounts(t *testing.T, p *proc) map[string]int64 {
	t.Helper()
	db, err := store.Open(store.SQLite, filepath.Join(p.dir, "sportello.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if s, err := db.DB(); err == nil {
			s.Close()
		}
	}()
	var tables []string
	if err := db.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, tb := range tables {
		switch tb {
		case "auth_audit", "auth_audit_head", "auth_sessions", "auth_logins", "goose_db_version":
			continue
		}
		var n int64
		if err := db.WithContext(context.Background()).Raw(`SELECT COUNT(*) FROM "` + tb + `"`).Scan(&n).Error; err != nil {
			t.Fatalf("count %s: %v", tb, err)
		}
		out[tb] = n
	}
	return out
}
