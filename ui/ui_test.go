package ui

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestHandlerRoutes(t *testing.T) {
	files := fstest.MapFS{
		"index.html":    {Data: []byte(`<script type="module" src="{{ASSETS}}/app.js"></script>`)},
		"app.js":        {Data: []byte(`import './views/a.js';`)},
		"views/a.js":    {Data: []byte(`export const a = 1;`)},
		"style.css":     {Data: []byte(`body{}`)},
		"favicon.svg":   {Data: []byte(`<svg/>`)},
		"vendor/x.json": {Data: []byte(`{}`)},
	}
	h, err := newHandler(files)
	if err != nil {
		t.Fatal(err)
	}
	v := h.Version()
	index := `<script type="module" src="/assets/` + v + `/app.js"></script>`
	type got struct {
		Status       int
		ContentType  string
		CacheControl string
		Body         string
	}
	long := "public, max-age=31536000, immutable"
	for _, tc := range []struct {
		name, method, path string
		want               got
	}{
		{"index", "GET", "/", got{200, "text/html; charset=utf-8", "no-cache", index}},
		{"deep link", "GET", "/pratiche/5a223009", got{200, "text/html; charset=utf-8", "no-cache", index}},
		{"deep link with a dotted id", "GET", "/servizi/c_l424.matrimonio", got{200, "text/html; charset=utf-8", "no-cache", index}},
		{"head of a deep link", "HEAD", "/servizi", got{200, "text/html; charset=utf-8", "no-cache", ""}},
		{"module", "GET", "/assets/" + v + "/app.js", got{200, "text/javascript; charset=utf-8", long, `import './views/a.js';`}},
		{"nested module", "GET", "/assets/" + v + "/views/a.js", got{200, "text/javascript; charset=utf-8", long, `export const a = 1;`}},
		{"stylesheet", "GET", "/assets/" + v + "/style.css", got{200, "text/css; charset=utf-8", long, `body{}`}},
		{"svg", "GET", "/assets/" + v + "/favicon.svg", got{200, "image/svg+xml", long, `<svg/>`}},
		{"json", "GET", "/assets/" + v + "/vendor/x.json", got{200, "application/json", long, `{}`}},
		{"stale hash", "GET", "/assets/0123456789abcdef/app.js", got{404, "text/plain; charset=utf-8", "no-store", "404 page not found\n"}},
		{"missing asset", "GET", "/assets/" + v + "/nope.js", got{404, "text/plain; charset=utf-8", "no-store", "404 page not found\n"}},
		{"index is not an asset", "GET", "/assets/" + v + "/index.html", got{404, "text/plain; charset=utf-8", "no-store", "404 page not found\n"}},
		{"traversal", "GET", "/assets/" + v + "/../index.html", got{404, "text/plain; charset=utf-8", "no-store", "404 page not found\n"}},
		{"old script at the root", "GET", "/app.js", got{404, "text/plain; charset=utf-8", "no-store", "404 page not found\n"}},
		{"unknown file at the root", "GET", "/favicon.ico", got{404, "text/plain; charset=utf-8", "no-store", "404 page not found\n"}},
		{"unknown API route", "GET", "/api/nope", got{404, "application/json", "no-store",
			`{"error":{"code":"not_found","message":"no such route / percorso inesistente"}}`}},
		{"unknown API method", "POST", "/api/pratiche/x/nope", got{404, "application/json", "no-store",
			`{"error":{"code":"not_found","message":"no such route / percorso inesistente"}}`}},
		{"simulator path", "GET", "/sim/nope", got{404, "text/plain; charset=utf-8", "no-store", "404 page not found\n"}},
		{"post to a page", "POST", "/servizi", got{405, "text/plain; charset=utf-8", "", "method not allowed\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
			g := got{rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control"), rec.Body.String()}
			if diff := cmp.Diff(tc.want, g); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", tc.method, tc.path, diff)
			}
		})
	}

	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/assets/"+v+"/app.js", nil)
	req.Header.Set("If-None-Match", `"`+v+`"`)
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("revalidation with the ETag: status %d, want 304", rec.Code)
	}
}

func TestVersionFollowsContent(t *testing.T) {
	a, _ := newHandler(fstest.MapFS{"index.html": {Data: []byte("x")}, "app.js": {Data: []byte("1")}})
	b, _ := newHandler(fstest.MapFS{"index.html": {Data: []byte("x")}, "app.js": {Data: []byte("2")}})
	c, _ := newHandler(fstest.MapFS{"index.html": {Data: []byte("x")}, "app.js": {Data: []byte("1")}})
	if a.Version() == b.Version() || a.Version() != c.Version() {
		t.Errorf("versions %s %s %s: want a change with the content only", a.Version(), b.Version(), c.Version())
	}
}

var (
	importRe = regexp.MustCompile(`(?m)^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'`)
	assetRe  = regexp.MustCompile(`\{\{ASSETS\}\}/([^"]+)"`)
)

// TestEmbeddedAssetsResolve checks the real portal: every file index.html links
// and every module a module imports is embedded, so a typo fails here and not
// in a citizen's browser.
func TestEmbeddedAssetsResolve(t *testing.T) {
	root, err := fs.Sub(static, "static")
	if err != nil {
		t.Fatal(err)
	}
	idx, err := fs.ReadFile(root, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	links := assetRe.FindAllStringSubmatch(string(idx), -1)
	if len(links) < 3 {
		t.Fatalf("index.html links %d assets, want the icon, the stylesheet and app.js", len(links))
	}
	for _, m := range links {
		if _, err := fs.Stat(root, m[1]); err != nil {
			t.Errorf("index.html links %s: %v", m[1], err)
		}
	}
	modules := 0
	err = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".js") || strings.HasPrefix(p, "vendor/") {
			return err
		}
		modules++
		b, _ := fs.ReadFile(root, p)
		for _, m := range importRe.FindAllStringSubmatch(string(b), -1) {
			spec := m[1] + m[2]
			if !strings.HasPrefix(spec, ".") {
				t.Errorf("%s imports %q: only relative modules are served", p, spec)
				continue
			}
			target := path.Join(path.Dir(p), spec)
			if _, err := fs.Stat(root, target); err != nil {
				t.Errorf("%s imports %s (%s): not embedded", p, spec, target)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if modules < 8 {
		t.Errorf("found %d modules, want the app's 8 or more", modules)
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/pratiche/x", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "/assets/") || strings.Contains(rec.Body.String(), "{{ASSETS}}") {
		t.Errorf("embedded index: %d %s", rec.Code, rec.Body.String())
	}
}
