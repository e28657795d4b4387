package sim_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
)

// paidMeals starts a pagoPA simulator and returns it with pay, which issues
// a school meal position of Trieste for iuv and amount and pays it at once.
func paidMeals(t *testing.T) (*httptest.Server, func(iuv string, amount int64)) {
	t.Helper()
	ctx := context.Background()
	ps := pagosim.New(pagosim.Config{})
	pagoSrv := httptest.NewServer(ps)
	t.Cleanup(pagoSrv.Close)
	gpd := pagopa.NewClient(pagoSrv.URL, "")
	pay := func(iuv string, amount int64) {
		t.Helper()
		pos := pagopa.GPDPosition{IUPD: "P-" + iuv, Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi", CompanyName: "Comune di Trieste",
			PaymentOption: []pagopa.GPDOption{{IUV: iuv, Amount: amount, Description: "Mensa", DueDate: time.Now().AddDate(0, 1, 0),
				Transfer: []pagopa.GPDTransfer{{IDTransfer: "1", Amount: amount, IBAN: "IT61X0306909606100000012345", Category: "9/0101101IM/",
					RemittanceInformation: "Mensa", TransferMetadata: []pagopa.GPDMetadata{}}}}}}
		if _, err := gpd.CreatePosition(ctx, trieste, pos, true); err != nil {
			t.Fatal(err)
		}
		if _, err := ps.Pay(ctx, trieste, "3"+iuv, ""); err != nil {
			t.Fatal(err)
		}
	}
	return pagoSrv, pay
}
