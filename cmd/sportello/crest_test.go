package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// TestCrestFromCatalog: the portal's header shows each ente's crest from the
// catalog. Anyone may fetch it (Trieste's seeded one, the generic shield for
// an ente without one); Trieste's administrator replaces it with a PNG; an SVG
// with a script or a link outside, or a crest of another ente, is refused.
func TestCrestFromCatalog(t *testing.T) {
	p := startDev(t)
	code, body, h := p.fetch("GET", "/api/catalog/enti/c_l424/crest", "", "", nil)
	if code != http.StatusOK || h.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(body, []byte("<title>Trieste</title>")) {
		t.Fatalf("Trieste's crest = %d %s %.80s", code, h.Get("Content-Type"), body)
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") || h.Get("ETag") == "" {
		t.Errorf("crest headers: %v", h)
	}
	if code, _, _ := p.fetch("GET", "/api/catalog/enti/c_l424/crest", "", "", nil); code != http.StatusOK {
		t.Errorf("second read = %d", code)
	}
	_, generic, _ := p.fetch("GET", "/api/catalog/enti/c_l483/crest", "", "", nil)
	if bytes.Equal(generic, body) || !bytes.Contains(generic, []byte("<svg")) {
		t.Errorf("Udine has no crest: want the generic shield, got %.80s", generic)
	}
	if code, _, _ := p.fetch("GET", "/api/catalog/enti/c_x999/crest", "", "", nil); code != http.StatusNotFound {
		t.Errorf("crest of an unknown ente = %d, want 404", code)
	}

	admin := p.token("admin.trieste")
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 48, 56))
	img.Set(10, 10, color.RGBA{R: 200, A: 255})
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`,
		`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://example.org/x.png"/></svg>`,
		`<html><body>not a crest</body></html>`,
	} {
		code, out, _ := p.fetch("PUT", "/api/catalog/enti/c_l424/crest", admin, "image/svg+xml", []byte(bad))
		if code != http.StatusUnprocessableEntity || !strings.Contains(string(out), `"field":"crest"`) {
			t.Errorf("PUT %q = %d %s, want 422 naming crest", bad, code, out)
		}
	}
	if code, out, _ := p.fetch("PUT", "/api/catalog/enti/c_f081/crest", admin, "image/png", buf.Bytes()); code != http.StatusForbidden {
		t.Errorf("Trieste's admin on Medea's crest = %d %s, want 403", code, out)
	}
	if code, out, _ := p.fetch("PUT", "/api/catalog/enti/c_l424/crest", admin, "image/png", buf.Bytes()); code != http.StatusOK {
		t.Fatalf("PUT png = %d %s", code, out)
	}
	code, got, h := p.fetch("GET", "/api/catalog/enti/c_l424/crest", "", "", nil)
	if code != http.StatusOK || h.Get("Content-Type") != "image/png" || !bytes.Equal(got, buf.Bytes()) {
		t.Errorf("after the PUT: %d %s, %d bytes", code, h.Get("Content-Type"), len(got))
	}
	// A restart seeds again, but keeps the crest the ente uploaded.
	p.kill()
	p.start()
	if _, again, _ := p.fetch("GET", "/api/catalog/enti/c_l424/crest", "", "", nil); !bytes.Equal(again, buf.Bytes()) {
		t.Errorf("the restart replaced the uploaded crest")
	}
}
