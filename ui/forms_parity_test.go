package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
)

// parityCase is one sample fed to both validators.
type parityCase struct {
	Name   string          `json:"-"`
	Schema json.RawMessage `json:"schema"`
	Data   any             `json:"data"`
	Lang   string          `json:"lang"`
}

// formatSchema is a one-field form whose field has the given format.
func formatSchema(format string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",`+
		`"properties":{"v":{"type":"string","format":%q}},"required":["v"],"additionalProperties":false}`, format))
}

// formatSamples are good and bad values of each custom format of the server
// (modeler/formats.go) and of the standard ones the demo forms use.
var formatSamples = map[string][]string{
	"codice-fiscale": {
		"RSSMRA80A01L424F", "rssmra80a01l424f", "BNCGLI85C55L424K", "RSSMRA80A01L424X", "RSSMRA80A01L42", "RSSMRA8OA01L424F",
		"RSSMRALMALMLQRSF", "RSSMRAVTALMLQRSF", "12345678903", "12345678901", "1234567890A", "", "RSSMRA80A01L424FF",
		"RSSMRA80Z01L424F", "RSSMRA80A0IL424F", " RSSMRA80A01L424F", "RSS-RA80A01L424F",
		// Right check character: omocodia letters, a wrong letter where a digit goes,
		// no month check (as the server), a letter O for a zero.
		"RSSMRAULALMLQRSF", "RSSMRA80A01L4Z4C", "RSSMRA80Z01L424B", "RSSMRA8OA01L424T",
	},
	"iban": {
		"IT60X0542811101000000123456", "it60 x054 2811 1010 0000 0123 456", "IT61X0542811101000000123456",
		"IT60X054281110100000012345", "DE89370400440532013000", "GB82WEST12345698765432", "SI56263300012039086",
		"DE89370400440532013001", "IT60X05428111010000001234_6", "XX00", "", "FR1420041010050500013M02606",
		// Right check digits: an Italian one too short and too long, the shortest, an unknown country.
		"IT90X054281110100000012345", "IT24X05428111010000001234567", "NO559386011117", "XX42ABCDEFGHIJKLMN",
	},
	"attachment": {
		"0b6d2c1e-8f3a-4c5b-9d7e-1a2b3c4d5e6f", "0B6D2C1E-8F3A-4C5B-9D7E-1A2B3C4D5E6F", "0b6d2c1e8f3a4c5b9d7e1a2b3c4d5e6f",
		"not-an-id", "", "0b6d2c1e-8f3a-4c5b-9d7e-1a2b3c4d5e6",
	},
	"date":  {"2026-12-01", "2026-02-29", "2028-02-29", "2026-13-01", "01/12/2026", "2026-1-1", ""},
	"email": {"mario.rossi@example.org", "non-una-email", "a@b", "mario rossi@example.org", ""},
}

// TestFormatParity feeds the same samples to the server's validator
// (modeler.Validate, after modeler.Normalise as on submission) and to the
// browser's (ui/static/forms/validate.js, run by Node) and wants the same
// verdict for every sample and the same findings (field and message, in
// Italian and in Slovenian);
// for the demo forms too, on good and bad data, if/then/else included.
func TestFormatParity(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is needed for the parity test")
		}
		t.Skip("node is needed for the parity test")
	}
	var cases []parityCase
	for format, values := range formatSamples {
		for _, v := range values {
			cases = append(cases, parityCase{Name: format + " " + v, Schema: formatSchema(format), Data: map[string]any{"v": v}, Lang: "it"})
		}
	}
	cases = append(cases, demoCases(t)...)
	// Each sample in Italian and in Slovenian (the server's Slovenian is its Italian, translated).
	for _, c := range cases[:len(cases):len(cases)] {
		c.Lang, c.Name = "sl", c.Name+" (sl)"
		cases = append(cases, c)
	}

	forms := modeler.NewForms(nil)
	want := make([][]string, len(cases))
	for i, c := range cases {
		sch, err := forms.Compile(context.Background(), &modeler.Form{ID: fmt.Sprintf("p%d", i), Version: 1, Schema: c.Schema})
		if err != nil {
			t.Fatalf("%s: compile: %v", c.Name, err)
		}
		data := roundTrip(t, c.Data)
		want[i] = fieldsOf(t, modeler.Validate(sch, modeler.Normalise(sch, data), c.Lang))
	}

	got := runValidator(t, cases)
	if len(got) != len(cases) {
		t.Fatalf("node answered %d results for %d cases", len(got), len(cases))
	}
	bad := 0
	for i, c := range cases {
		g := make([]string, 0, len(got[i]))
		for _, f := range got[i] {
			g = append(g, finding(f))
		}
		slices.Sort(g)
		g = slices.Compact(g)
		if !slices.Equal(g, want[i]) {
			bad++
			t.Errorf("%s: browser finds %v, server finds %v", c.Name, g, want[i])
		}
	}
	t.Logf("%d samples, %d disagreements", len(cases), bad)
}

