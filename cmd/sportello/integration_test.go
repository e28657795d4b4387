package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// proc is the real sportello binary running `dev` in a temporary folder.
type proc struct {
	t        *testing.T
	bin, dir string
	httpPort int
	tPort    int
	cmd      *exec.Cmd
	out      *lockedBuffer
	extra    []string // more arguments of `sportello dev`
}

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

var buildOnce struct {
	sync.Once
	bin string
	err error
}

// buildBinary builds the real program once per test run.
func buildBinary(t *testing.T) string {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sportello-bin")
		if err != nil {
			buildOnce.err = err
			return
		}
		buildOnce.bin = filepath.Join(dir, "sportello")
		out, err := exec.Command("go", "build", "-o", buildOnce.bin, ".").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildOnce.err != nil {
		t.Fatal(buildOnce.err)
	}
	return buildOnce.bin
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func startDev(t *testing.T, extra ...string) *proc {
	if testing.Short() {
		t.Skip("starts the real program with its embedded Temporal server; skipped with -short")
	}
	p := &proc{t: t, bin: buildBinary(t), dir: t.TempDir(), httpPort: freePort(t), tPort: freePort(t), extra: extra}
	p.start()
	t.Cleanup(func() {
		if p.cmd != nil && p.cmd.ProcessState == nil {
			p.cmd.Process.Signal(os.Interrupt)
			done := make(chan struct{})
			go func() { p.cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				p.cmd.Process.Kill()
			}
		}
		if t.Failed() {
			t.Logf("sportello output:\n%s", p.out.String())
		}
	})
	return p
}

func (p *proc) url(path string) string { return fmt.Sprintf("http://127.0.0.1:%d%s", p.httpPort, path) }

func (p *proc) start() {
	p.out = &lockedBuffer{}
	p.cmd = exec.Command(p.bin, "dev", "--data-dir", p.dir,
		"--http-addr", fmt.Sprintf("127.0.0.1:%d", p.httpPort),
		"--temporal-address", fmt.Sprintf("127.0.0.1:%d", p.tPort),
		"--public-url", p.url(""), "--log-level", "warn", "--demo-roll", "0")
	p.cmd.Args = append(p.cmd.Args, p.extra...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		resp, err := http.Get(p.url("/readyz"))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	p.t.Fatalf("sportello dev not ready:\n%s", p.out.String())
}

// kill stops the process as a crash would: SIGKILL, no clean-up.
func (p *proc) kill() {
	if err := p.cmd.Process.Kill(); err != nil {
		p.t.Fatal(err)
	}
	p.cmd.Wait()
}

// token gets an access token for a demo user from the dev identity provider.
func (p *proc) token(user string) string {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {user}, "client_secret": {"demo"}, "scope": {"openid"}}
	resp, err := http.PostForm(p.url("/idp/oauth/token"), form)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &tok); err != nil || tok.AccessToken == "" {
		p.t.Fatalf("token for %s: %d %s", user, resp.StatusCode, b)
	}
	return tok.AccessToken
}

// call sends a JSON request and decodes the answer into out; it returns the status.
func (p *proc) call(method, path, token string, body, out any) int {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, p.url(path), r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			p.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
	}
	return resp.StatusCode
}

type detail struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Outcome  string `json:"outcome"`
	Timeline []struct {
		Seq  int64  `json:"seq"`
		Kind string `json:"kind"`
	} `json:"timeline"`
	Tasks []struct {
		ID string `json:"id"`
	} `json:"tasks"`
}

// pay pays a notice at the pagoPA simulator's checkout, as a citizen at a PSP.
func (p *proc) pay(org, notice string) {
	resp, err := http.PostForm(p.url("/sim/pagopa/checkout/pay"), url.Values{"org": {org}, "notice": {notice}, "payer": {"RSSMRA80A01L424F"}})
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("pay %s = %d", notice, resp.StatusCode)
	}
}

