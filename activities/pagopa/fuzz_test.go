package pagopa

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseSendRT: whatever the node (or someone pretending to be it) posts as
// paSendRT, the parser answers a receipt or an error, never a panic, and an
// accepted receipt validates.
func FuzzParseSendRT(f *testing.F) {
	for _, n := range []string{"RECEIPT_VALID.xml", "RECEIPT_INVALID.xml"} {
		if b, err := os.ReadFile(filepath.Join(specs, "samples", n)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rt, err := ParseSendRT(bytes.NewReader(b))
		if err != nil {
			return
		}
		if err := rt.Receipt.Validate(); err != nil {
			t.Fatalf("accepted a receipt that does not validate: %v", err)
		}
	})
}

// FuzzReceiptFromJSON: the same for a JSON receipt (biz events shape).
func FuzzReceiptFromJSON(f *testing.F) {
	f.Add([]byte(`{"receiptId":"r1","noticeNumber":"302000000000000042","fiscalCode":"00210240321","outcome":"OK","creditorReferenceId":"02000000000000042",
"paymentAmount":30.00,"description":"x","companyName":"Comune",
"debtor":{"entityUniqueIdentifierType":"F","entityUniqueIdentifierValue":"RSSMRA80A01L424F","fullName":"Mario Rossi"},
"transferList":[{"idTransfer":1,"transferAmount":30.00,"fiscalCodePA":"00210240321","iban":"IT61X0306909606100000012345","remittanceInformation":"a","transferCategory":"0104102TS"}],
"idPSP":"SIMPSP","paymentDateTime":"2026-11-27","paymentDateTimeFormatted":"2026-11-27T10:00:00Z"}`))
	f.Add([]byte(`{"paymentAmount":1e308,"transferList":[{"transferAmount":-1}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ReceiptFromJSON(b)
		if err != nil {
			return
		}
		if r.Amount <= 0 {
			t.Fatalf("accepted a receipt of %d cents", r.Amount)
		}
	})
}

// FuzzNoticeNumber: a notice number we built parses back to its IUV; any
// other string is refused or parsed without a panic.
func FuzzNoticeNumber(f *testing.F) {
	f.Add(3, "47", int64(42), "302000000000000042")
	f.Add(0, "01", int64(7), "001000000000000099")
	f.Fuzz(func(t *testing.T, aux int, code string, n int64, other string) {
		s := IUVScheme{AuxDigit: aux, Code: code}
		_, _ = ParseNotice(s, other)
		_ = CheckNoticePattern(other)
		if s.Validate("scheme") != nil || n < 0 || n > s.MaxSeq() {
			return
		}
		nt, err := s.Build(n)
		if err != nil {
			return
		}
		iuv, err := ParseNotice(s, nt.NoticeNumber)
		if err != nil || iuv != nt.IUV || IUVOf(nt.NoticeNumber) != nt.IUV {
			t.Fatalf("built %+v, parsed back %q %v", nt, iuv, err)
		}
	})
}

// FuzzChecks: the identifier checks never panic, and what they accept is upper case and of its length.
func FuzzChecks(f *testing.F) {
	for _, s := range []string{"RSSMRA80A01L424F", "00210240321", "IT60X0542811101000000123456", "rssmra80a01l424f", "ÀÀÀ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckCodiceFiscale(s) == "" && (len(s) != 16 || strings.ToUpper(s) != s) {
			t.Fatalf("accepted codice fiscale %q", s)
		}
		if CheckIBAN(s) == "" && len(s) < 15 {
			t.Fatalf("accepted IBAN %q", s)
		}
		_ = CheckPartitaIVA(s)
		_ = CheckFiscalCode(s)
	})
}
