package modeler

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func seedDir(f *testing.F, dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

// FuzzTemplate: any document a designer (or an attacker with the designer's
// key) saves is parsed and compiled into a plan or refused, never a panic;
// a plan it compiles has its start step.
func FuzzTemplate(f *testing.F) {
	seedDir(f, "demo/templates")
	f.Add([]byte(`{"id":"x","start":"a","steps":[{"id":"a","type":"decision","decision":{"cases":[{"when":"data.x >","next":"a"}]}}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		tpl, err := ParseTemplate(doc)
		if err != nil {
			return
		}
		p, err := Compile(tpl, 1)
		if err != nil {
			return
		}
		if _, ok := p.Steps[p.Start]; !ok {
			t.Fatalf("compiled a plan whose start %q is not a step", p.Start)
		}
	})
}

// FuzzForm: any form schema compiles or is refused, and data validated against
// a compiled one gives an answer, never a panic.
func FuzzForm(f *testing.F) {
	files, _ := filepath.Glob("demo/forms/*.json")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var form Form
		if json.Unmarshal(b, &form) == nil {
			f.Add([]byte(form.Schema), []byte(`{"nome":"Mario","codiceFiscale":"RSSMRA80A01L424F"}`))
		}
	}
	f.Add([]byte(`{"type":"object","properties":{"a":{"$ref":"#"}}}`), []byte(`{"a":{"a":{}}}`))
	f.Fuzz(func(t *testing.T, schema, data []byte) {
		sch, err := NewForms(nil).Compile(context.Background(), &Form{ID: "fuzz", Version: 1, Schema: schema})
		if err != nil {
			return
		}
		var v any
		if json.Unmarshal(data, &v) == nil {
			_ = Validate(sch, v, "it")
		}
	})
}

// FuzzExpression: template expressions (amounts, decisions, placeholders)
// evaluate or fail, never panic, over the data a citizen sent.
func FuzzExpression(f *testing.F) {
	for _, s := range []string{"data.importoCents", "data.testimoni * 100 + 5000", `data.sala == "miramare" ? 30000 : 15000`,
		"len(data.figli) > 2 && data.isee < 10000", `"{{" + data.nome + "}}"`, "1/0", "data.x.y.z", "keys(data)"} {
		f.Add(s, `{"importoCents":1500,"testimoni":2,"sala":"miramare","figli":[1,2,3],"isee":5000,"nome":"Mario"}`)
	}
	f.Fuzz(func(t *testing.T, code, data string) {
		var d map[string]any
		if json.Unmarshal([]byte(data), &d) != nil {
			return
		}
		p := &Plan{}
		_, _ = p.Eval(code, d, nil)
		_, _ = p.RenderMarkdown("{{"+code+"}}", d, nil)
	})
}
