package modeler

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// form200 builds a 200-field form: strings with lengths and patterns, integers
// with ranges, dates, codici fiscali and enums, 150 of them required.
func form200() (*Form, map[string]any) {
	props := map[string]any{}
	var required []string
	data := map[string]any{}
	for i := 0; i < 200; i++ {
		name := fmt.Sprintf("campo%03d", i)
		switch i % 5 {
		case 0:
			props[name] = map[string]any{"type": "string", "minLength": 1, "maxLength": 80}
			data[name] = "Via Roma 1"
		case 1:
			props[name] = map[string]any{"type": "integer", "minimum": 0, "maximum": 100000}
			data[name] = float64(i * 7)
		case 2:
			props[name] = map[string]any{"type": "string", "format": "date"}
			data[name] = "2027-06-12"
		case 3:
			props[name] = map[string]any{"type": "string", "format": FormatCodiceFiscale}
			data[name] = "RSSMRA80A01L424F"
		case 4:
			props[name] = map[string]any{"type": "string", "enum": []any{"a", "b", "c"}}
			data[name] = "b"
		}
		if i%4 != 0 {
			required = append(required, name)
		}
	}
	schema, _ := json.Marshal(map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false})
	return &Form{ID: "bench", Version: 1, Title: Text{IT: "Bench"}, Schema: schema}, data
}

// BenchmarkValidate200Fields validates a 200-field submission against its
// compiled form; the baseline is decoding the same submission from JSON.
func BenchmarkValidate200Fields(b *testing.B) {
	f, data := form200()
	sch, err := NewForms(nil).Compile(context.Background(), f)
	if err != nil {
		b.Fatal(err)
	}
	doc, _ := json.Marshal(data)
	if err := Validate(sch, data, "it"); err != nil {
		b.Fatal(err)
	}
	const rounds = 2000
	start := time.Now()
	for i := 0; i < rounds; i++ {
		var v map[string]any
		if err := json.Unmarshal(doc, &v); err != nil {
			b.Fatal(err)
		}
	}
	baseline := time.Since(start) / rounds
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Validate(sch, data, "it"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(baseline.Nanoseconds()), "unmarshal-ns/op")
	b.ReportMetric(float64(per)/float64(baseline), "x-unmarshal")
}

func TestValidate200FieldsReportsEveryError(t *testing.T) {
	f, data := form200()
	sch, err := NewForms(nil).Compile(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]any{}
	for k, v := range data {
		bad[k] = v
	}
	bad["campo003"] = "RSSMRA80A01L424X"
	bad["campo001"] = float64(-1)
	delete(bad, "campo002")
	bad["extra"] = true
	e, ok := asErr(Validate(sch, bad, "en"))
	if !ok {
		t.Fatal("want an invalid error")
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field+": "+f.Message)
	}
	want := []string{"/campo001: must be at least 0", "/campo002: is required", "/campo003: is not a valid codice fiscale: check character is wrong", "/extra: is not a field of this form"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
