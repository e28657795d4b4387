package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

// marriageForm is a valid first submission of the marriage in Trieste.
func marriageForm() map[string]any {
	return map[string]any{
		"sposo1":    map[string]any{"nome": "Mario", "cognome": "Rossi", "codiceFiscale": "RSSMRA80A01L424F", "dataNascita": "1980-01-01"},
		"sposo2":    map[string]any{"nome": "Giulia", "cognome": "Bianchi", "codiceFiscale": "BNCGLI85C55L424K", "dataNascita": "1985-03-15"},
		"sala":      "sala-matrimoni",
		"data":      bookableDate(),
		"testimoni": 2,
	}
}

// pinned is what the status API says of the version a pratica runs.
type pinned struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Hash    string `json:"hash"`
}

// startMarriage starts a marriage in Trieste and returns the fee it charges and
// the template version it runs, once its notice is issued.
func (p *proc) startMarriage(citizen string) (id string, fee int64, runs pinned) {
	var started struct {
		ID string `json:"id"`
	}
	if code := p.call("POST", "/api/pratiche", citizen, map[string]any{"service": "c_l424.matrimonio", "data": marriageForm()}, &started); code != http.StatusCreated {
		p.t.Fatalf("start marriage = %d", code)
	}
	p.waitStatus(started.ID, citizen, "payment_pending")
	var d struct {
		Runs  pinned `json:"templateVersion"`
		Extra struct {
			Payments []struct {
				Options []struct {
					Amount int64 `json:"amount"`
				} `json:"options"`
			} `json:"payments"`
		} `json:"extra"`
	}
	p.call("GET", "/api/pratiche/"+started.ID, citizen, nil, &d)
	if len(d.Extra.Payments) != 1 || len(d.Extra.Payments[0].Options) == 0 {
		p.t.Fatalf("payments of %s = %+v", started.ID, d.Extra.Payments)
	}
	return started.ID, d.Extra.Payments[0].Options[0].Amount, d.Runs
}

type overlayState struct {
	Ente        string `json:"ente"`
	Template    string `json:"template"`
	BaseVersion int    `json:"baseVersion"`
	Review      string `json:"review"`
	Problems    []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"problems"`
	Diff *struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"diff"`
}

