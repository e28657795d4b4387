package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// No container engine runs here, so deploy/ is checked statically: every file
// parses, every SPORTELLO_* variable is a setting of Config, the images and
// commands are ours, and the ports are the server's.

func knownEnv() map[string]bool {
	m := map[string]bool{}
	for _, s := range settings() {
		m[s.env] = true
	}
	return m
}

func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []map[string]any
	for {
		var d map[string]any
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if d != nil {
			docs = append(docs, d)
		}
	}
	return docs
}

var envName = regexp.MustCompile(`SPORTELLO_[A-Z0-9_]+`)

func TestDeployEnvNamesAreSettings(t *testing.T) {
	known := knownEnv()
	files, _ := filepath.Glob("../../deploy/*.yaml")
	k8s, _ := filepath.Glob("../../deploy/k8s/*.yaml")
	files = append(files, k8s...)
	if len(files) < 4 {
		t.Fatalf("deploy files = %v", files)
	}
	for _, f := range files {
		docs := yamlDocs(t, f)
		var keys []string
		collectEnvKeys(docs, &keys)
		for _, k := range keys {
			if strings.HasPrefix(k, "SPORTELLO_") && !known[k] && k != "SPORTELLO_DB_PASSWORD" {
				t.Errorf("%s: %s is not a setting of Config", f, k)
			}
		}
	}
}

// collectEnvKeys gathers the names of environment variables: map keys under
// environment/data/stringData and "name" fields of env lists.
func collectEnvKeys(v any, out *[]string) {
	switch x := v.(type) {
	case []map[string]any:
		for _, d := range x {
			collectEnvKeys(d, out)
		}
	case map[string]any:
		for k, val := range x {
			if envName.MatchString(k) {
				*out = append(*out, k)
			}
			if k == "name" {
				if s, ok := val.(string); ok && envName.MatchString(s) {
					*out = append(*out, s)
				}
			}
			collectEnvKeys(val, out)
		}
	case []any:
		for _, e := range x {
			collectEnvKeys(e, out)
		}
	}
}

func TestComposeServices(t *testing.T) {
	docs := yamlDocs(t, "../../deploy/compose.yaml")
	services, _ := docs[0]["services"].(map[string]any)
	var names []string
	for n := range services {
		names = append(names, n)
	}
	sort.Strings(names)
	want := []string{"migrate", "postgresql", "server", "temporal", "temporal-namespace", "temporal-schema", "temporal-ui", "worker"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("services = %v, want %v", names, want)
	}
	for _, n := range []string{"server", "worker", "migrate"} {
		s := services[n].(map[string]any)
		if img := s["image"]; img != "sportello:latest" {
			t.Errorf("%s image = %v", n, img)
		}
		cmd := s["command"].([]any)
		if cmd[0] != n {
			t.Errorf("%s command = %v, want the %s subcommand", n, cmd, n)
		}
		env := s["environment"].(map[string]any)
		for _, must := range []string{"SPORTELLO_DB_DRIVER", "SPORTELLO_DB_DSN", "SPORTELLO_TEMPORAL_ADDRESS"} {
			if _, ok := env[must]; !ok {
				t.Errorf("%s: %s not set", n, must)
			}
		}
	}
	server := services["server"].(map[string]any)
	if addr := server["environment"].(map[string]any)["SPORTELLO_HTTP_ADDR"]; addr != ":8080" {
		t.Errorf("server SPORTELLO_HTTP_ADDR = %v", addr)
	}
	if ports := server["ports"].([]any); ports[0] != "8080:8080" {
		t.Errorf("server ports = %v", ports)
	}
	if r := services["worker"].(map[string]any)["deploy"].(map[string]any)["replicas"]; r.(int) < 2 {
		t.Errorf("worker replicas = %v, want several", r)
	}
	// Temporal's maintained images (auto-setup is deprecated), at the version of
	// the server module the embedded default runs.
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`go\.temporal\.io/server v(\S+)`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod: no go.temporal.io/server")
	}
	for n, img := range map[string]string{"temporal": "temporalio/server:", "temporal-schema": "temporalio/admin-tools:", "temporal-namespace": "temporalio/admin-tools:"} {
		if got := services[n].(map[string]any)["image"]; got != img+string(m[1]) {
			t.Errorf("%s image = %v, want %s%s", n, got, img, m[1])
		}
	}
	hc := server["healthcheck"].(map[string]any)["test"].([]any)
	if len(hc) < 3 || hc[2] != "healthcheck" {
		t.Errorf("server healthcheck = %v, want `sportello healthcheck` (it asks /readyz)", hc)
	}
}

func TestKubernetesManifests(t *testing.T) {
	kinds := map[string]int{}
	for _, f := range []string{"config.yaml", "migrate.yaml", "server.yaml", "worker.yaml"} {
		for _, d := range yamlDocs(t, filepath.Join("../../deploy/k8s", f)) {
			kind, _ := d["kind"].(string)
			kinds[kind]++
			if d["apiVersion"] == nil || d["metadata"] == nil {
				t.Errorf("%s: %s without apiVersion or metadata", f, kind)
			}
			if kind != "Deployment" && kind != "Job" {
				continue
			}
			spec := d["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
			c := spec["containers"].([]any)[0].(map[string]any)
			if !strings.Contains(c["image"].(string), "sportello") {
				t.Errorf("%s: image %v", f, c["image"])
			}
			arg := c["args"].([]any)[0].(string)
			if arg != "server" && arg != "worker" && arg != "migrate" {
				t.Errorf("%s: args %v", f, c["args"])
			}
			if arg == "server" {
				port := c["ports"].([]any)[0].(map[string]any)["containerPort"]
				if port != 8080 {
					t.Errorf("server containerPort = %v, want 8080", port)
				}
				for _, probe := range []string{"readinessProbe", "livenessProbe"} {
					if _, ok := c[probe]; !ok {
						t.Errorf("server has no %s", probe)
					}
				}
			}
		}
	}
	for _, k := range []string{"ConfigMap", "Secret", "Job", "Deployment", "Service"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in deploy/k8s", k)
		}
	}
	if kinds["Deployment"] != 2 {
		t.Errorf("deployments = %d, want server and worker", kinds["Deployment"])
	}
}
