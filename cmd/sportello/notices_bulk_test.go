package main

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestBulkNoticesThroughTheProgram downloads the notices of Trieste in bulk
// through the real program, as its office does: the zip holds one PDF per
// position of the ente (two spontaneous payments just issued among them), the
// print file is one PDF, and a citizen is refused.
func TestBulkNoticesThroughTheProgram(t *testing.T) {
	p := startDev(t)
	mario := p.token("mario.rossi")
	for i := 0; i < 2; i++ {
		if code := p.call("POST", "/api/payments/spontaneous", mario, map[string]any{"serviceId": "c_l424.mensa", "quantity": 10 + i, "band": "C"}, nil); code != http.StatusCreated {
			t.Fatalf("spontaneous payment: %d", code)
		}
	}
	op := p.token("op.trieste")
	var positions []struct {
		IUPD string `json:"iupd"`
	}
	if code := p.call("GET", "/api/payments/positions?limit=500", op, nil, &positions); code != 200 || len(positions) < 2 {
		t.Fatalf("positions: %d, %d", code, len(positions))
	}
	get := func(path, token string) (int, string, []byte) {
		req, _ := http.NewRequest("GET", p.url(path), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), b
	}
	code, ct, body := get("/api/payments/notices.zip?lang=it", op)
	if code != 200 || ct != "application/zip" {
		t.Fatalf("zip: %d %s %.300s", code, ct, body)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	for _, pos := range positions {
		if !names["avviso-"+pos.IUPD+"-it.pdf"] {
			t.Errorf("no notice of %s in the zip (%d entries)", pos.IUPD, len(zr.File))
		}
	}
	if len(zr.File) != len(positions) {
		t.Errorf("%d entries for %d positions", len(zr.File), len(positions))
	}
	if code, ct, body := get("/api/payments/notices/print?lang=it", op); code != 200 || ct != "application/pdf" || !strings.HasPrefix(string(body), "%PDF-") {
		t.Errorf("print file: %d %s", code, ct)
	}
	if code, _, _ := get("/api/payments/notices.zip", mario); code != http.StatusForbidden {
		t.Errorf("a citizen's bulk download: %d, want 403", code)
	}
}