// waitStatus polls the status API until the pratica reaches status.
func (p *proc) waitStatus(id, token, status string) detail {
	var d detail
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if code := p.call("GET", "/api/pratiche/"+id, token, nil, &d); code == http.StatusOK && d.Status == status {
			return d
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.t.Fatalf("pratica %s is %q, want %q: %+v", id, d.Status, status, d)
	return d
}

// TestPraticaSurvivesKill starts the real program, starts the minimal pratica,
// kills the process with SIGKILL mid-flight, starts it again on the same data and
// sees the pratica complete exactly once.
func TestPraticaSurvivesKill(t *testing.T) {
	p := startDev(t)
	citizen := p.token("mario.rossi")
	var started struct {
		ID string `json:"id"`
	}
	code := p.call("POST", "/api/pratiche", citizen, map[string]any{
		"service": "c_l424.richiesta-generica",
		"data":    map[string]any{"oggetto": "Accesso agli atti", "testo": "Chiedo copia della delibera 12/2026"},
	}, &started)
	if code != http.StatusCreated || started.ID == "" {
		t.Fatalf("start = %d %+v", code, started)
	}
	p.waitStatus(started.ID, citizen, "registered")

	p.kill()
	p.start()

	citizen = p.token("mario.rossi")
	operator := p.token("op.trieste")
	var res map[string]any
	if code := p.call("POST", "/api/pratiche/"+started.ID+"/actions", operator, map[string]any{"action": "acknowledge"}, &res); code != http.StatusOK {
		t.Fatalf("acknowledge after restart = %d %v", code, res)
	}
	d := p.waitStatus(started.ID, citizen, "completed")
	count := map[string]int{}
	for i, e := range d.Timeline {
		count[e.Kind]++
		if e.Seq != int64(i+1) {
			t.Errorf("timeline event %d has seq %d", i, e.Seq)
		}
	}
	for _, k := range []string{"submitted", "task_opened", "task_completed", "closed"} {
		if count[k] != 1 {
			t.Errorf("%s appears %d times, want exactly once: %+v", k, count[k], d.Timeline)
		}
	}
	if d.Outcome != "completed" {
		t.Errorf("outcome = %q", d.Outcome)
	}
	// Acting on a closed pratica is a conflict that lists no allowed action.
	var conflict struct {
		Error struct {
			Code    string   `json:"code"`
			Allowed []string `json:"allowed"`
		} `json:"error"`
	}
	if code := p.call("POST", "/api/pratiche/"+started.ID+"/actions", operator, map[string]any{"action": "acknowledge"}, &conflict); code != http.StatusConflict || conflict.Error.Code != "conflict" {
		t.Errorf("acting on a closed pratica = %d %+v", code, conflict)
	}
}

func TestBadSettingsExitWithOneLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
		code int
	}{
		{"unknown command", []string{"serve"}, nil, `unknown command "serve"`, 2},
		{"unknown flag", []string{"worker", "--fast"}, nil, "flag provided but not defined: -fast", 2},
		{"bad env", []string{"server"}, map[string]string{"SPORTELLO_WORKER_ACTIVITIES": "lots"}, "SPORTELLO_WORKER_ACTIVITIES", 2},
		{"unreachable database", []string{"migrate", "--db-driver", "postgres", "--db-dsn", "postgres://u:hunter2@127.0.0.1:1/db?connect_timeout=2"},
			nil, "database (SPORTELLO_DB_DSN)", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, env(tc.env), &stdout, &stderr)
			if code != tc.code || !strings.Contains(stderr.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tc.code, tc.want)
			}
			if strings.Contains(stderr.String(), "hunter2") || strings.Contains(stderr.String(), "goroutine") {
				t.Fatalf("stderr leaks a secret or a trace: %s", stderr.String())
			}
		})
	}
}

