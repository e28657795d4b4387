package ui

import (
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
)

// TestFormsBundle checks the forms bundle `make ui` committed
// (vendor/forms): present with its licence, runnable under the portal's CSP
// (no eval, no new Function), no source map; its package pinned to an exact
// version; and every module the form renderer imports embedded.
func TestFormsBundle(t *testing.T) {
	root, err := fs.Sub(static, "static")
	if err != nil {
		t.Fatal(err)
	}
	js, err := fs.ReadFile(root, "vendor/forms/json-schema.js")
	if err != nil {
		t.Fatalf("the forms bundle is missing (run make ui): %v", err)
	}
	for _, bad := range []string{"new Function", "eval(", "sourceMappingURL"} {
		if strings.Contains(string(js), bad) {
			t.Errorf("vendor/forms/json-schema.js contains %q", bad)
		}
	}
	lic, err := fs.ReadFile(root, "vendor/forms/LICENSE-cfworker-json-schema.txt")
	if err != nil || !strings.Contains(string(lic), "MIT License") {
		t.Errorf("the forms bundle's licence is missing or not MIT: %v", err)
	}

	b, err := os.ReadFile("build/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	if v := pkg.Dependencies["@cfworker/json-schema"]; !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(v) {
		t.Errorf("@cfworker/json-schema is %q in ui/build/package.json, want an exact version", v)
	}

	imports := regexp.MustCompile(`(?m)^import .* from '(\.[^']+)';`)
	for _, src := range []string{"form.js", "forms/validate.js", "forms/formats.js", "forms/messages.js", "forms/readonly.js"} {
		code, err := fs.ReadFile(root, src)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		for _, m := range imports.FindAllStringSubmatch(string(code), -1) {
			p := path.Join(path.Dir(src), m[1])
			if _, err := fs.Stat(root, p); err != nil {
				t.Errorf("%s imports %s: %v", src, m[1], err)
			}
		}
	}
}
