package modeler

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestStepTypeSchemas checks that every step type the checker knows has a
// schema, that each schema compiles, that the configuration of every step of
// the demo templates fits its type's schema, and that a wrong configuration
// does not.
func TestStepTypeSchemas(t *testing.T) {
	types, err := StepTypes()
	if err != nil {
		t.Fatal(err)
	}
	compiled := map[string]*jsonschema.Schema{}
	for _, st := range types {
		if !isStepType(st.Type) {
			t.Errorf("schema for %q, which is not a step type", st.Type)
		}
		if st.Label.IT == "" || st.Label.EN == "" || st.Label.SL == "" {
			t.Errorf("step type %s: label %+v lacks a language", st.Type, st.Label)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(st.Schema))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		url := "https://steps.invalid/" + st.Type + ".json"
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
		if compiled[st.Type], err = c.Compile(url); err != nil {
			t.Fatalf("step type %s: %v", st.Type, err)
		}
	}
	for _, typ := range []string{StepForm, StepTask, StepPayment, StepNotify, StepLedger, StepWait, StepDeadline, StepDecision, StepParallel, StepEnd} {
		if compiled[typ] == nil {
			t.Errorf("step type %s has no schema", typ)
		}
	}

	files, _ := filepath.Glob("demo/templates/*.json")
	if len(files) == 0 {
		t.Fatal("no demo templates")
	}
	seen := 0
	for _, f := range files {
		doc, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := ParseTemplate(doc)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, s := range tpl.Steps {
			var whole map[string]any
			b, _ := json.Marshal(s.Step)
			_ = json.Unmarshal(b, &whole)
			if err := compiled[s.Type].Validate(whole[s.Type]); err != nil {
				t.Errorf("%s step %s (%s) does not fit its schema: %v", f, s.ID, s.Type, err)
			}
			seen++
		}
	}
	if seen < 10 {
		t.Fatalf("checked only %d steps", seen)
	}
	for typ, bad := range map[string]any{
		StepPayment: map[string]any{"taxonomy": "nope", "remittance": map[string]any{"it": "x"}, "dueDays": 1, "expiryDays": 2},
		StepEnd:     map[string]any{"outcome": "maybe", "message": map[string]any{"it": "x"}},
		StepTask:    map[string]any{"role": "operator", "outcomes": []any{}},
	} {
		if compiled[typ].Validate(bad) == nil {
			t.Errorf("step type %s accepted %v", typ, bad)
		}
	}
}
