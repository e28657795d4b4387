package perf

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store/storetest"
)

// TestInboxSearchUsesTrigramIndex seeds a projection on PostgreSQL, runs the
// inbox's search (?q=, any part of the applicant's name or the start of the
// pratica id) through the store, a page and its count, and EXPLAINs the SQL
// the store sent: both must read the trigram indexes of migration 00771,
// not every live task of the ente.
func TestInboxSearchUsesTrigramIndex(t *testing.T) {
	dsn := storetest.PostgresDSN(t) // skips without PostgreSQL, or fails in CI
	ctx := context.Background()
	db, drop, err := FreshSchema(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	if _, err := SeedProjection(ctx, db, Volume{Pratiche: 30_000, Events: 1, Citizens: 3000, OpenShare: 2}); err != nil {
		t.Fatal(err)
	}
	var sent []string
	if err := db.Callback().Query().After("gorm:query").Register("perf:capture", func(tx *gorm.DB) {
		if tx.DryRun { // a subquery being built, not sent
			return
		}
		sent = append(sent, tx.Dialector.Explain(tx.Statement.SQL.String(), tx.Statement.Vars...))
	}); err != nil {
		t.Fatal(err)
	}
	st := pratica.NewStore(db)
	f := pratica.TaskFilter{Ente: "c_l424", Office: "stato-civile", Search: "rossi1230"}
	page, err := st.Tasks(ctx, f)
	if err != nil || len(page) == 0 {
		t.Fatalf("search page = %d tasks, %v; want some", len(page), err)
	}
	for _, task := range page {
		if !strings.Contains(strings.ToLower(task.Applicant), "rossi1230") {
			t.Errorf("task %s of %q does not match the search", task.ID, task.Applicant)
		}
	}
	if _, _, err := st.CountTasksUpTo(ctx, f, 10_000); err != nil {
		t.Fatal(err)
	}
	if len(sent) != 2 {
		t.Fatalf("%d statements sent, want a page and a count:\n%s", len(sent), strings.Join(sent, "\n"))
	}
	for _, sql := range sent {
		var plan []string
		if err := db.Raw("EXPLAIN " + sql).Scan(&plan).Error; err != nil {
			t.Fatal(err)
		}
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "pratica_tasks_applicant_trgm") || !strings.Contains(text, "pratica_tasks_id_lower") {
			t.Errorf("%s\nplan does not read the trigram indexes:\n%s", sql, text)
		}
	}
}
