package perf

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store/storetest"
)

// TestInboxServicePageWalksTheIndex seeds a projection on PostgreSQL (its
// offices and services go together, as an ente's do) and EXPLAINs one inbox
// page filtered by service: the planner must walk an index in the page's
// order and stop at its end, not read every matching task and sort them,
// which it did while it took office and service for independent columns.
func TestInboxServicePageWalksTheIndex(t *testing.T) {
	dsn := storetest.PostgresDSN(t) // skips without PostgreSQL, or fails in CI
	ctx := context.Background()
	db, drop, err := FreshSchema(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	if _, err := SeedProjection(ctx, db, Volume{Pratiche: 100_000, Events: 1, Citizens: 1000, OpenShare: 5}); err != nil {
		t.Fatal(err)
	}
	var sent []string
	if err := db.Callback().Query().After("gorm:query").Register("perf:capture", func(tx *gorm.DB) {
		if !tx.DryRun {
			sent = append(sent, tx.Dialector.Explain(tx.Statement.SQL.String(), tx.Statement.Vars...))
		}
	}); err != nil {
		t.Fatal(err)
	}
	f := pratica.TaskFilter{Ente: "c_l424", Office: "stato-civile", Service: "servizio-5", Limit: pratica.DefaultPage}
	page, err := pratica.NewStore(db).Tasks(ctx, f)
	if err != nil || len(page) != pratica.DefaultPage || len(sent) != 1 {
		t.Fatalf("page = %d tasks, %v, %d statements; want a full page, one statement", len(page), err, len(sent))
	}
	var plan []string
	if err := db.Raw("EXPLAIN " + sent[0]).Scan(&plan).Error; err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	if strings.Contains(text, "Sort") || !strings.Contains(text, "Index Scan using pratica_tasks_live_service") {
		t.Errorf("%s\nplan sorts the matching tasks, want a walk of pratica_tasks_live_service:\n%s", sent[0], text)
	}
}
