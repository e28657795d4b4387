package modeler

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/sportello/sportello/errs"
)

// Canonical returns the canonical JSON of a template: struct fields in
// declaration order, map keys sorted, no insignificant space. Its sha256 is the
// version's content hash.
func Canonical(t *Template) ([]byte, error) {
	return json.Marshal(t)
}

// Hash is the hex sha256 of the template's canonical JSON.
func Hash(t *Template) (string, error) {
	b, err := Canonical(t)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// Compile turns a resolved, validated template version into the Plan the
// interpreter runs. It refuses a template with parameters still declared only
// when they are not resolved; callers validate with Checker first, Compile
// re-checks the links it relies on.
func Compile(t *Template, version int) (*Plan, error) {
	hash, err := Hash(t)
	if err != nil {
		return nil, errs.Wrap(err, "hash template %s", t.ID)
	}
	p := &Plan{
		TemplateID: t.ID, Version: version, Hash: hash, Ente: t.Ente,
		Title: t.Title, Start: t.Start, Steps: make(map[string]*Step, len(t.Steps)),
	}
	if t.Deadline != nil {
		d := *t.Deadline
		p.Deadline = &d
	}
	for _, ts := range t.Steps {
		s, err := deepCopy(ts.Step)
		if err != nil {
			return nil, err
		}
		if _, dup := p.Steps[s.ID]; dup {
			return nil, errs.Field("/steps", "step id %q is used twice", s.ID)
		}
		p.Steps[s.ID] = s
	}
	if _, ok := p.Steps[p.Start]; !ok {
		return nil, errs.Field("/start", "step %q does not exist", p.Start)
	}
	for _, s := range p.Steps {
		for _, id := range successors(s) {
			if _, ok := p.Steps[id]; !ok {
				return nil, errs.Field("/steps", "step %q leads to %q, which does not exist", s.ID, id)
			}
		}
	}
	return p, nil
}

// deepCopy copies a step through JSON, so the plan shares nothing with the template.
func deepCopy(s Step) (*Step, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("copy step %s: %w", s.ID, err)
	}
	var out Step
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("copy step %s: %w", s.ID, err)
	}
	return &out, nil
}
