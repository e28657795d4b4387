package pagopa

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// gpdSchema compiles a component schema of the official gpd.json.
func gpdSchema(t *testing.T, file, component string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join(specs, "openapi", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "https://sportello.test/" + file
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url + "#/components/schemas/" + component)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestGPDPayloadMatchesOfficialSchema validates what we send GPD against
// PaymentPositionModel of the official OpenAPI document.
func TestGPDPayloadMatchesOfficialSchema(t *testing.T) {
	schema := gpdSchema(t, "gpd.json", "PaymentPositionModel")
	for _, p := range []*Position{issued(demoPosition("MAT-1")), issued(installmentPosition("TARI-1"))} {
		t.Run(p.IUPD, func(t *testing.T) {
			p.Debtor.Email = "mario.rossi@example.it"
			data, err := json.Marshal(ToGPD(p))
			if err != nil {
				t.Fatal(err)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(v); err != nil {
				t.Errorf("%s\n%s", err, data)
			}
		})
	}
	// The schema is not a rubber stamp: a payload without the required
	// paymentOptionMetadata, or with a seventh transfer id, is refused.
	bad := ToGPD(issued(demoPosition("BAD")))
	bad.PaymentOption[0].Transfer[0].IDTransfer = "7"
	data, _ := json.Marshal(bad)
	v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err := schema.Validate(v); err == nil {
		t.Error("idTransfer 7 validated")
	}
	var m map[string]any
	json.Unmarshal(data, &m)
	delete(m["paymentOption"].([]any)[0].(map[string]any), "paymentOptionMetadata")
	if err := schema.Validate(m); err == nil {
		t.Error("missing paymentOptionMetadata validated")
	}
}

// TestGPDv3PayloadMatchesOfficialSchema validates the v3 shape of our
// positions against PaymentPositionModelV3 of gpd_v3.json.
func TestGPDv3PayloadMatchesOfficialSchema(t *testing.T) {
	schema := gpdSchema(t, "gpd_v3.json", "PaymentPositionModelV3")
	for _, p := range []*Position{issued(demoPosition("MAT-1")), issued(installmentPosition("TARI-1"))} {
		t.Run(p.IUPD, func(t *testing.T) {
			g := ToGPDv3(p)
			data, err := json.Marshal(g)
			if err != nil {
				t.Fatal(err)
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(v); err != nil {
				t.Errorf("%s\n%s", err, data)
			}
			var plans []int
			for _, o := range g.PaymentOption {
				plans = append(plans, len(o.Installments))
			}
			want := map[string][]int{"MAT-1": {1}, "TARI-1": {1, 2}}[p.IUPD]
			if fmt.Sprint(plans) != fmt.Sprint(want) {
				t.Errorf("installments per plan = %v, want %v", plans, want)
			}
		})
	}
}
