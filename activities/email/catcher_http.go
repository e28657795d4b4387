package email

import (
	"encoding/json"
	"html/template"
	"net/http"
	"sort"
	"strings"
)

// ServeHTTP serves the inbox: GET / is a page of every address with mail,
// GET /inbox/{address} that address's messages (HTML with ?format=html or an
// Accept of text/html, JSON otherwise), GET /messages every message as JSON
// (?to= filters). Mount it with http.StripPrefix("/sim/mail", ...).
func (c *Catcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.once.Do(c.routes)
	c.mux.ServeHTTP(w, r)
}

func (c *Catcher) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /messages", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, c.Messages(r.URL.Query().Get("to")))
	})
	m.HandleFunc("GET /inbox/{address}", func(w http.ResponseWriter, r *http.Request) {
		addr := r.PathValue("address")
		msgs := c.Messages(addr)
		if r.URL.Query().Get("format") == "html" || acceptsHTML(r) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			inboxPage.Execute(w, map[string]any{"Address": addr, "Messages": msgs})
			return
		}
		writeJSON(w, msgs)
	})
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		counts := map[string]int{}
		for _, msg := range c.Messages("") {
			for _, to := range msg.To {
				counts[to]++
			}
		}
		addrs := make([]string, 0, len(counts))
		for a := range counts {
			addrs = append(addrs, a)
		}
		sort.Strings(addrs)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		indexPage.Execute(w, map[string]any{"Addr": c.Addr(), "Addresses": addrs, "Counts": counts})
	})
	c.mux = m
}

func acceptsHTML(r *http.Request) bool { return strings.Contains(r.Header.Get("Accept"), "text/html") }

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

var indexPage = template.Must(template.New("index").Parse(`<!doctype html><html lang="it"><meta charset="utf-8">
<title>Posta (simulatore)</title><h1>Posta elettronica – simulatore / mail catcher</h1>
<p>Server SMTP locale / local SMTP server: <code>{{.Addr}}</code>. Nessun messaggio lascia questa macchina / no message leaves this machine.</p>
<p>Caselle con messaggi / Mailboxes with messages:</p><ul>{{range .Addresses}}<li><a href="inbox/{{.}}?format=html">{{.}}</a> ({{index $.Counts .}})</li>{{else}}<li>nessun messaggio / no messages</li>{{end}}</ul></html>`))

var inboxPage = template.Must(template.New("inbox").Parse(`<!doctype html><html lang="it"><meta charset="utf-8">
<title>Posta di {{.Address}}</title><h1>Posta di / Mail to {{.Address}}</h1><p><a href="../">tutte le caselle / all mailboxes</a></p>
{{range .Messages}}<article><h2>{{.Subject}}</h2><p><small>da / from {{.From}} · {{.ReceivedAt.Format "02/01/2006 15:04:05 MST"}} · {{.MessageID}}</small></p><pre>{{.Text}}</pre></article><hr>
{{else}}<p>Nessun messaggio / No messages.</p>{{end}}</html>`))
