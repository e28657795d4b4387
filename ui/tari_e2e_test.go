package ui_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
)

// TestTariJourney is issue 11's done-when in the portal (ui/e2e/tari.mjs):
// Trieste's finance office uploads a generated roll (TARI_ROWS households,
// default 10,000, Mario Rossi first, plus one bad row), reads the dry run,
// confirms, pauses and resumes, watches the progress bar to done (through
// GPD's massive upload: about 8 s for 10,000 rows here), downloads the
// riscontri and the zip of every notice; the campaign's App IO message
// reaches Mario in the simulator; Mario pays two instalments of his TARI and
// downloads the receipts; the riscontri then show him partially paid; the
// day's flows and treasury journal reconcile the next day, the ledger
// balances and the campaign's accounting check passes. axe at both sizes on
// every page.
func TestTariJourney(t *testing.T) {
	n := 10000
	if s := os.Getenv("TARI_ROWS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("TARI_ROWS=%q: want a number of rows", s)
		}
		n = v
	}
	srv := startBrowserTest(t)
	year := time.Now().Year() + 1 // the plan form's default year
	plan := issuance.DemoPlan(pagopa.Creditor{FiscalCode: "00210240321", Name: "Comune di Trieste", IBAN: "IT13X0306902230100000046001"}, year)
	var roll bytes.Buffer
	if err := issuance.WriteCSV(&roll, &plan, issuance.DemoRows(n, year)); err != nil {
		t.Fatal(err)
	}
	roll.WriteString(strconv.Itoa(year) + ",F,RSSMRA80A01L424X,Check sbagliato,,100.00,,,,5.00,,,\n")
	path := filepath.Join(t.TempDir(), "ruolo-tari.csv")
	if err := os.WriteFile(path, roll.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ROLL", path)
	t.Setenv("ROWS", strconv.Itoa(n))
	runScript(t, srv, "tari.mjs", 20*time.Minute, "the TARI journey did not reach PASS")
}
