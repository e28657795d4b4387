package perf

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sportello/sportello/modeler"
)

func init() {
	Register(Spec{Name: "form validation, 200 fields", Order: 40, Run: FormRow})
}

// FormRow validates a 200-field submission (strings with lengths, integers
// with ranges, dates, codici fiscali, enums; 150 required) against its
// compiled form with the modeller's validator, and compares it with decoding
// the same submission from JSON. Target: one validation in at most 1 ms.
func FormRow(ctx context.Context, env Env) (Row, error) {
	f, data := form200()
	sch, err := modeler.NewForms(nil).Compile(ctx, f)
	if err != nil {
		return Row{}, fmt.Errorf("compile form: %w", err)
	}
	doc, err := json.Marshal(data)
	if err != nil {
		return Row{}, fmt.Errorf("encode submission: %w", err)
	}
	if err := modeler.Validate(sch, data, "it"); err != nil {
		return Row{}, fmt.Errorf("the submission should be valid: %w", err)
	}
	n := env.Size(3000, 5)
	var validate, decode time.Duration
	for i := 0; i < n; i++ {
		t0 := time.Now()
		var v map[string]any
		if err := json.Unmarshal(doc, &v); err != nil {
			return Row{}, fmt.Errorf("decode submission: %w", err)
		}
		t1 := time.Now()
		if err := modeler.Validate(sch, v, "it"); err != nil {
			return Row{}, fmt.Errorf("validate: %w", err)
		}
		decode, validate = decode+t1.Sub(t0), validate+time.Since(t1)
	}
	ms := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(n) }
	r := Row{Unit: "ms", Value: ms(validate), Baseline: ms(decode), BaselineName: "json decode", Target: "≤ 1 ms"}
	r.Ratio = ratio(r.Value, r.Baseline)
	r.Pass = r.Value <= 1
	r.Note = fmt.Sprintf("%d validations of a 200-field submission, each after decoding it", n)
	return r, nil
}

// form200 builds a 200-field form and a valid submission of it.
func form200() (*modeler.Form, map[string]any) {
	props := map[string]any{}
	var required []string
	data := map[string]any{}
	for i := range 200 {
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
			props[name] = map[string]any{"type": "string", "format": modeler.FormatCodiceFiscale}
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
	return &modeler.Form{ID: "perf", Version: 1, Title: modeler.Text{IT: "Perf"}, Schema: schema}, data
}