// demoCases are good and bad submissions of the demo forms.
func demoCases(t *testing.T) []parityCase {
	t.Helper()
	load := func(name string) json.RawMessage {
		b, err := os.ReadFile(filepath.Join("..", "modeler", "demo", "forms", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Schema json.RawMessage `json:"schema"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		return f.Schema
	}
	person := func(cf string) map[string]any {
		return map[string]any{"nome": "Mario", "cognome": "Rossi", "codiceFiscale": cf, "dataNascita": "1980-01-01"}
	}
	m, mensa := load("matrimonio-domanda"), load("mensa")
	return []parityCase{
		{Name: "marriage ok", Schema: m, Lang: "it", Data: map[string]any{"sposo1": person("RSSMRA80A01L424F"), "sposo2": person("BNCGLI85C55L424K"), "sala": "sala-giunta", "data": "2027-01-10"}},
		{Name: "marriage garden without guests", Schema: m, Lang: "it", Data: map[string]any{"sposo1": person("RSSMRA80A01L424F"), "sposo2": person("BNCGLI85C55L424K"), "sala": "giardino", "data": "2027-01-10"}},
		{Name: "marriage garden 70 guests", Schema: m, Lang: "it", Data: map[string]any{"sposo1": person("RSSMRA80A01L424F"), "sposo2": person("bncgli85c55l424k"), "sala": "giardino", "data": "2027-01-10", "ospiti": 70}},
		{Name: "marriage bad values", Schema: m, Lang: "it", Data: map[string]any{"sposo1": person("RSSMRA80A01L424X"), "sposo2": map[string]any{"nome": "", "cognome": "B", "codiceFiscale": "BNCGLI85C55L424K", "dataNascita": "1985-02-30", "altro": 1}, "sala": "cantina", "data": "2027-01-10", "ospiti": 3.5}},
		{Name: "school meals diet without certificate", Schema: mensa, Lang: "it", Data: map[string]any{"alunno": map[string]any{"nome": "Ada", "codiceFiscale": "RSSMRA80A01L424F"}, "scuola": "primaria-svevo", "pasti": 20, "esenzione": false, "dieta": true}},
		{Name: "school meals too many", Schema: mensa, Lang: "it", Data: map[string]any{"alunno": map[string]any{"nome": "Ada", "codiceFiscale": "12345678903"}, "scuola": "primaria-svevo", "pasti": 221, "esenzione": "no", "dieta": false}},
	}
}

// finding is a field and its message, as compared. One wording
// differs on purpose: the server lists an enum's values ("deve essere uno
// tra: sala-matrimoni, ..."), codes the browser does not show to citizens.
func finding(f errs.FieldError) string {
	if strings.HasPrefix(f.Message, "deve essere uno tra: ") || strings.HasPrefix(f.Message, "mora biti eno od: ") ||
		f.Message == "deve essere uno dei valori proposti" || f.Message == "mora biti ena od ponujenih vrednosti" {
		return f.Field + " (enum)"
	}
	return f.Field + " " + f.Message
}

// roundTrip gives v as encoding/json decodes it, the shape the server validates.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// fieldsOf lists, sorted and once each, the fields a server error names.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	out := []string{}
	if err == nil {
		return out
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		t.Fatalf("not a field error: %v", err)
	}
	for _, f := range e.Fields {
		out = append(out, finding(f))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// runValidator runs ui/e2e/validate.mjs on the cases.
func runValidator(t *testing.T, cases []parityCase) [][]errs.FieldError {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", filepath.Join("e2e", "validate.mjs"))
	cmd.Stdin = bytes.NewReader(in)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node e2e/validate.mjs: %v\n%s", err, stderr.String())
	}
	var got [][]errs.FieldError
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node e2e/validate.mjs answered %q: %v", out, err)
	}
	return got
}
