package main

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sportello/sportello/store"
)

// The deploy files as a container engine reads them: compose's variables
// expanded, each role's environment gathered from the file.

var composeVar = regexp.MustCompile(`\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}`)

// composeInterpolate expands ${VAR}, ${VAR:-default}, ${VAR-default},
// ${VAR:?message} and ${VAR?message} from vars, as docker compose does.
func composeInterpolate(s string, vars map[string]string) (string, error) {
	var err error
	out := composeVar.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$$" {
			return "$"
		}
		g := composeVar.FindStringSubmatch(m)
		v, set := vars[g[1]]
		missing := !set || (strings.HasPrefix(g[2], ":") && v == "")
		switch strings.TrimPrefix(g[2], ":") {
		case "-":
			if missing {
				return g[3]
			}
		case "?":
			if missing && err == nil {
				err = fmt.Errorf("required variable %s is missing a value: %s", g[1], g[3])
			}
		}
		return v
	})
	return out, err
}

// composeService returns a service of deploy/compose.yaml with its variables
// expanded from vars, and its environment as strings.
func composeService(t *testing.T, name string, vars map[string]string) (map[string]any, map[string]string, error) {
	t.Helper()
	svc, _ := yamlDocs(t, "../../deploy/compose.yaml")[0]["services"].(map[string]any)[name].(map[string]any)
	if svc == nil {
		t.Fatalf("compose: no service %s", name)
	}
	env := map[string]string{}
	var errs []error
	for k, v := range svc["environment"].(map[string]any) {
		s, err := composeInterpolate(fmt.Sprint(v), vars)
		if err != nil {
			errs = append(errs, fmt.Errorf("service %s, %s: %w", name, k, err))
		}
		env[k] = s
	}
	return svc, env, errors.Join(errs...)
}

// layout is one deploy file's containers: the environment of each role and
// how many replicas it asks for.
type layout struct {
	env      map[string]map[string]string
	replicas map[string]int
	health   []string // the server's healthcheck command, when the file has one
	ready    string   // the path the server's readiness is checked on
}

func composeLayout(t *testing.T, vars map[string]string) layout {
	l := layout{env: map[string]map[string]string{}, replicas: map[string]int{}, ready: "/readyz"}
	for _, role := range []string{"migrate", "server", "worker"} {
		svc, env, err := composeService(t, role, vars)
		if err != nil {
			t.Fatal(err)
		}
		l.env[role], l.replicas[role] = env, 1
		if d, ok := svc["deploy"].(map[string]any); ok {
			l.replicas[role] = d["replicas"].(int)
		}
		if hc, ok := svc["healthcheck"].(map[string]any); ok {
			for _, a := range hc["test"].([]any)[1:] {
				l.health = append(l.health, fmt.Sprint(a))
			}
		}
	}
	return l
}

func k8sLayout(t *testing.T) layout {
	l := layout{env: map[string]map[string]string{}, replicas: map[string]int{}}
	shared := map[string]map[string]string{}
	for _, d := range yamlDocs(t, "../../deploy/k8s/config.yaml") {
		data, _ := d["data"].(map[string]any)
		if data == nil {
			data, _ = d["stringData"].(map[string]any)
		}
		m := map[string]string{}
		for k, v := range data {
			m[k] = fmt.Sprint(v)
		}
		shared[d["kind"].(string)+"/"+d["metadata"].(map[string]any)["name"].(string)] = m
	}
	for _, f := range []string{"migrate.yaml", "server.yaml", "worker.yaml"} {
		for _, d := range yamlDocs(t, filepath.Join("../../deploy/k8s", f)) {
			if d["kind"] != "Deployment" && d["kind"] != "Job" {
				continue
			}
			spec := d["spec"].(map[string]any)
			c := spec["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
			role := c["args"].([]any)[0].(string)
			env := map[string]string{}
			for _, from := range c["envFrom"].([]any) {
				for k, ref := range from.(map[string]any) {
					kind := map[string]string{"configMapRef": "ConfigMap", "secretRef": "Secret"}[k]
					src, ok := shared[kind+"/"+ref.(map[string]any)["name"].(string)]
					if !ok {
						t.Fatalf("%s: envFrom %s %v is not in config.yaml", f, k, ref)
					}
					for k, v := range src {
						env[k] = v
					}
				}
			}
			if list, ok := c["env"].([]any); ok {
				for _, e := range list {
					e := e.(map[string]any)
					env[e["name"].(string)] = fmt.Sprint(e["value"])
				}
			}
			l.env[role], l.replicas[role] = env, 1
			if r, ok := spec["replicas"].(int); ok {
				l.replicas[role] = r
			}
			if p, ok := c["readinessProbe"].(map[string]any); ok {
				l.ready = p["httpGet"].(map[string]any)["path"].(string)
			}
		}
	}
	return l
}

// standIns points what names another container or cluster service at the
// local stand-ins, after checking it names what the layout runs beside
// Sportello; every other setting is the file's own. It returns what it changed.
func standIns(t *testing.T, env map[string]string, dbHost, temporalHost string, local map[string]string) []string {
	t.Helper()
	u, err := url.Parse(env["SPORTELLO_DB_DSN"])
	if err != nil || u.Hostname() != dbHost || env["SPORTELLO_DB_DRIVER"] != store.Postgres {
		t.Fatalf("database: %s %s, want postgres at %s", env["SPORTELLO_DB_DRIVER"], u, dbHost)
	}
	if a := env["SPORTELLO_TEMPORAL_ADDRESS"]; a != temporalHost+":7233" {
		t.Fatalf("SPORTELLO_TEMPORAL_ADDRESS = %q, want %s:7233", a, temporalHost)
	}
	if a, ok := env["SPORTELLO_HTTP_ADDR"]; ok && a != ":8080" {
		t.Fatalf("SPORTELLO_HTTP_ADDR = %q, want :8080 (the port the files expose)", a)
	}
	var changed []string
	for k, v := range local {
		if _, ok := env[k]; ok {
			changed = append(changed, k)
		}
		if v == "" {
			delete(env, k)
		} else {
			env[k] = v
		}
	}
	return changed
}