// TestMarriageJourney is journey 1 of DESIGN.md through the HTTP API of the real
// program: the citizen applies, a pagoPA notice is issued, the citizen pays in
// the simulator, the receipt arrives, App IO tells the citizen, the operator
// approves, the ledger entry is posted and the pratica is completed, every step
// in the timeline; the program is killed (SIGKILL) and restarted twice on the
// way, while the pratica waits for its receipt and while it waits for the office.
// The pagoPA simulator misbehaves meanwhile: 30% of GPD calls fail and every
// receipt is sent twice.
func TestMarriageJourney(t *testing.T) {
	p := startDev(t, "--sim-pagopa-faults", "error-rate=0.3,duplicate-receipts")
	citizen := p.token("mario.rossi")
	var started struct {
		ID string `json:"id"`
	}
	form := map[string]any{
		"sposo1":    map[string]any{"nome": "Mario", "cognome": "Rossi", "codiceFiscale": "RSSMRA80A01L424F", "dataNascita": "1980-01-01"},
		"sposo2":    map[string]any{"nome": "Giulia", "cognome": "Bianchi", "codiceFiscale": "BNCGLI85C55L424K", "dataNascita": "1985-03-15"},
		"sala":      "sala-matrimoni",
		"data":      bookableDate(),
		"testimoni": 2,
	}
	// A bad submission is refused whole, every field named, and nothing is stored.
	var bad struct {
		Error struct {
			Code   string                   `json:"code"`
			Fields []struct{ Field string } `json:"fields"`
		} `json:"error"`
	}
	if code := p.call("POST", "/api/pratiche", citizen, map[string]any{"service": "c_l424.matrimonio",
		"data": map[string]any{"sala": "cantina", "data": "2027-05-20"}}, &bad); code != http.StatusUnprocessableEntity || len(bad.Error.Fields) < 3 {
		t.Fatalf("bad submission = %d %+v", code, bad)
	}
	// Medea offers the marriage at the front desk only.
	if code := p.call("POST", "/api/pratiche", citizen, map[string]any{"service": "c_f081.matrimonio", "data": form}, nil); code != http.StatusConflict {
		t.Fatalf("Medea online = %d, want 409", code)
	}
	if code := p.call("POST", "/api/pratiche", citizen, map[string]any{"service": "c_l424.matrimonio", "data": form}, &started); code != http.StatusCreated {
		t.Fatalf("start = %d", code)
	}
	var mine []map[string]any
	if p.call("GET", "/api/pratiche", citizen, nil, &mine); len(mine) != 1 {
		t.Fatalf("my pratiche = %d, want 1 (the refused ones left nothing)", len(mine))
	}
	p.waitStatus(started.ID, citizen, "payment_pending")

	var d struct {
		Extra struct {
			Payments []struct {
				ID       string `json:"id"`
				Creditor struct {
					FiscalCode string `json:"fiscalCode"`
				} `json:"creditor"`
				Options []struct {
					NoticeNumber string `json:"noticeNumber"`
					Amount       int64  `json:"amount"`
				} `json:"options"`
			} `json:"payments"`
		} `json:"extra"`
	}
	p.call("GET", "/api/pratiche/"+started.ID, citizen, nil, &d)
	if len(d.Extra.Payments) != 1 || d.Extra.Payments[0].Options[0].Amount != 15000 {
		t.Fatalf("payments = %+v", d.Extra.Payments)
	}
	pos := d.Extra.Payments[0]
	// The notice PDF carries the notice; anyone else may not read it.
	req, _ := http.NewRequest("GET", p.url("/api/payments/positions/"+pos.ID+"/notice"), nil)
	req.Header.Set("Authorization", "Bearer "+citizen)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("notice = %d %q", resp.StatusCode, pdf[:min(len(pdf), 20)])
	}
	if code := p.call("GET", "/api/payments/positions/"+pos.ID, p.token("giulia.bianchi"), nil, nil); code != http.StatusForbidden && code != http.StatusNotFound {
		t.Errorf("another citizen reads the position: %d", code)
	}

	// A crash while the pratica waits for its receipt (its notice message sent,
	// so the kill does not land inside that call): the notice is still payable
	// after the restart, and the receipt still reaches the pratica.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		var cur detail
		p.call("GET", "/api/pratiche/"+started.ID, citizen, nil, &cur)
		if hasKind(cur, "message_sent") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the notice message never went out: %+v", cur.Timeline)
		}
	}
	p.kill()
	p.start()
	citizen = p.token("mario.rossi")

	// The citizen pays at the simulated PSP; the receipt reaches the pratica.
	p.pay(pos.Creditor.FiscalCode, pos.Options[0].NoticeNumber)
	p.waitStatus(started.ID, citizen, "registered")

	p.kill()
	p.start()

	operator := p.token("op.trieste")
	var tasks []struct {
		ID        string `json:"id"`
		PraticaID string `json:"praticaId"`
	}
	p.call("GET", "/api/tasks", operator, nil, &tasks)
	if len(tasks) != 1 || tasks[0].PraticaID != started.ID {
		t.Fatalf("inbox after restart = %+v", tasks)
	}
	if code := p.call("POST", "/api/tasks/"+tasks[0].ID+"/claim", operator, nil, nil); code != http.StatusOK {
		t.Fatalf("claim = %d", code)
	}
	if code := p.call("POST", "/api/tasks/"+tasks[0].ID+"/complete", p.token("op.medea"), map[string]any{"action": "approve"}, nil); code != http.StatusForbidden {
		t.Errorf("Medea's operator completes a Trieste task: %d, want 403", code)
	}
	if code := p.call("POST", "/api/tasks/"+tasks[0].ID+"/complete", operator, map[string]any{"action": "approve"}, nil); code != http.StatusOK {
		t.Fatalf("approve = %d", code)
	}
	citizen = p.token("mario.rossi")
	done := p.waitStatus(started.ID, citizen, "completed")
	var kinds []string
	for _, e := range done.Timeline {
		kinds = append(kinds, e.Kind)
	}
	// The notice message goes out at issuance; the claim goes through the workflow, so the timeline shows it.
	want := "submitted deadline_started payment_requested message_sent payment_received message_sent task_opened taken_in_charge task_completed message_sent ledger_posted closed"
	if strings.Join(kinds, " ") != want {
		t.Errorf("timeline = %v\nwant       %s", kinds, want)
	}
	var inbox []map[string]any
	resp, err = http.Get(p.url("/sim/appio/inbox/RSSMRA80A01L424F"))
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&inbox)
	resp.Body.Close()
	// The simulator keeps its inbox in the data dir: the notice's and the
	// receipt's messages from before the restart and the approval's from after it.
	if len(inbox) != 3 {
		t.Errorf("App IO inbox after restart = %d messages, want 3: %v", len(inbox), inbox)
	}
	var balance map[string]any
	if code := p.call("GET", "/api/ledger/balance?ente=c_l424", p.token("admin.trieste"), nil, &balance); code != http.StatusOK {
		t.Errorf("ledger balance = %d %v", code, balance)
	}
}

