package api

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestEntePatronDayIsMasterData: the patron saint's day is part of the ente's
// master data, seeded for the demo enti and edited through the ente API.
func TestEntePatronDayIsMasterData(t *testing.T) {
	cc := newCatalogClient(t)
	get := func() (map[string]any, string) {
		rec := cc.do(http.MethodGet, "/api/catalog/enti/c_l424", "")
		if rec.Code != http.StatusOK {
			t.Fatalf("get ente: %d %s", rec.Code, rec.Body)
		}
		var e map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		return e, rec.Header().Get("ETag")
	}
	e, etag := get()
	if e["patronDay"] != "11-03" {
		t.Fatalf("seeded patronDay of Trieste = %v, want 11-03 (San Giusto)", e["patronDay"])
	}
	put := func(day string) (int, string) {
		e["patronDay"] = day
		delete(e, "revision")
		delete(e, "updatedAt")
		b, _ := json.Marshal(e)
		rec := cc.do(http.MethodPut, "/api/catalog/enti/c_l424", string(b), "If-Match", etag)
		f := ""
		if ee := errorOf(rec); len(ee.Fields) > 0 {
			f = ee.Fields[0].Field
		}
		return rec.Code, f
	}
	for _, bad := range []string{"02-30", "13-01", "3-11", "11/03"} {
		if code, field := put(bad); code != http.StatusUnprocessableEntity || field != "patronDay" {
			t.Errorf("patronDay %q: %d naming %q, want 422 naming patronDay", bad, code, field)
		}
	}
	if code, _ := put("11-04"); code != http.StatusOK {
		t.Fatalf("edit patronDay: %d", code)
	}
	if e, _ := get(); e["patronDay"] != "11-04" {
		t.Errorf("patronDay after edit = %v, want 11-04", e["patronDay"])
	}
}
