package ui

import (
	"io/fs"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestVendoredAssets checks what `make ui` committed: the Bootstrap Italia
// stylesheet (small, no source map, no font from elsewhere), each Titillium
// Web face it names, the licences beside them, the icons and the crest the
// portal's code uses; and that the server gives fonts their type.
func TestVendoredAssets(t *testing.T) {
	root, err := fs.Sub(static, "static")
	if err != nil {
		t.Fatal(err)
	}
	css, err := fs.ReadFile(root, "vendor/bootstrap-italia.css")
	if err != nil {
		t.Fatalf("the vendored stylesheet is missing (run make ui): %v", err)
	}
	if n := len(css); n > 150<<10 {
		t.Errorf("bootstrap-italia.css is %d bytes: the purge keeps too much", n)
	}
	for _, bad := range []string{"sourceMappingURL", "@import", `url(http`, `url("http`, `url(//`, `url("//`} {
		if strings.Contains(string(css), bad) {
			t.Errorf("bootstrap-italia.css contains %q", bad)
		}
	}
	fonts := regexp.MustCompile(`url\("?(fonts/[^")]+)"?\)`).FindAllStringSubmatch(string(css), -1)
	if len(fonts) < 3 || !strings.Contains(string(css), "Titillium Web") {
		t.Fatalf("the stylesheet names %d font files, want the Titillium Web faces", len(fonts))
	}
	for _, f := range fonts {
		if _, err := fs.Stat(root, "vendor/"+f[1]); err != nil {
			t.Errorf("font %s: %v", f[1], err)
		}
	}
	for _, l := range []string{"vendor/LICENSE-bootstrap-italia.txt", "vendor/fonts/OFL.txt"} {
		if b, err := fs.ReadFile(root, l); err != nil || len(b) < 500 {
			t.Errorf("licence %s missing or empty: %v", l, err)
		}
	}

	sprite, err := fs.ReadFile(root, "vendor/sprites.svg")
	if err != nil {
		t.Fatal(err)
	}
	iconRe := regexp.MustCompile(`[iI]con\('(it-[a-z0-9-]+)'`)
	crestRe := regexp.MustCompile(`assetURL\('(crests/[a-z_]+\.svg)'\)`)
	err = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") {
			return err
		}
		b, _ := fs.ReadFile(root, p)
		for _, m := range iconRe.FindAllStringSubmatch(string(b), -1) {
			if !strings.Contains(string(sprite), `id="`+m[1]+`"`) {
				t.Errorf("%s uses icon %s, not in vendor/sprites.svg", p, m[1])
			}
		}
		// The enti's crests come from the catalog; the portal ships the Region's.
		if p == "layout.js" {
			m := crestRe.FindAllStringSubmatch(string(b), -1)
			if len(m) == 0 {
				t.Fatal("layout.js names no shipped crest")
			}
			for _, c := range m {
				if _, err := fs.Stat(root, c[1]); err != nil {
					t.Errorf("crest %s: %v", c[1], err)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	h, err := newHandler(root)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", AssetsPrefix+h.Version()+"/"+"vendor/"+fonts[0][1], nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "font/woff2" {
		t.Errorf("font served with %d %q, want 200 font/woff2", rec.Code, rec.Header().Get("Content-Type"))
	}
}
