package modeler

import (
	"encoding/json"
	"fmt"
	"sort"
)

// TextChange is one text of a template that differs between two versions:
// the template's title, a step's title, a message, a remittance, an outcome's
// label. Path names it by step id, not position, e.g.
// "/steps/pagamento/payment/remittance"; From or To is empty when the text
// was added or removed.
type TextChange struct {
	Path string `json:"path"`
	From *Text  `json:"from,omitempty"`
	To   *Text  `json:"to,omitempty"`
}

// diffTexts lists the texts that differ between two templates, by path.
func diffTexts(from, to *Template) []TextChange {
	a, b := textsOf(from), textsOf(to)
	paths := map[string]bool{}
	for p := range a {
		paths[p] = true
	}
	for p := range b {
		paths[p] = true
	}
	out := []TextChange{}
	for _, p := range sortedKeys(paths) {
		x, inA := a[p]
		y, inB := b[p]
		if inA && inB && x == y {
			continue
		}
		c := TextChange{Path: p}
		if inA {
			c.From = &x
		}
		if inB {
			c.To = &y
		}
		out = append(out, c)
	}
	return out
}

// textsOf finds every Text in t: an object whose "it" is a string and whose
// other keys are languages.
func textsOf(t *Template) map[string]Text {
	out := map[string]Text{"/title": t.Title}
	for _, s := range t.Steps {
		b, err := json.Marshal(s.Step)
		if err != nil {
			continue
		}
		var tree any
		_ = json.Unmarshal(b, &tree)
		walkTexts(tree, "/steps/"+s.ID, out)
	}
	return out
}

func walkTexts(v any, path string, out map[string]Text) {
	switch x := v.(type) {
	case map[string]any:
		if t, ok := asText(x); ok {
			out[path] = t
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkTexts(x[k], path+"/"+k, out)
		}
	case []any:
		for i, e := range x {
			walkTexts(e, fmt.Sprintf("%s/%d", path, i), out)
		}
	}
}

func asText(m map[string]any) (Text, bool) {
	var t Text
	it, ok := m["it"].(string)
	if !ok {
		return t, false
	}
	t.IT = it
	for k, v := range m {
		s, ok := v.(string)
		switch {
		case !ok:
			return t, false
		case k == "en":
			t.EN = s
		case k == "sl":
			t.SL = s
		case k != "it":
			return t, false
		}
	}
	return t, true
}
