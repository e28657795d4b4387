package appio

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/store/statelog"
)

// SimMessage is a message the simulator accepted, as an inbox shows it.
type SimMessage struct {
	ID         string    `json:"id"`
	FiscalCode string    `json:"fiscal_code"`
	Service    string    `json:"sender_service"` // the API key that sent it
	Content    Content   `json:"content"`
	CreatedAt  time.Time `json:"created_at"`
}

// Simulator is a local App IO: the same API as IO (profiles, messages), the same
// limits, and an inbox per codice fiscale readable over HTTP. Every valid codice
// fiscale is on IO except those in NotOnIO; services in Blocked are refused by
// their citizens (sender_allowed false). Mount it with http.StripPrefix.
type Simulator struct {
	mu       sync.Mutex
	notOnIO  map[string]bool
	blocked  map[string]bool // fiscalCode + "|" + key
	messages []SimMessage
	throttle int
	now      func() time.Time
	mux      *http.ServeMux
	file     string        // state file; empty keeps everything in memory
	log      *statelog.Log // the open write-ahead log of file
}

// NewSimulator returns a simulator where the codes in notOnIO have no IO profile.
func NewSimulator(notOnIO ...string) *Simulator {
	s := &Simulator{notOnIO: map[string]bool{}, blocked: map[string]bool{}, now: func() time.Time { return time.Now().UTC() }}
	for _, cf := range notOnIO {
		s.notOnIO[strings.ToUpper(cf)] = true
	}
	m := http.NewServeMux()
	// The API answers under /api/v1, as IO's base path, and at the root, so a
	// client's base URL may be either.
	for _, base := range []string{"/api/v1", ""} {
		m.HandleFunc("GET "+base+"/profiles/{fiscal_code}", s.getProfile)
		m.HandleFunc("POST "+base+"/profiles", s.postProfile)
		m.HandleFunc("POST "+base+"/messages", s.submit)
		m.HandleFunc("POST "+base+"/messages/{fiscal_code}", s.submit)
		m.HandleFunc("GET "+base+"/messages/{fiscal_code}/{id}", s.getMessage)
	}
	m.HandleFunc("GET /inbox/{fiscal_code}", s.inbox)
	m.HandleFunc("GET /{$}", s.index)
	s.mux = m
	return s
}

// simState is the content of the state file: the inboxes and the services
// each citizen has blocked.
type simState struct {
	Messages []SimMessage `json:"messages"`
	Blocked  []simBlock   `json:"blocked"`
}

type simBlock struct {
	FiscalCode string `json:"fiscal_code"`
	Service    string `json:"sender_service"`
}

