package perf

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/sportello/sportello/api/auth"
)

// Volume is the size of a seeded projection: pratiche, timeline events per
// pratica and the citizens who own them.
type Volume struct {
	Pratiche  int
	Events    int // per pratica
	Citizens  int
	OpenShare int // one pratica in OpenShare has an open or claimed task; the others' tasks are done
}

// Seeded is what a seeded projection holds that the load needs to address it.
type Seeded struct {
	// Citizens are valid codici fiscali; citizen i owns the pratiche whose
	// number is i modulo len(Citizens).
	Citizens []string
	Pratiche int
}

// PraticaID is the id of pratica number n (0-based) of a seeded projection.
func PraticaID(n int) string { return fmt.Sprintf("PERF-%08d", n) }

// seedEnti are the enti the pratiche belong to, Trieste's being the most.
var seedEnti = []string{"c_l424", "c_l424", "c_l424", "c_f102", "c_g888"}

// SeedProjection fills the pratiche, pratica_events and pratica_tasks tables
// set-based (INSERT ... SELECT over generate_series, on PostgreSQL), in
// seconds rather than through workflows: citizens own pratiche round-robin,
// every pratica has v.Events timeline events and one task (open or claimed
// for one pratica in v.OpenShare, done for the others), spread over services,
// offices, statuses, deadlines and two years of creation dates.
func SeedProjection(ctx context.Context, db *gorm.DB, v Volume) (*Seeded, error) {
	s := &Seeded{Pratiche: v.Pratiche}
	if v.Citizens > maxCitizens || v.Citizens < 1 {
		return nil, fmt.Errorf("seed: citizens must be 1 to %d, not %d", maxCitizens, v.Citizens)
	}
	for i := 0; len(s.Citizens) < v.Citizens; i++ {
		s.Citizens = append(s.Citizens, citizenCF(i))
	}
	tx := db.WithContext(ctx)
	if err := tx.Exec("CREATE TABLE perf_citizens (n INTEGER PRIMARY KEY, cf TEXT NOT NULL, name TEXT NOT NULL)").Error; err != nil {
		return nil, fmt.Errorf("seed citizens: %w", err)
	}
	// Citizens in multi-row INSERTs of 1,000.
	for lo := 0; lo < len(s.Citizens); lo += 1000 {
		var b strings.Builder
		var args []any
		b.WriteString("INSERT INTO perf_citizens (n, cf, name) VALUES ")
		for i := lo; i < min(lo+1000, len(s.Citizens)); i++ {
			if i > lo {
				b.WriteString(",")
			}
			b.WriteString("(?, ?, ?)")
			args = append(args, i, s.Citizens[i], fmt.Sprintf("%s Rossi%d", firstNames[i%len(firstNames)], i))
		}
		if err := tx.Exec(b.String(), args...).Error; err != nil {
			return nil, fmt.Errorf("seed citizens: %w", err)
		}
	}
	enti := "(ARRAY['" + strings.Join(seedEnti, "','") + "'])"
	bulk := []struct{ what, sql string }{
		{"pratiche", `INSERT INTO pratiche (id, ente, service, template, template_hash, owner, status, status_code, step, holder, office,
			data, deadline, last_seq, created_at, updated_at, actions, suspended, outcome)
		SELECT 'PERF-' || lpad(g::text, 8, '0'), ` + enti + `[1 + g % 5], 'servizio-' || (g % 20), 'tpl-' || (g % 20) || '@1', 'h',
			c.cf, CASE WHEN g % 4 = 0 THEN 'completed' ELSE 'in_review' END, CASE WHEN g % 4 = 0 THEN 90 ELSE 40 END,
			'istruttoria', 'ente', CASE WHEN g % 3 = 0 THEN 'stato-civile' ELSE 'tributi' END,
			'{"nome":"Mario","cognome":"Rossi","indirizzo":"Via Roma 1, Trieste"}',
			TIMESTAMP '2026-01-01' + (g % 700) * INTERVAL '1 day', ?, TIMESTAMP '2025-01-01' + g * INTERVAL '10 minutes',
			TIMESTAMP '2025-01-01' + g * INTERVAL '10 minutes', '["approve","reject"]', FALSE, ''
		FROM generate_series(0, ? - 1) g JOIN perf_citizens c ON c.n = g % ?`},
		{"timeline events", `INSERT INTO pratica_events (pratica_id, seq, at, kind, status, status_code, step, actor, holder, message_it, message_en, detail)
		SELECT 'PERF-' || lpad(g::text, 8, '0'), s, TIMESTAMP '2025-01-01' + g * INTERVAL '10 minutes' + s * INTERVAL '1 hour',
			CASE WHEN s = 1 THEN 'submitted' ELSE 'step' END, 'in_review', 40, 'passo-' || s, 'system', 'ente',
			'La pratica è passata al passo ' || s || ' dell''istruttoria', 'The pratica moved to review step ' || s, '{}'
		FROM generate_series(0, ? - 1) g, generate_series(1, ?) s`},
		{"tasks", `INSERT INTO pratica_tasks (id, pratica_id, ente, step, title_it, title_en, role, office, outcomes, state, claimed_by,
			deadline, opened_seq, created_at, updated_at, service, applicant)
		SELECT 'T-' || lpad(g::text, 8, '0'), 'PERF-' || lpad(g::text, 8, '0'), ` + enti + `[1 + g % 5], 'istruttoria',
			'Istruttoria', 'Review', 'operator', CASE WHEN g % 3 = 0 THEN 'stato-civile' ELSE 'tributi' END, '["approve","reject"]',
			CASE WHEN g % ? = 0 THEN (CASE WHEN g % 2 = 0 THEN 'open' ELSE 'claimed' END) ELSE 'done' END, '',
			TIMESTAMP '2026-01-01' + (g % 700) * INTERVAL '1 day', 2, TIMESTAMP '2025-01-01' + g * INTERVAL '10 minutes',
			TIMESTAMP '2025-01-01' + g * INTERVAL '10 minutes', 'servizio-' || (g % 20), c.name
		FROM generate_series(0, ? - 1) g JOIN perf_citizens c ON c.n = g % ?`},
	}
	args := map[string][]any{
		"pratiche":        {v.Events, v.Pratiche, len(s.Citizens)},
		"timeline events": {v.Pratiche, v.Events},
		"tasks":           {max(v.OpenShare, 1), v.Pratiche, len(s.Citizens)},
	}
	for _, st := range bulk {
		if err := tx.Exec(st.sql, args[st.what]...).Error; err != nil {
			return nil, fmt.Errorf("seed %s: %w", st.what, err)
		}
	}
	if err := tx.Exec("DROP TABLE perf_citizens").Error; err != nil {
		return nil, fmt.Errorf("seed citizens: %w", err)
	}
	// As autovacuum leaves a table in production: statistics and the
	// visibility map (index-only scans) up to date.
	for _, table := range []string{"pratiche", "pratica_events", "pratica_tasks"} {
		if err := tx.Exec("VACUUM (ANALYZE) " + table).Error; err != nil {
			return nil, fmt.Errorf("vacuum %s: %w", table, err)
		}
	}
	return s, nil
}

var firstNames = []string{"Mario", "Laura", "Giulia", "Marko", "Luca", "Anna", "Paolo", "Sara"}

// maxCitizens is how many distinct codici fiscali citizenCF makes.
const maxCitizens = 100 * 12 * 28

// citizenCF is the i-th synthetic, valid codice fiscale (born in Trieste).
func citizenCF(i int) string {
	months := "ABCDEHLMPRST"
	first15 := fmt.Sprintf("PRFCTZ%02d%c%02dL424", i%100, months[(i/100)%12], 1+(i/1200)%28)
	c, _ := auth.CheckChar(first15)
	return first15 + string(c)
}