// TestPublishGoesLive: an ente admin raises the marriage fee in Trieste's
// overlay and publishes it; the next pratica charges the new fee and names the
// new version, while the pratica already running keeps its pinned version. A
// restart changes none of it. A regional publish then moves the compatible overlay at once, and a later one
// that the overlay no longer fits leaves Trieste on its version, marked for review.
func TestPublishGoesLive(t *testing.T) {
	p := startDev(t)
	citizen, admin, designer := p.token("mario.rossi"), p.token("admin.trieste"), p.token("designer.regione")

	before, fee, runs := p.startMarriage(citizen)
	if fee != 15000 || runs.ID != "c_l424.matrimonio" || runs.Version != 1 || runs.Hash == "" {
		t.Errorf("before the change: fee %d, runs %+v; want 15000 on c_l424.matrimonio@1", fee, runs)
	}

	var o map[string]any
	if code := p.call("GET", "/api/modeler/overlays/c_l424/matrimonio", admin, nil, &o); code != http.StatusOK {
		t.Fatalf("get overlay = %d", code)
	}
	o["values"].(map[string]any)["tariffa"] = 18000
	if code := p.call("PUT", "/api/modeler/overlays/c_l424/matrimonio", admin, o, nil); code != http.StatusOK {
		t.Fatalf("save overlay = %d", code)
	}
	var rec struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
		Hash    string `json:"hash"`
	}
	if code := p.call("POST", "/api/modeler/overlays/c_l424/matrimonio/publish", admin, nil, &rec); code != http.StatusOK || rec.Version != 2 {
		t.Fatalf("publish overlay = %d %+v", code, rec)
	}

	_, fee, runs = p.startMarriage(citizen)
	if fee != 18000 || runs.ID != "c_l424.matrimonio" || runs.Version != 2 || runs.Hash != rec.Hash {
		t.Errorf("after the overlay publish: fee %d, runs %+v; want 18000 on c_l424.matrimonio@2 (%s)", fee, runs, rec.Hash)
	}
	// A restart (the demo seed runs again) takes back nothing the admin published.
	p.kill()
	p.start()
	citizen, admin, designer = p.token("mario.rossi"), p.token("admin.trieste"), p.token("designer.regione")
	if _, fee, runs = p.startMarriage(citizen); fee != 18000 || runs.Version != 2 {
		t.Errorf("after a restart: fee %d, runs %+v; want 18000 on version 2", fee, runs)
	}
	var old struct {
		Runs pinned `json:"templateVersion"`
	}
	if p.call("GET", "/api/pratiche/"+before, citizen, nil, &old); old.Runs.Version != 1 {
		t.Errorf("the pratica in flight moved to %+v, want it pinned on version 1", old.Runs)
	}

	// A compatible regional change (a longer due period) reaches Trieste at once.
	regional := func(change func(doc map[string]any)) (version int) {
		var cur struct {
			Version  int            `json:"version"`
			Document map[string]any `json:"document"`
		}
		var versions []struct {
			Version int    `json:"version"`
			Status  string `json:"status"`
		}
		p.call("GET", "/api/modeler/templates/matrimonio/versions", designer, nil, &versions)
		for _, v := range versions {
			if v.Status == "published" && v.Version > cur.Version {
				cur.Version = v.Version
			}
		}
		if code := p.call("GET", "/api/modeler/templates/matrimonio/versions/"+itoa(cur.Version), designer, nil, &cur); code != http.StatusOK {
			t.Fatalf("get regional template = %d", code)
		}
		change(cur.Document)
		if code := p.call("PUT", "/api/modeler/templates/matrimonio", designer, cur.Document, nil); code != http.StatusOK {
			t.Fatalf("save regional draft = %d", code)
		}
		var pub struct {
			Version int `json:"version"`
		}
		if code := p.call("POST", "/api/modeler/templates/matrimonio/publish", designer, nil, &pub); code != http.StatusOK {
			t.Fatalf("publish regional = %d", code)
		}
		return pub.Version
	}
	step := func(doc map[string]any, id string) map[string]any {
		for _, s := range doc["steps"].([]any) {
			if s.(map[string]any)["id"] == id {
				return s.(map[string]any)
			}
		}
		t.Fatalf("no step %s", id)
		return nil
	}
	v2 := regional(func(doc map[string]any) { step(doc, "pagamento")["payment"].(map[string]any)["dueDays"] = 15 })
	if v2 != 2 {
		t.Fatalf("regional version = %d, want 2", v2)
	}
	_, fee, runs = p.startMarriage(citizen)
	if fee != 18000 || runs.ID != "c_l424.matrimonio" || runs.Version != 3 {
		t.Errorf("after a compatible regional publish: fee %d, runs %+v; want 18000 on c_l424.matrimonio@3", fee, runs)
	}
	var list []overlayState
	if p.call("GET", "/api/modeler/overlays/c_l424", admin, nil, &list); len(list) != 1 || list[0].BaseVersion != 2 || list[0].Review != "" {
		t.Errorf("overlay after a compatible publish = %+v, want base 2 and no review", list)
	}

	// A regional change the overlay no longer fits (a fee cap below Trieste's
	// fee): Trieste stays on its version and its admin sees why.
	v3 := regional(func(doc map[string]any) {
		for _, pr := range doc["params"].([]any) {
			if pr.(map[string]any)["name"] == "tariffa" {
				pr.(map[string]any)["max"] = 16000
			}
		}
	})
	_, fee, runs = p.startMarriage(citizen)
	if fee != 18000 || runs.Version != 3 {
		t.Errorf("after an incompatible regional publish: fee %d, runs %+v; want Trieste kept on 18000 @3", fee, runs)
	}
	list = nil
	if code := p.call("GET", "/api/modeler/overlays/c_l424", admin, nil, &list); code != http.StatusOK || len(list) != 1 {
		t.Fatalf("the ente's overlays = %d %+v", code, list)
	}
	got := list[0]
	if got.Review != "needs_review" || got.BaseVersion != 2 || len(got.Problems) == 0 || got.Problems[0].Field != "/values/tariffa" {
		t.Errorf("overlay after an incompatible publish = %+v, want needs_review on base 2 naming /values/tariffa", got)
	}
	if got.Diff == nil || got.Diff.To != "matrimonio@"+itoa(v3) {
		t.Errorf("review diff = %+v, want one against matrimonio@%d", got.Diff, v3)
	}
	b, _ := json.Marshal(got)
	t.Logf("needs review: %s", b)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