// WithStateFile keeps the simulator's messages and profile changes (blocked
// services) in path across restarts: it loads path and the write-ahead log
// beside it (path + ".log", package statelog) now, replacing what s holds,
// folds them into a new snapshot, and from then on appends each change to
// the log before answering, so a message costs its own size, not the
// inbox's, and what the simulator acknowledged survives a kill -9. A missing
// file is an empty simulator; a corrupt one is an error.
func (s *Simulator) WithStateFile(path string) (*Simulator, error) {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("app io sim: read state: %w", err)
	}
	var st simState
	if err == nil {
		if err := json.Unmarshal(data, &st); err != nil {
			return nil, fmt.Errorf("app io sim: state file %s: %w", path, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log != nil {
		s.log.Close()
		s.log = nil
	}
	s.file, s.messages, s.blocked = path, st.Messages, map[string]bool{}
	for _, b := range st.Blocked {
		s.blocked[b.FiscalCode+"|"+b.Service] = true
	}
	if !statelog.Exists(path) {
		return s, nil
	}
	seen := make(map[string]bool, len(s.messages))
	for _, m := range s.messages {
		seen[m.ID] = true
	}
	err = statelog.Replay(path, func(line []byte) error {
		var c simChange
		if err := json.Unmarshal(line, &c); err != nil {
			return err
		}
		if m := c.Message; m != nil && !seen[m.ID] {
			seen[m.ID] = true
			s.messages = append(s.messages, *m)
		}
		if c.Blocked != nil {
			s.blocked[c.Blocked.FiscalCode+"|"+c.Blocked.Service] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("app io sim: %w", err)
	}
	if err := s.compactLocked(); err != nil {
		return nil, err
	}
	return s, nil
}

// simChange is one line of the state log: a message accepted or a service
// blocked.
type simChange struct {
	Message *SimMessage `json:"message,omitempty"`
	Blocked *simBlock   `json:"blocked,omitempty"`
}

// logLocked appends c to the state log, if there is a state file, before
// the caller answers; s.mu must be held, so lines land in the order of the
// changes. Should the log fail, the whole state is saved as a snapshot
// instead; an error means neither worked.
func (s *Simulator) logLocked(c simChange) error {
	if s.file == "" {
		return nil
	}
	if s.log == nil {
		l, err := statelog.Open(s.file, nil)
		if err != nil {
			slog.Error("app io sim: open log", "file", s.file, "err", err)
			return s.compactLocked()
		}
		s.log = l
	}
	if err := s.log.Append(&c); err != nil {
		slog.Error("app io sim: log change", "err", err)
		return s.compactLocked()
	}
	if s.log.Due() {
		if err := s.compactLocked(); err != nil {
			slog.Error("app io sim: compact log", "err", err) // the change is in the log
		}
	}
	return nil
}

// compactLocked writes the whole state as a new snapshot (temp file, then
// rename) and removes the log; s.mu must be held. Should it stop between the
// two, the log replays over the snapshot; messages already there (by id)
// are not added twice.
func (s *Simulator) compactLocked() error {
	if s.file == "" {
		return nil
	}
	st := simState{Messages: s.messages, Blocked: []simBlock{}}
	if st.Messages == nil {
		st.Messages = []SimMessage{}
	}
	for k := range s.blocked {
		cf, key, _ := strings.Cut(k, "|")
		st.Blocked = append(st.Blocked, simBlock{FiscalCode: cf, Service: key})
	}
	sort.Slice(st.Blocked, func(i, j int) bool {
		a, b := st.Blocked[i], st.Blocked[j]
		return a.FiscalCode < b.FiscalCode || a.FiscalCode == b.FiscalCode && a.Service < b.Service
	})
	data, err := json.Marshal(st)
	if err == nil {
		err = store.WriteFileAtomic(s.file, data, 0o600)
	}
	if err != nil {
		return fmt.Errorf("app io sim: save state %s: %w", s.file, err)
	}
	if s.log != nil {
		s.log.Close()
		s.log = nil
	}
	if err := statelog.Remove(s.file); err != nil {
		return fmt.Errorf("app io sim: %w", err)
	}
	return nil
}

// Close folds the state log, if open, into the state file (a new snapshot)
// and removes it, as on a clean stop.
func (s *Simulator) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return nil
	}
	return s.compactLocked()
}

// Block makes the citizen refuse messages from the service of apiKey. A
// failure to save the state file is logged; the block holds in memory.
func (s *Simulator) Block(fiscalCode, apiKey string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[fiscalCode+"|"+apiKey] = true
	if err := s.logLocked(simChange{Blocked: &simBlock{FiscalCode: fiscalCode, Service: apiKey}}); err != nil {
		slog.Error("app io sim: block", "err", err)
	}
}

// Throttle answers the next n API calls with 429 and Retry-After, as IO does under load.
func (s *Simulator) Throttle(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle = n
}

// Inbox returns the messages of a citizen, newest first.
func (s *Simulator) Inbox(fiscalCode string) []SimMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SimMessage
	for i := len(s.messages) - 1; i >= 0; i-- {
		if s.messages[i].FiscalCode == fiscalCode {
			out = append(out, s.messages[i])
		}
	}
	return out
}

// Count is how many messages the simulator accepted.
func (s *Simulator) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.messages)
}

// ServeHTTP serves the IO API (under /api/v1 and at the root) and the inboxes under /inbox.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// guard checks the API key and the throttle; false means it has answered.
func (s *Simulator) guard(w http.ResponseWriter, r *http.Request) (string, bool) {
	key := r.Header.Get(KeyHeader)
	if key == "" {
		problem(w, http.StatusUnauthorized, "missing "+KeyHeader)
		return "", false
	}
	s.mu.Lock()
	busy := s.throttle > 0
	if busy {
		s.throttle--
	}
	s.mu.Unlock()
	if busy {
		w.Header().Set("Retry-After", "1")
		problem(w, http.StatusTooManyRequests, "too many requests")
		return "", false
	}
	return key, true
}

func (s *Simulator) profile(w http.ResponseWriter, key, cf string) {
	if err := CheckFiscalCode(cf); err != nil || s.notOnIO[cf] {
		problem(w, http.StatusNotFound, "no user found for the provided fiscal code")
		return
	}
	s.mu.Lock()
	allowed := !s.blocked[cf+"|"+key]
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, Profile{SenderAllowed: allowed, PreferredLanguages: []string{"it_IT"}})
}

func (s *Simulator) getProfile(w http.ResponseWriter, r *http.Request) {
	if key, ok := s.guard(w, r); ok {
		s.profile(w, key, r.PathValue("fiscal_code"))
	}
}