// TestEveryRouteIsGuarded reads the route list of the real program from its
// OpenAPI document and calls each non-public route without credentials: each
// must answer 401, whatever module registered it.
func TestEveryRouteIsGuarded(t *testing.T) {
	p := startDev(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Perm map[string]string `json:"x-permission"`
		} `json:"paths"`
	}
	if code := p.call("GET", "/openapi.json", "", nil, &doc); code != http.StatusOK {
		t.Fatalf("openapi.json = %d", code)
	}
	checked := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op.Perm["object"] == "" {
				t.Errorf("%s %s declares no permission", method, path)
			}
			if op.Perm["object"] == "public" {
				continue
			}
			concrete := strings.NewReplacer("{id}", "x", "{ente}", "c_l424", "{version}", "1", "{template}", "matrimonio",
				"{code}", "x", "{name}", "x").Replace(path)
			// The API has more routes than one address's burst: a 429 is the
			// rate limiter doing its job, so wait as it says and ask again.
			var resp *http.Response
			for attempt := 0; ; attempt++ {
				req, _ := http.NewRequest(strings.ToUpper(method), p.url(concrete), strings.NewReader("{}"))
				req.Header.Set("Content-Type", "application/json")
				var err error
				resp, err = http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusTooManyRequests || attempt == 5 {
					break
				}
				time.Sleep(time.Second)
			}
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s without credentials = %d, want 401", strings.ToUpper(method), concrete, resp.StatusCode)
			}
			checked++
		}
	}
	if checked < 60 {
		t.Errorf("checked %d guarded routes, expected the whole API", checked)
	}
}

