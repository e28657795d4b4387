package ui_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBrowserJourney builds the real sportello binary, runs `sportello dev` on
// free ports in a temporary folder and drives the portal in headless Chromium
// (ui/e2e/journey.mjs): citizen login through the dev IdP, a pratica started
// from its rendered form, the operator's acknowledgement, the citizen's
// "Conclusa". Its Node packages come from `make e2e-deps`.
func TestBrowserJourney(t *testing.T) {
	srv := startBrowserTest(t)
	assertPortal(t, srv.url("/"))
	runScript(t, srv, "journey.mjs", 4*time.Minute, "the browser journey did not reach PASS")
}

// startBrowserTest checks what a browser test needs (Node.js, Chromium,
// playwright-core from `make e2e-deps`) and starts the real program.
func startBrowserTest(t *testing.T) *devServer {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and starts the real program and a browser; skipped with -short")
	}
	// Without what it needs the test skips, saying so, except in CI, where it
	// fails: make test (scripts/testenv) installs all of it when run as root.
	missing := func(msg string) {
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("node is needed for the browser test: install Node.js 20")
	}
	if _, err := os.Stat(chromiumPath()); err != nil {
		missing(fmt.Sprintf("Chromium not found at %s (Debian package chromium, or set CHROMIUM): %v", chromiumPath(), err))
	}
	if _, err := os.Stat(filepath.Join("e2e", "node_modules", "playwright-core")); err != nil {
		missing("playwright-core is not installed: run `make e2e-deps` (npm ci in ui/e2e)")
	}
	return startDev(t)
}

func chromiumPath() string {
	if c := os.Getenv("CHROMIUM"); c != "" {
		return c
	}
	return "/usr/bin/chromium"
}

// runScript runs ui/e2e/<script> with Node against srv and fails with what
// unless it prints PASS; UI_E2E_SHOTS keeps the screenshots of every step.
func runScript(t *testing.T, srv *devServer, script string, limit time.Duration, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(), "BASE_URL="+srv.url(""), "SHOTS="+os.Getenv("UI_E2E_SHOTS"), "CHROMIUM="+chromiumPath())
	out, err := cmd.CombinedOutput()
	t.Logf("%s:\n%s", script, out)
	if err != nil || !strings.Contains(string(out), "\nPASS") {
		t.Fatalf("%s (%v); sportello output:\n%s", what, err, tail(srv.out.String(), 4000))
	}
}

// assertPortal checks that the binary serves the portal at "/", so a missing
// wiring fails here with a clear message rather than as a browser timeout.
func assertPortal(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte("/assets/")) {
		t.Fatalf("GET / = %d, not the portal: mount ui.Handler() in cmd/sportello (see ui.Handler's doc)\n%s", resp.StatusCode, tail(string(b), 500))
	}
}

type devServer struct {
	port int
	cmd  *exec.Cmd
	out  *lockedBuffer
}

func (s *devServer) url(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", s.port, path)
}

// startDev builds ../cmd/sportello and starts `sportello dev`, stopped with an
// interrupt when the test ends.
func startDev(t *testing.T) *devServer {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "sportello")
	build := exec.Command("go", "build", "-o", bin, "../cmd/sportello")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	s := &devServer{port: freePort(t), out: &lockedBuffer{}}
	s.cmd = exec.Command(bin, "dev", "--data-dir", filepath.Join(dir, "data"),
		"--http-addr", fmt.Sprintf("127.0.0.1:%d", s.port),
		"--temporal-address", fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		"--public-url", s.url(""), "--log-level", "warn", "--demo-roll", "0")
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = s.cmd.Process.Kill()
		}
	})
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.url("/readyz")); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if s.cmd.ProcessState != nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("sportello dev not ready:\n%s", tail(s.out.String(), 4000))
	return nil
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// lockedBuffer collects the program's output from two pipes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
