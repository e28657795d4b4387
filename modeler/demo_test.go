package modeler

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler/demo"
)

// memForms is a FormSource over the demo forms.
type memForms map[string]*Form

func (m memForms) Form(_ context.Context, ref FormRef) (*Form, error) {
	f, ok := m[ref.Key()]
	if !ok {
		return nil, errs.E(errs.NotFound, "form %s not found", ref.Key())
	}
	return f, nil
}

func demoForms(t testing.TB) memForms {
	t.Helper()
	out := memForms{}
	files, _ := fs.Glob(demo.FS, "forms/*.json")
	for _, name := range files {
		b, _ := demo.FS.ReadFile(name)
		var f Form
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[FormRef{f.ID, f.Version}.Key()] = &f
	}
	return out
}

func demoDoc(t testing.TB, name string) []byte {
	t.Helper()
	b, err := demo.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDemoTemplatesValidate(t *testing.T) {
	c := &Checker{Refs: DefaultRefs(), Forms: demoForms(t)}
	for _, id := range []string{"richiesta-generica", "matrimonio", "cie-scadenza", "tari", "mensa"} {
		t.Run(id, func(t *testing.T) {
			tpl, err := ParseTemplate(demoDoc(t, "templates/"+id+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]errs.FieldError(nil), c.Check(context.Background(), tpl)); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			p, err := Compile(tpl, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Hash) != 64 || p.Steps[p.Start] == nil {
				t.Errorf("plan: hash %q start %q", p.Hash, p.Start)
			}
		})
	}
}

func TestMarriagePlanPath(t *testing.T) {
	tpl, err := ParseTemplate(demoDoc(t, "templates/matrimonio.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(tpl, 1)
	if err != nil {
		t.Fatal(err)
	}
	var path []string
	for id := p.Start; id != ""; {
		s := p.Steps[id]
		path = append(path, fmt.Sprintf("%s:%s", s.Type, s.ID))
		switch {
		case s.Task != nil:
			id = s.Task.Outcomes[0].Next
		default:
			id = s.Next
		}
	}
	want := []string{"form:domanda", "deadline:termine", "payment:pagamento", "notify:ricevuta", "task:istruttoria", "notify:esito", "ledger:contabilita", "end:accolta"}
	if diff := cmp.Diff(want, path); diff != "" {
		t.Errorf("path (-want +got):\n%s", diff)
	}
	if got := p.Steps["pagamento"].Payment.AmountCents; got != 10000 {
		t.Errorf("amount = %d, want the default 10000", got)
	}
	data := map[string]any{"data": "2027-06-12", "sposo1": map[string]any{"nome": "Mario"}, "sposo2": map[string]any{"nome": "Anna"}}
	got, err := p.RenderText(p.Steps["ricevuta"].Notify.Markdown.IT, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Abbiamo ricevuto il pagamento per la celebrazione del matrimonio di **Mario** e **Anna** del 2027-06-12. L'ufficio esaminerà ora la domanda."; got != want {
		t.Errorf("render = %q", got)
	}
}