// TestReconciliationJourney is journey 5 of DESIGN.md on the real program: a
// payment made in the pagoPA simulator, the day's FdR and giornale di cassa
// built by the reporting simulator and imported, the reconciliation run, the
// ledger balanced; delivering the same day again changes nothing.
func TestReconciliationJourney(t *testing.T) {
	p := startDev(t)
	citizen, admin := p.token("mario.rossi"), p.token("admin.trieste")
	var pos struct {
		Creditor struct {
			FiscalCode string `json:"fiscalCode"`
		} `json:"creditor"`
		Options []struct {
			NoticeNumber string `json:"noticeNumber"`
			Amount       int64  `json:"amount"`
		} `json:"options"`
	}
	if code := p.call("POST", "/api/payments/spontaneous", citizen, map[string]any{"serviceId": "c_l424.mensa", "quantity": 10, "band": "C"}, &pos); code != http.StatusOK && code != http.StatusCreated {
		t.Fatalf("spontaneous payment = %d", code)
	}
	p.pay(pos.Creditor.FiscalCode, pos.Options[0].NoticeNumber)
	paid := time.Now().UTC()
	day, next := paid.Format(time.DateOnly), paid.AddDate(0, 0, 1).Format(time.DateOnly)
	deliver := func() []struct{ Added, Skipped int } {
		var out []struct{ Added, Skipped int }
		for range 50 { // the receipt reaches us asynchronously
			out = nil
			if p.call("POST", "/sim/reporting/days/"+day+"/deliver", "", nil, &out) == http.StatusOK && len(out) == 2 {
				return out
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("deliver = %+v", out)
		return nil
	}
	if got := deliver(); got[0].Added != 1 || got[1].Added != 1 {
		t.Fatalf("first delivery = %+v, want one flow line and one credit added", got)
	}
	var run struct {
		Outcomes map[string]map[string]int `json:"outcomes"`
		Posted   int                       `json:"posted"`
	}
	if code := p.call("POST", "/api/reconciliation/runs?ente=c_l424", admin, map[string]any{"day": next}, &run); code != http.StatusOK {
		t.Fatalf("run = %d", code)
	}
	if run.Outcomes["receipt"]["reconciled"] != 1 || run.Outcomes["fdr"]["reconciled"] != 1 || run.Outcomes["credit"]["reconciled"] != 1 || run.Posted != 2 {
		t.Errorf("run = %+v, want receipt, flow and credit reconciled and 2 entries", run)
	}
	if got := deliver(); got[0].Added != 0 || got[1].Added != 0 {
		t.Errorf("second delivery = %+v, want nothing new", got)
	}
	p.call("POST", "/api/reconciliation/runs?ente=c_l424", admin, map[string]any{"day": next}, &run)
	if run.Posted != 0 {
		t.Errorf("second run posted %d entries, want 0", run.Posted)
	}
	var bal struct {
		Debit, Credit int64
	}
	if p.call("GET", "/api/ledger/balance?ente=c_l424", admin, nil, &bal); bal.Debit != bal.Credit || bal.Debit != 2*pos.Options[0].Amount {
		t.Errorf("balance = %+v, want debit = credit = 2 × %d", bal, pos.Options[0].Amount)
	}
}
