package modeler

import (
	"context"
	"encoding/json"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/errs"
)

func TestAttachmentFields(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","$defs":{"doc":{"type":"string","format":"attachment","x-accept":["application/pdf"]}},
	"properties":{
		"identita":{"$ref":"#/$defs/doc"},
		"foto":{"type":"array","items":{"type":"string","format":"attachment","x-accept":["image/png","image/gif"],"x-maxSize":20000000}},
		"persona":{"type":"object","properties":{"firma":{"type":"string","format":"attachment","x-maxSize":1024}}},
		"nome":{"type":"string"}},
	"if":{"properties":{"nome":{"const":"x"}}},"then":{"properties":{"extra":{"type":"integer","format":"attachment"}}}}`)
	got, bad := AttachmentFields(schema, nil)
	want := []AttachmentField{
		{Pointer: "/extra", Accept: AttachmentTypes, MaxSize: MaxAttachmentSize},
		{Pointer: "/foto/-", Accept: []string{"image/png"}, MaxSize: MaxAttachmentSize, Multiple: true},
		{Pointer: "/identita", Accept: []string{"application/pdf"}, MaxSize: MaxAttachmentSize},
		{Pointer: "/persona/firma", Accept: AttachmentTypes, MaxSize: 1024},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	var at []string
	for _, b := range bad {
		at = append(at, b.Field)
	}
	wantBad := []string{"/schema/properties/foto/items/x-accept/1", "/schema/properties/foto/items/x-maxSize", "/schema/then/properties/extra/type"}
	sort.Strings(at)
	if diff := cmp.Diff(wantBad, at); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestAttachmentFormat checks that a file field's value must look like an
// attachment id, so a file name or a data URL is refused at the field.
func TestAttachmentFormat(t *testing.T) {
	f := &Form{ID: "a", Version: 1, Schema: []byte(`{"type":"object","properties":{"doc":{"type":"string","format":"attachment"}}}`)}
	sch, err := NewForms(nil).Compile(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(sch, map[string]any{"doc": "6f1c2a3b-1d2e-4f5a-8b9c-0d1e2f3a4b5c"}, "en"); err != nil {
		t.Errorf("an id is refused: %v", err)
	}
	err = Validate(sch, map[string]any{"doc": "carta.pdf"}, "en")
	if e, ok := errs.As(err); !ok || len(e.Fields) != 1 || e.Fields[0].Field != "/doc" {
		t.Errorf("a file name = %v, want an error at /doc", err)
	}
}

// TestAttachmentFieldFromConcept checks that a business-catalog concept that
// is a file makes a file field of the form that refers to it.
func TestAttachmentFieldFromConcept(t *testing.T) {
	doc := "https://catalog.sportello.invalid/concepts/documento-identita"
	resolve := func(ref string) map[string]any {
		if ref != doc {
			return nil
		}
		return map[string]any{"type": "string", "format": "attachment", "x-accept": []any{"application/pdf"}}
	}
	got, bad := AttachmentFields(json.RawMessage(`{"type":"object","properties":{"documento":{"$ref":"`+doc+`"}}}`), resolve)
	want := []AttachmentField{{Pointer: "/documento", Accept: []string{"application/pdf"}, MaxSize: MaxAttachmentSize}}
	if diff := cmp.Diff(want, got); diff != "" || len(bad) > 0 {
		t.Errorf("fields (-want +got):\n%s %v", diff, bad)
	}
}
