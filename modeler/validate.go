package modeler

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/sportello/sportello/errs"
)

// References checks the names a template uses against the catalog and the
// access-control model. Each method returns nil when the name is known.
type References interface {
	Taxonomy(ctx context.Context, code string) error
	Role(ctx context.Context, role string) error
	// Office checks an office of ente; ente is empty for a regional template,
	// where the office must exist as a kind in some ente.
	Office(ctx context.Context, ente, office string) error
}

// FormSource returns a form version (a draft is fine while editing, publish asks for published ones).
type FormSource interface {
	Form(ctx context.Context, ref FormRef) (*Form, error)
}

// Checker validates templates: structure, references, reachability, expressions and texts.
type Checker struct {
	Refs     References
	Forms    FormSource
	Concepts ConceptSource
}

// problems accumulates field errors with JSON-pointer paths into the template.
type problems []errs.FieldError

func (p *problems) add(path, format string, args ...any) {
	*p = append(*p, errs.FieldError{Field: path, Message: fmt.Sprintf(format, args...)})
}

// Check validates t and returns every problem found; none means publishable.
func (c *Checker) Check(ctx context.Context, t *Template) []errs.FieldError {
	var ps problems
	if t.ID == "" {
		ps.add("/id", "is required")
	}
	if t.Title.IT == "" {
		ps.add("/title/it", "is required")
	}
	if len(t.Steps) == 0 {
		ps.add("/steps", "must list at least one step")
		return ps
	}
	idx := t.stepIndex()
	for i, s := range t.Steps {
		if s.ID == "" {
			ps.add(fmt.Sprintf("/steps/%d/id", i), "is required")
		} else if idx[s.ID] != i {
			ps.add(fmt.Sprintf("/steps/%d/id", i), "%q is already the id of step %d", s.ID, idx[s.ID])
		}
	}
	if _, ok := idx[t.Start]; !ok {
		ps.add("/start", "step %q does not exist", t.Start)
	}
	env := c.env(ctx, t, &ps)
	for i := range t.Steps {
		c.checkStep(ctx, t, i, idx, env, &ps)
	}
	if t.Deadline != nil {
		checkDeadline("/deadline", t.Deadline, idx, &ps)
	}
	checkGraph(t, idx, &ps)
	return ps
}

// env builds the expression environment from every form the template uses.
func (c *Checker) env(ctx context.Context, t *Template, ps *problems) map[string]any {
	var schemas []map[string]any
	seen := map[FormRef]bool{}
	load := func(path string, ref FormRef) {
		if ref.ID == "" {
			ps.add(path, "a form id is required")
			return
		}
		if seen[ref] {
			return
		}
		seen[ref] = true
		if c.Forms == nil {
			return
		}
		f, err := c.Forms.Form(ctx, ref)
		if err != nil {
			ps.add(path, "form %s does not exist", ref.Key())
			return
		}
		var m map[string]any
		if json.Unmarshal(f.Schema, &m) == nil {
			schemas = append(schemas, m)
		}
	}
	for i, s := range t.Steps {
		if s.Form != nil {
			load(fmt.Sprintf("/steps/%d/form/formId", i), FormRef{s.Form.FormID, s.Form.Version})
		}
		if s.Task != nil && s.Task.FormID != "" {
			load(fmt.Sprintf("/steps/%d/task/formId", i), FormRef{s.Task.FormID, s.Task.Version})
		}
	}
	resolve := func(ref string) map[string]any {
		if c.Concepts == nil {
			return nil
		}
		b, err := c.Concepts.Concept(ctx, ref)
		if err != nil {
			return nil
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return m
	}
	return exprEnv(envType(mergeSchemas(schemas), resolve, 0))
}

// checkGraph checks that every step is reachable from the start and can reach an end.
func checkGraph(t *Template, idx map[string]int, ps *problems) {
	succ := make([][]int, len(t.Steps))
	for i := range t.Steps {
		for _, id := range successors(&t.Steps[i].Step) {
			if j, ok := idx[id]; ok {
				succ[i] = append(succ[i], j)
			}
		}
	}
	// A parallel branch ends at a step with no successor: it continues at the join.
	for i, s := range t.Steps {
		if s.Parallel == nil {
			continue
		}
		join, ok := idx[s.Next]
		for _, b := range s.Parallel.Branches {
			j, found := idx[b]
			if !found {
				continue
			}
			for _, k := range reach(succ, j) {
				if len(succ[k]) == 0 && t.Steps[k].Type != StepEnd && ok {
					succ[k] = append(succ[k], join)
				}
			}
		}
		_ = i
	}
	start, ok := idx[t.Start]
	if !ok {
		return
	}
	reachable := map[int]bool{}
	for _, k := range reach(succ, start) {
		reachable[k] = true
	}
	canEnd := make([]bool, len(t.Steps))
	for changed := true; changed; {
		changed = false
		for i, s := range t.Steps {
			if canEnd[i] {
				continue
			}
			if s.Type == StepEnd {
				canEnd[i], changed = true, true
				continue
			}
			for _, j := range succ[i] {
				if canEnd[j] {
					canEnd[i], changed = true, true
					break
				}
			}
		}
	}
	for i, s := range t.Steps {
		switch {
		case !reachable[i]:
			ps.add(fmt.Sprintf("/steps/%d", i), "step %q is unreachable from the start", s.ID)
		case !canEnd[i]:
			ps.add(fmt.Sprintf("/steps/%d", i), "no path from step %q reaches an end step", s.ID)
		}
	}
}

// reach lists the nodes reachable from start, start included.
func reach(succ [][]int, start int) []int {
	seen := map[int]bool{start: true}
	out := []int{start}
	for q := 0; q < len(out); q++ {
		for _, j := range succ[out[q]] {
			if !seen[j] {
				seen[j] = true
				out = append(out, j)
			}
		}
	}
	return out
}

// configOf returns which step configs are set, by type name.
func configOf(s *Step) []string {
	var set []string
	v := reflect.ValueOf(s).Elem()
	for _, name := range []string{"Form", "Task", "Payment", "Notify", "Ledger", "Wait", "Deadline", "Decision", "Parallel", "End"} {
		if !v.FieldByName(name).IsNil() {
			set = append(set, name)
		}
	}
	return set
}