func (s *Simulator) postProfile(w http.ResponseWriter, r *http.Request) {
	key, ok := s.guard(w, r)
	if !ok {
		return
	}
	var body struct {
		FiscalCode string `json:"fiscal_code"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&body); err != nil {
		problem(w, http.StatusBadRequest, "invalid payload")
		return
	}
	s.profile(w, key, body.FiscalCode)
}

func (s *Simulator) submit(w http.ResponseWriter, r *http.Request) {
	key, ok := s.guard(w, r)
	if !ok {
		return
	}
	var m NewMessage
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	if err := dec.Decode(&m); err != nil {
		problem(w, http.StatusBadRequest, "invalid payload: "+err.Error())
		return
	}
	if cf := r.PathValue("fiscal_code"); cf != "" {
		m.FiscalCode = cf
	}
	if err := m.Validate(); err != nil {
		problem(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notOnIO[m.FiscalCode] {
		problem(w, http.StatusNotFound, "no user found for the provided fiscal code")
		return
	}
	if s.blocked[m.FiscalCode+"|"+key] {
		problem(w, http.StatusForbidden, "the recipient does not accept messages from this service")
		return
	}
	id := strings.ToUpper(strings.ReplaceAll(uuid.NewString(), "-", ""))[:26]
	s.messages = append(s.messages, SimMessage{ID: id, FiscalCode: m.FiscalCode, Service: key, Content: m.Content, CreatedAt: s.now()})
	if err := s.logLocked(simChange{Message: &s.messages[len(s.messages)-1]}); err != nil {
		// Not kept: the sender sees a failure and may retry without a duplicate.
		s.messages = s.messages[:len(s.messages)-1]
		slog.Error("app io sim: submit", "err", err)
		problem(w, http.StatusInternalServerError, "the message could not be stored")
		return
	}
	w.Header().Set("Location", "/api/v1/messages/"+m.FiscalCode+"/"+id)
	writeJSON(w, http.StatusCreated, CreatedMessage{ID: id})
}

func (s *Simulator) getMessage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.guard(w, r); !ok {
		return
	}
	for _, m := range s.Inbox(r.PathValue("fiscal_code")) {
		if m.ID == r.PathValue("id") {
			writeJSON(w, http.StatusOK, map[string]any{"status": "PROCESSED", "message": m})
			return
		}
	}
	problem(w, http.StatusNotFound, "no message found for the provided ID")
}

func (s *Simulator) inbox(w http.ResponseWriter, r *http.Request) {
	cf := strings.ToUpper(r.PathValue("fiscal_code"))
	msgs := s.Inbox(cf)
	if msgs == nil {
		msgs = []SimMessage{}
	}
	if strings.Contains(r.Header.Get("Accept"), "text/html") || r.URL.Query().Get("format") == "html" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		inboxPage.Execute(w, map[string]any{"FiscalCode": cf, "Messages": msgs})
		return
	}
	writeJSON(w, http.StatusOK, msgs)
}

func (s *Simulator) index(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	seen := map[string]int{}
	for _, m := range s.messages {
		seen[m.FiscalCode]++
	}
	s.mu.Unlock()
	codes := make([]string, 0, len(seen))
	for cf := range seen {
		codes = append(codes, cf)
	}
	sort.Strings(codes)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	indexPage.Execute(w, map[string]any{"Codes": codes, "Counts": seen})
}

func problem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(Problem{Title: http.StatusText(status), Status: status, Detail: detail})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

var indexPage = template.Must(template.New("index").Parse(`<!doctype html><html lang="it"><meta charset="utf-8">
<title>App IO (simulatore)</title><h1>App IO – simulatore / simulator</h1>
<p>Caselle con messaggi / Inboxes with messages:</p><ul>{{range .Codes}}<li><a href="inbox/{{.}}?format=html">{{.}}</a> ({{index $.Counts .}})</li>{{else}}<li>nessun messaggio / no messages</li>{{end}}</ul></html>`))

var inboxPage = template.Must(template.New("inbox").Parse(`<!doctype html><html lang="it"><meta charset="utf-8">
<title>App IO – {{.FiscalCode}}</title><h1>Messaggi di / Messages of {{.FiscalCode}}</h1>
{{range .Messages}}<article><h2>{{.Content.Subject}}</h2><pre>{{.Content.Markdown}}</pre>
{{with .Content.DueDate}}<p>Scadenza / Due: {{.Format "02/01/2006"}}</p>{{end}}
{{with .Content.PaymentData}}<p>Avviso / Notice {{.NoticeNumber}}: {{.Amount}} cent</p>{{end}}
<small>{{.CreatedAt.Format "2006-01-02 15:04 MST"}} · {{.ID}}</small></article>{{else}}<p>Nessun messaggio / No messages</p>{{end}}</html>`))
