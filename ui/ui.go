// Package ui is Sportello's web portal for citizens, operators, designers and
// the region: a single-page app of plain ES modules and CSS, embedded in the
// binary, so `sportello dev` needs no Node build step.
//
// Assets are served under /assets/<hash>/, where hash covers every embedded
// file: their URLs change whenever any file does, so browsers may cache them
// for a year, while index.html is revalidated on every load.
package ui

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
)

//go:embed static
var static embed.FS

// AssetsPrefix is where the hashed assets live.
const AssetsPrefix = "/assets/"

// backend lists the paths the API and the simulators own: an unknown path under
// them is a 404, never the portal's index.
var backend = []string{"/api/", "/auth/", "/idp/", "/sim/", "/openapi.json", "/healthz", "/readyz", "/metrics"}

// fileExt are the extensions of files a browser asks for on its own or by an
// old link; a page path with them is not a deep link.
var fileExt = map[string]bool{".ico": true, ".png": true, ".jpg": true, ".svg": true, ".js": true, ".mjs": true,
	".css": true, ".map": true, ".txt": true, ".json": true, ".xml": true, ".html": true, ".webmanifest": true}

// Handler serves the portal: hashed assets with a long cache, and index.html
// for every other non-API GET so deep links like /pratiche/<id> work.
func Handler() http.Handler {
	root, err := fs.Sub(static, "static")
	if err != nil {
		panic("ui: embedded static folder missing: " + err.Error())
	}
	h, err := newHandler(root)
	if err != nil {
		panic("ui: " + err.Error())
	}
	return h
}

type handler struct {
	files   fs.FS
	version string // content hash of every file
	index   []byte // index.html with the assets base filled in
}

func newHandler(files fs.FS) (*handler, error) {
	sum := sha256.New()
	var names []string
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(files, n)
		if err != nil {
			return nil, err
		}
		sum.Write([]byte(n + "\x00"))
		sum.Write(b)
	}
	h := &handler{files: files, version: hex.EncodeToString(sum.Sum(nil))[:16]}
	idx, err := fs.ReadFile(files, "index.html")
	if err != nil {
		return nil, err
	}
	h.index = bytes.ReplaceAll(idx, []byte("{{ASSETS}}"), []byte(AssetsPrefix+h.version))
	return h, nil
}

// Version is the content hash in the assets' URLs.
func (h *handler) Version() string { return h.version }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p == "" {
		p = "/"
	}
	for _, b := range backend {
		if strings.HasPrefix(p, b) || p+"/" == b {
			notFound(w, r)
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if strings.HasPrefix(p, AssetsPrefix) {
		h.asset(w, r, strings.TrimPrefix(p, AssetsPrefix))
		return
	}
	if fileExt[path.Ext(p)] {
		// A file name that is not an asset (favicon.ico, robots.txt, a stale
		// script): a 404 tells the browser, where the index would be parsed as
		// the wrong type. Other dots are ids, as in /servizi/c_l424.matrimonio.
		notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(h.index)
	}
}

func (h *handler) asset(w http.ResponseWriter, r *http.Request, rest string) {
	version, name, ok := strings.Cut(rest, "/")
	if !ok || version != h.version || name == "" || name == "index.html" || !fs.ValidPath(name) {
		notFound(w, r)
		return
	}
	b, err := fs.ReadFile(h.files, name)
	if err != nil {
		notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", contentType(name))
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("ETag", `"`+h.version+`"`)
	if r.Header.Get("If-None-Match") == `"`+h.version+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(b)
	}
}

// contentType names the types the portal ships; JavaScript modules must be
// served as JavaScript or the browser refuses them.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".json":
		return "application/json"
	case ".html":
		return "text/html; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".woff2":
		return "font/woff2"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func notFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":{"code":"not_found","message":"no such route / percorso inesistente"}}`))
		return
	}
	http.Error(w, "404 page not found", http.StatusNotFound)
}
