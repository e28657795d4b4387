package pagopa

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sportello/sportello/errs"
)

// TestBulkFileMatchesOfficialSchema unzips the file the massive upload sends
// and validates each position against PaymentPositionModel of gpd.json, the
// shape gpd_massive_v2.json's file description lists.
func TestBulkFileMatchesOfficialSchema(t *testing.T) {
	schema := gpdSchema(t, "gpd.json", "PaymentPositionModel")
	a, b := issued(demoPosition("MAT-1")), issued(installmentPosition("TARI-1"))
	b.Options[0].Transfers[0].PostalIBAN = "IT66B0760102200001022345678"
	data, err := ZipBulk(BulkFile{PaymentPositions: []GPDPosition{ToGPD(a), ToGPD(b)}})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) != 1 {
		t.Fatalf("zip: %v, %d entries", err, len(zr.File))
	}
	rc, _ := zr.File[0].Open()
	raw, _ := io.ReadAll(rc)
	var doc map[string][]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc) != 1 || len(doc["paymentPositions"]) != 2 {
		t.Fatalf("file shape: %s", raw)
	}
	for _, p := range doc["paymentPositions"] {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%v\n%s", err, p)
		}
	}
}

// TestBulkRefusesBadFiles names the field of a file GPD would refuse.
func TestBulkRefusesBadFiles(t *testing.T) {
	b := NewBulk("http://127.0.0.1:1", "15376371009", "")
	b.MaxZip = 200 // smaller than any zip of positions
	p := ToGPD(issued(demoPosition("MAT-1")))
	for name, tc := range map[string]struct {
		in    []GPDPosition
		field string
	}{
		"empty":   {nil, "positions"},
		"twice":   {[]GPDPosition{p, p}, "positions[1].iupd"},
		"no iupd": {[]GPDPosition{{}}, "positions[0].iupd"},
		"too big": {[]GPDPosition{p, ToGPD(issued(demoPosition("MAT-2")))}, "positions"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := b.Upload(t.Context(), "00210240321", tc.in)
			if e, ok := errs.As(err); !ok || e.Code != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
				t.Errorf("err = %v, want a refusal naming %s", err, tc.field)
			}
		})
	}
}
