package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// post sends POST /api/pratiche with headers; it returns the status and the
// answer, or an error when the connection fails (the program was killed).
func (p *proc) post(token string, headers map[string]string, body any) (int, []byte, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", p.url("/api/pratiche"), bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	c := &http.Client{Timeout: 30 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

func genericRequest(text string) map[string]any {
	return map[string]any{"service": "c_l424.richiesta-generica",
		"data": map[string]any{"oggetto": "Accesso agli atti", "testo": text}}
}

// TestNoOrphanAfterKill kills the real program (SIGKILL) while citizens start
// many pratiche at once, starts it again, and checks that every pratica row has
// an execution that moves: none stays "submitted" with no workflow behind it,
// and every pratica the API accepted exists.
func TestNoOrphanAfterKill(t *testing.T) {
	p := startDev(t)
	citizen := p.token("mario.rossi")

	var mu sync.Mutex
	accepted := map[string]bool{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				code, b, err := p.post(citizen, nil, genericRequest(strings.Repeat("x", w+1)+" "+itoa(i)))
				if err != nil {
					return // killed
				}
				var got struct {
					ID string `json:"id"`
				}
				if code == http.StatusCreated && json.Unmarshal(b, &got) == nil {
					mu.Lock()
					accepted[got.ID] = true
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(4 * time.Second)
	p.kill()
	close(stop)
	wg.Wait()
	t.Logf("%d pratiche accepted before the kill", len(accepted))

	began := time.Now()
	p.start()
	t.Logf("ready %v after the restart began", time.Since(began).Round(time.Millisecond))
	citizen = p.token("mario.rossi")
	var rows []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}
	if code := p.call("GET", "/api/pratiche?limit=500", citizen, nil, &rows); code != http.StatusOK {
		t.Fatalf("list = %d", code)
	}
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.ID] = true
	}
	for id := range accepted {
		if !seen[id] {
			t.Errorf("pratica %s was accepted (201) and is gone after the restart", id)
		}
	}
	// Every row must reach its office; poll them all (one list a round, within
	// the rate limit) until none is left behind.
	waiting := map[string]bool{}
	for _, r := range rows {
		waiting[r.ID] = true
	}
	for deadline := time.Now().Add(60 * time.Second); len(waiting) > 0 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var now []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		p.call("GET", "/api/pratiche?limit=500", citizen, nil, &now)
		for _, r := range now {
			if r.Status == "registered" {
				delete(waiting, r.ID)
			}
		}
	}
	stuck := len(waiting)
	for id := range waiting {
		var d detail
		p.call("GET", "/api/pratiche/"+id, citizen, nil, &d)
		t.Errorf("pratica %s is %q with %d timeline events: no execution moves it", id, d.Status, len(d.Timeline))
	}
	t.Logf("%d rows after the restart, %d stuck; all moved %v after the restart began", len(rows), stuck, time.Since(began).Round(time.Millisecond))
	if len(rows) < 10 {
		t.Errorf("only %d pratiche were created before the kill: the test did not load the program", len(rows))
	}
}

// TestIdempotencyKey: a citizen's retry with the same Idempotency-Key gets the
// same pratica, never a second one, even when the retries race; the same key
// with another body is refused naming the header; another citizen's same key
// is another pratica.
func TestIdempotencyKey(t *testing.T) {
	p := startDev(t)
	mario, giulia := p.token("mario.rossi"), p.token("giulia.bianchi")
	key := map[string]string{"Idempotency-Key": "retry-7f3a"}
	idOf := func(code int, b []byte, err error) string {
		t.Helper()
		var got struct {
			ID string `json:"id"`
		}
		if err != nil || (code != http.StatusCreated && code != http.StatusOK) || json.Unmarshal(b, &got) != nil || got.ID == "" {
			t.Fatalf("start = %d %s %v", code, b, err)
		}
		return got.ID
	}
	first := idOf(p.post(mario, key, genericRequest("prima richiesta di accesso")))
	again := idOf(p.post(mario, key, genericRequest("prima richiesta di accesso")))
	if again != first {
		t.Errorf("a retry with the same key started %s, want the same pratica %s", again, first)
	}
	code, b, _ := p.post(mario, key, genericRequest("un'altra richiesta di accesso"))
	if (code != http.StatusUnprocessableEntity && code != http.StatusConflict) || !strings.Contains(string(b), "Idempotency-Key") {
		t.Errorf("same key, other body = %d %s; want 409/422 naming Idempotency-Key", code, b)
	}
	if other := idOf(p.post(giulia, key, genericRequest("prima richiesta di accesso"))); other == first {
		t.Errorf("another citizen's request with the same key got mario's pratica")
	}

	// Retries that race each other still make one pratica.
	race := map[string]string{"Idempotency-Key": "race-19c2"}
	ids := make([]string, 6)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, b, err := p.post(mario, race, genericRequest("richieste insieme, in gara"))
			var got struct {
				ID string `json:"id"`
			}
			if err == nil && (code == http.StatusCreated || code == http.StatusOK) && json.Unmarshal(b, &got) == nil {
				ids[i] = got.ID
			} else {
				t.Errorf("racing retry %d = %d %s %v", i, code, b, err)
			}
		}()
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Errorf("racing retries got %v, want one pratica", ids)
			break
		}
	}
	var mine []struct {
		ID string `json:"id"`
	}
	p.call("GET", "/api/pratiche", mario, nil, &mine)
	if len(mine) != 2 {
		t.Errorf("mario has %d pratiche, want 2 (one per key)", len(mine))
	}
	p.waitStatus(first, mario, "registered")
	p.waitStatus(ids[0], mario, "registered")
}
