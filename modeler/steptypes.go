package modeler

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"
)

//go:embed steptypes.json
var stepTypesJSON []byte

// StepType describes one kind of template step for the visual modeller: its
// label and the JSON Schema 2020-12 of its configuration (the object under the
// step's key named after the type, e.g. "payment"). The modeller generates the
// step's property form from Schema; "x-label" holds each property's label in
// it/en/sl and "x-kind" hints a widget ("text": a Text, "step": a step id,
// "cents": an amount in euro cents shown in euros, "longtext").
type StepType struct {
	Type   string          `json:"type"`
	Label  Text            `json:"label"`
	Schema json.RawMessage `json:"schema"`
}

var stepTypes = sync.OnceValues(func() ([]StepType, error) {
	var doc struct {
		Defs  map[string]json.RawMessage `json:"$defs"`
		Types []struct {
			Type   string         `json:"type"`
			Label  Text           `json:"label"`
			Schema map[string]any `json:"schema"`
		} `json:"types"`
	}
	if err := json.Unmarshal(stepTypesJSON, &doc); err != nil {
		return nil, fmt.Errorf("decode step types: %w", err)
	}
	out := make([]StepType, 0, len(doc.Types))
	for _, t := range doc.Types {
		// Each schema stands alone: the shared definitions travel with it.
		t.Schema["$defs"] = doc.Defs
		b, err := json.Marshal(t.Schema)
		if err != nil {
			return nil, fmt.Errorf("encode step type %s: %w", t.Type, err)
		}
		out = append(out, StepType{Type: t.Type, Label: t.Label, Schema: b})
	}
	return out, nil
})

// StepTypes lists every step type the interpreter runs, in palette order, each
// with the schema of its configuration.
func StepTypes() ([]StepType, error) { return stepTypes() }
