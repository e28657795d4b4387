package pagopa

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/errs"
)

const specs = "../../../shared/specs/pagopa"

func TestParseSendRTSamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(specs, "samples", "RECEIPT_*.xml"))
	if err != nil || len(files) != 2 {
		t.Fatalf("samples: %v %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseSendRT(strings.NewReader(string(data)))
			if strings.Contains(f, "INVALID") {
				// The INVALID sample renames idPA: a required element is missing
				// and an unknown one appears.
				e, ok := errs.As(err)
				if !ok || e.Code != errs.Invalid {
					t.Fatalf("err = %v, want invalid", err)
				}
				want := []errs.FieldError{{Field: "INVALID", Message: "is not an element of paSendRT"}, {Field: "idPA", Message: "is required"}}
				if diff := cmp.Diff(want, e.Fields); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2021, 10, 1, 15, 48, 22, 0, time.UTC) // 17:48:22 in Rome, summer time
			want := &SendRT{Version: 2, IDPA: "77777777777", IDBrokerPA: "77777777777", IDStation: "77777777777_01", Receipt: Receipt{
				ReceiptID: "c110729d258c4ab1b765fe902aae41d6", NoticeNumber: "311111111112222222", FiscalCode: "77777777777", Outcome: "OK",
				CreditorReferenceID: "11111111112222222", Amount: 3000, Description: "test", CompanyName: "company EC1",
				Debtor: Subject{Type: "F", ID: "JHNDOE00A01F205N", FullName: "John Doe", Email: "john.doe@test.it"},
				Payer:  &Subject{Type: "F", ID: "JHNDOE00A01F205N", FullName: "John Doe", Email: "john.doe@test.it"},
				Transfers: []ReceiptTransfer{
					{ID: 1, Amount: 2000, FiscalCodePA: "77777777777", CompanyName: "company EC1", IBAN: "IT0000000000000000000000000", RemittanceInformation: "remittanceInformation1", Category: "0101100IM"},
					{ID: 2, Amount: 1000, FiscalCodePA: "77777777778", CompanyName: "company EC2", IBAN: "IT0000000000000000000000001", RemittanceInformation: "remittanceInformation2", Category: "0201102IM"},
				},
				PSPID: "88888888888", PSPName: "PSP name", ChannelID: "88888888888_01", PaymentMethod: "creditCard", Fee: 200,
				PaymentDateTime: &at, ApplicationDate: "2021-10-01", TransferDate: "2021-10-02",
			}}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseSendRT (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSendRTRefuses(t *testing.T) {
	valid, err := os.ReadFile(filepath.Join(specs, "samples", "RECEIPT_VALID.xml"))
	if err != nil {
		t.Fatal(err)
	}
	v := string(valid)
	tests := []struct {
		name, body, field string
	}{
		{"doctype with entity", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + v, "body"},
		{"billion laughs", `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><r>&lol2;</r>`, "body"},
		{"undeclared entity", strings.Replace(v, "test</description>", "&xxe;</description>", 1), "paSendRTV2Request"},
		{"too large", v + strings.Repeat(" ", MaxReceiptBody), "body"},
		{"not xml", "hello", "body"},
		{"other request", `<paGetPaymentReq/>`, "body"},
		{"bad amount", strings.Replace(v, "<paymentAmount>30.00", "<paymentAmount>30.0", 1), "receipt.paymentAmount"},
		{"transfers do not add up", strings.Replace(v, "<transferAmount>10.00", "<transferAmount>9.00", 1), "receipt.transferList"},
		{"bad notice", strings.Replace(v, "<noticeNumber>311111111112222222", "<noticeNumber>91111111112222222", 1), "receipt.noticeNumber"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSendRT(strings.NewReader(tt.body))
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			if e.Fields[0].Field != tt.field {
				t.Errorf("field = %s (%v), want %s", e.Fields[0].Field, err, tt.field)
			}
		})
	}
}

func TestSendRTEnvelopeAndResponse(t *testing.T) {
	valid, _ := os.ReadFile(filepath.Join(specs, "samples", "RECEIPT_VALID.xml"))
	body := `<soapenv:Envelope xmlns:soapenv="` + NSSoap + `"><soapenv:Header/><soapenv:Body>` + string(valid) + `</soapenv:Body></soapenv:Envelope>`
	got, err := ParseSendRT(strings.NewReader(body))
	if err != nil || got.Receipt.ReceiptID != "c110729d258c4ab1b765fe902aae41d6" {
		t.Fatalf("enveloped: %v %v", got, err)
	}
	for _, tt := range []struct{ code, outcome string }{{"", "OK"}, {FaultDuplicate, "KO"}} {
		outcome, code, err := SendRTOutcome(SendRTResponse(2, tt.code, "x", "y"))
		if err != nil || outcome != tt.outcome || code != tt.code {
			t.Errorf("response %q: %s %s %v", tt.code, outcome, code, err)
		}
	}
	if !strings.Contains(string(SendRTResponse(1, "", "", "")), "<pafn:paSendRTRes><outcome>OK</outcome>") {
		t.Errorf("V1 answer: %s", SendRTResponse(1, "", "", ""))
	}
}

func TestSendRTV2EnvelopeRoundTrip(t *testing.T) {
	p := demoPosition("RT-1")
	p.Options[0].IUV, p.Options[0].NoticeNumber = "47000000000000124", "347000000000000124"
	r := receiptFor(p, 0, "rt-round-trip")
	r.Payer = &Subject{Type: "F", ID: citizen, FullName: "Mario Rossi", Email: "m@example.it"}
	r.Fee = 150
	body, err := r.SendRTV2Envelope(trieste, "00000000000", "00000000000_01")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseSendRT(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if diff := cmp.Diff(r, &got.Receipt); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}
