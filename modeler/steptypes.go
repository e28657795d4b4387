package modeler

import (
	"bytes"
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
		Defs  json.RawMessage `json:"$defs"`
		Types []struct {
			Type   string          `json:"type"`
			Label  Text            `json:"label"`
			Schema json.RawMessage `json:"schema"`
		} `json:"types"`
	}
	if err := json.Unmarshal(stepTypesJSON, &doc); err != nil {
		return nil, fmt.Errorf("decode step types: %w", err)
	}
	out := make([]StepType, 0, len(doc.Types))
	for _, t := range doc.Types {
		// Each schema stands alone: the shared definitions travel with it. The
		// text is spliced, not re-encoded, so properties keep the order the
		// property form shows them in.
		raw := bytes.TrimSpace(t.Schema)
		if len(raw) < 2 || raw[0] != '{' {
			return nil, fmt.Errorf("step type %s: schema is not an object", t.Type)
		}
		b := append([]byte(`{"$defs":`), doc.Defs...)
		if rest := bytes.TrimSpace(raw[1:]); len(rest) > 0 && rest[0] != '}' {
			b = append(b, ',')
		}
		b = append(b, raw[1:]...)
		if !json.Valid(b) {
			return nil, fmt.Errorf("step type %s: schema does not splice into valid JSON", t.Type)
		}
		out = append(out, StepType{Type: t.Type, Label: t.Label, Schema: b})
	}
	return out, nil
})

// StepTypes lists every step type the interpreter runs, in palette order, each
// with the schema of its configuration.
func StepTypes() ([]StepType, error) { return stepTypes() }
