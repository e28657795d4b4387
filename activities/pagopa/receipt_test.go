package pagopa

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/errs"
)

// bizEventExample is the example receipt of the official biz_events.json,
// with its placeholder values replaced: every property it lists must decode.
func bizEventExample(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(specs, "openapi", "biz_events.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct {
					Example map[string]any `json:"example"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ex := doc.Paths["/organizations/{organizationfiscalcode}/receipts/{iur}"]["get"].Responses["200"].Content["application/json"].Example
	if len(ex) == 0 {
		t.Fatal("no example receipt in biz_events.json")
	}
	for k, v := range map[string]any{"receiptId": "b1", "noticeNumber": "347000000000000124", "fiscalCode": trieste, "outcome": "OK",
		"creditorReferenceId": "47000000000000124", "paymentAmount": 16.5, "fee": 1.2, "primaryCiIncurredFee": 0.5, "paymentDateTime": "2026-11-27",
		"paymentDateTimeFormatted": "2026-11-27T11:00:00+01:00", "applicationDate": "2026-11-27", "transferDate": "2026-11-28"} {
		ex[k] = v
	}
	tr := ex["transferList"].([]any)[0].(map[string]any)
	tr["idTransfer"], tr["transferAmount"] = 1, 16.5
	return ex
}

func TestReceiptFromJSON(t *testing.T) {
	ex := bizEventExample(t)
	data, _ := json.Marshal(ex)
	got, err := ReceiptFromJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	if got.Amount != 1650 || got.Fee != 120 || got.Transfers[0].Amount != 1650 || !got.PaymentDateTime.Equal(at) || got.Payer == nil {
		t.Errorf("receipt: %+v", got)
	}
	tests := []struct {
		name   string
		change func(m map[string]any)
		want   []errs.FieldError
	}{
		{"unknown property", func(m map[string]any) { m["surprise"] = 1 }, []errs.FieldError{{Field: "body", Message: `is not a JSON receipt: unknown field "surprise"`}}},
		{"three decimals", func(m map[string]any) { m["paymentAmount"] = 16.505 }, []errs.FieldError{{Field: "paymentAmount", Message: "must be euros with at most two decimals"}}},
		{"transfers do not add up", func(m map[string]any) { m["paymentAmount"] = 17.0 },
			[]errs.FieldError{{Field: "receipt.transferList", Message: "transfers sum to 16.50, the payment is 17.00"}}},
		{"bad notice and outcome", func(m map[string]any) { m["noticeNumber"], m["outcome"] = "123", "MAYBE" }, []errs.FieldError{
			{Field: "receipt.noticeNumber", Message: "must be 18 digits with aux digit 0-3"}, {Field: "receipt.outcome", Message: "must be OK or KO"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := bizEventExample(t)
			tt.change(m)
			data, _ := json.Marshal(m)
			_, err := ReceiptFromJSON(data)
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			if diff := cmp.Diff(tt.want, e.Fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]int64{"30.00": 3000, "0.01": 1, "999999999.99": 99999999999} {
		if got, err := ParseAmount("a", in); err != nil || got != want {
			t.Errorf("ParseAmount(%s) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"30", "30.0", "30.000", "-1.00", "1e3.00", "", "1000000000.00"} {
		if _, err := ParseAmount("a", in); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("ParseAmount(%q) accepted", in)
		}
	}
}
