package modeler

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// editDemo returns a demo template with its steps changed by edit.
func editDemo(t *testing.T, name string, edit func(steps []map[string]any)) *Template {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(demoDoc(t, name), &doc); err != nil {
		t.Fatal(err)
	}
	var steps []map[string]any
	for _, s := range doc["steps"].([]any) {
		steps = append(steps, s.(map[string]any))
	}
	edit(steps)
	b, _ := json.Marshal(doc)
	tpl, err := ParseTemplate(b)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func stepByID(steps []map[string]any, id string) map[string]any {
	for _, s := range steps {
		if s["id"] == id {
			return s
		}
	}
	return nil
}

func TestWithPaymentNotifyAfterTheReceiptWarns(t *testing.T) {
	for _, id := range []string{"richiesta-generica", "matrimonio", "cie-scadenza", "tari", "mensa"} {
		tpl, err := ParseTemplate(demoDoc(t, "templates/"+id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if w := Warnings(tpl); len(w) != 0 {
			t.Errorf("demo %s warns: %v", id, w)
		}
	}
	// The demo marriage as it was: the payment data sent once the fee is paid.
	late := editDemo(t, "templates/matrimonio.json", func(steps []map[string]any) {
		stepByID(steps, "ricevuta")["notify"].(map[string]any)["withPayment"] = true
	})
	got := Warnings(late)
	if len(got) != 1 || got[0].Field != "/steps/3/notify/withPayment" {
		t.Fatalf("warnings = %+v, want one on /steps/3/notify/withPayment", got)
	}
	// On the expiry path the notice is still unpaid: a reminder with its data is fine.
	onExpiry := editDemo(t, "templates/matrimonio.json", func(steps []map[string]any) {
		pay := stepByID(steps, "pagamento")["payment"].(map[string]any)
		pay["onExpiry"] = "ricevuta"
		stepByID(steps, "ricevuta")["notify"].(map[string]any)["withPayment"] = true
	})
	if got := Warnings(onExpiry); len(got) != 0 {
		t.Errorf("warnings on the expiry path = %+v, want none", got)
	}
}

func TestPaymentNoticeIsChecked(t *testing.T) {
	c := &Checker{Refs: DefaultRefs(), Forms: demoForms(t)}
	tpl := editDemo(t, "templates/tari.json", func(steps []map[string]any) {
		n := stepByID(steps, "avviso")["payment"].(map[string]any)["notify"].(map[string]any)
		n["remindDays"] = 30
		n["channel"] = "fax"
		n["subject"] = map[string]any{"it": "TARI {{data.nonEsiste}}"}
	})
	var fields []string
	for _, p := range c.Check(context.Background(), tpl) {
		fields = append(fields, p.Field)
	}
	want := []string{"/steps/1/payment/notify/channel", "/steps/1/payment/notify/subject/it", "/steps/1/payment/notify/remindDays"}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}
