package issuance_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/activities/pagopa/sim"
)

const bulkOrg = "00210240321"

func gpdPositions(prefix string, n int) []pagopa.GPDPosition {
	due := time.Date(2030, 6, 30, 0, 0, 0, 0, time.UTC)
	out := make([]pagopa.GPDPosition, n)
	for i := range out {
		out[i] = pagopa.GPDPosition{IUPD: fmt.Sprintf("%s-%d", prefix, i), Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi",
			CompanyName: "Comune di Trieste", PaymentOption: []pagopa.GPDOption{{IUV: fmt.Sprintf("%s%016d", prefix[:1], i), Amount: 3000,
				Description: "TARI", DueDate: due, Transfer: []pagopa.GPDTransfer{{IDTransfer: "1", Amount: 3000, IBAN: "IT61X0306909606100000012345",
					Category: "9/0101101IM/", RemittanceInformation: "TARI", TransferMetadata: []pagopa.GPDMetadata{}}}}}}
	}
	return out
}

func bulkGPD(t *testing.T) (issuance.BulkGPD, *pagopa.Bulk) {
	t.Helper()
	s, _ := sim.Open(sim.Config{})
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	b := pagopa.NewBulk(hs.URL, sim.Broker, "")
	b.PollEvery, b.Log = time.Millisecond, slog.New(slog.DiscardHandler)
	return issuance.BulkGPD{Bulk: b, Single: pagopa.NewClient(hs.URL, "")}, b
}

// TestBulkGPDOutcomes sends files to the simulator's massive upload API: a
// file too large for one upload goes as smaller ones, a position too large
// for any file is refused with the reason, a position GPD already holds with
// our notices counts as created (a file sent twice), and one whose iupd GPD
// holds with other notices is refused naming them.
func TestBulkGPDOutcomes(t *testing.T) {
	ctx := context.Background()
	g, b := bulkGPD(t)
	ps := gpdPositions("A", 40)
	b.MaxZip = 600
	for i, o := range g.Send(ctx, bulkOrg, ps) {
		if o.Err != nil || o.Refused != "" || o.Status != pagopa.Valid {
			t.Fatalf("position %d: %+v", i, o)
		}
	}
	files, _ := b.Files(ctx, bulkOrg, "", "")
	if len(files) < 2 {
		t.Errorf("%d files for a roll larger than one file may hold", len(files))
	}
	b.MaxZip = 0
	for i, o := range g.Send(ctx, bulkOrg, ps[:5]) { // the same file again
		if o.Err != nil || o.Refused != "" || o.Status != pagopa.Valid {
			t.Errorf("position %d sent again: %+v", i, o)
		}
	}
	other := gpdPositions("B", 1)
	other[0].IUPD = "A-7"
	if o := g.Send(ctx, bulkOrg, other)[0]; !strings.Contains(o.Refused, "other notices") {
		t.Errorf("an iupd GPD holds with other notices: %+v", o)
	}
	b.MaxZip = 10
	if o := g.Send(ctx, bulkOrg, gpdPositions("C", 1))[0]; o.Err != nil || !strings.Contains(o.Refused, "send fewer per file") {
		t.Errorf("a position no file can hold: %+v", o)
	}
}
