package store_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/store/storetest"
)

// TestLedgerAndAuditRowsAreImmutable: the database refuses UPDATE and DELETE on
// ledger entries, their lines and the audit log, whoever the client is.
func TestLedgerAndAuditRowsAreImmutable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		setup := []string{
			`INSERT INTO ledger_entries (id, ente, source_key, kind, posted_on, description, created_at) VALUES ('e1', 'c_l424', 'k1', 'accertamento', '2026-11-30', 'x', CURRENT_TIMESTAMP)`,
			`INSERT INTO ledger_lines (entry_id, line, account, debit) VALUES ('e1', 1, 'crediti', 100)`,
			`INSERT INTO auth_audit (id, seq, at, subject, role, ente, domain, action, object, object_id, method, path, request_id, address, outcome, status, reason, prev_hash, hash)
			 VALUES ('a1', 1, CURRENT_TIMESTAMP, 's', 'r', 'e', 'd', 'a', 'o', 'i', 'GET', '/', 'q', '127.0.0.1', 'allowed', 200, '', '', 'h')`,
		}
		for _, s := range setup {
			if err := db.Exec(s).Error; err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		for _, s := range []string{
			`UPDATE ledger_entries SET description = 'changed'`, `DELETE FROM ledger_entries`,
			`UPDATE ledger_lines SET debit = 1`, `DELETE FROM ledger_lines`,
			`UPDATE auth_audit SET outcome = 'denied'`, `DELETE FROM auth_audit`,
		} {
			err := db.Exec(s).Error
			if err == nil || !strings.Contains(err.Error(), "immutable") {
				t.Errorf("%s: %v, want it refused as immutable", s, err)
			}
		}
		var n int64
		if err := db.Raw(`SELECT COUNT(*) FROM ledger_entries WHERE description = 'x'`).Scan(&n).Error; err != nil || n != 1 {
			t.Fatalf("the entry changed: %d %v", n, err)
		}
	})
}
