package modeler

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// FormatAttachment marks a file field of a form. Its value is the id of an
// attachment uploaded before the submission (POST /api/attachments):
//
//	{"type": "string", "format": "attachment",
//	 "x-accept": ["application/pdf", "image/jpeg"], "x-maxSize": 2097152}
//
// "x-accept" narrows the media types the field takes (default: every type of
// AttachmentTypes) and "x-maxSize" its size in bytes (default and most:
// MaxAttachmentSize). An array whose items are such a field takes several files.
const FormatAttachment = "attachment"

// AttachmentTypes are the media types a file field may accept: PDF, PNG, JPEG
// and a CAdES-signed .p7m, each recognised by its content, not its name.
var AttachmentTypes = []string{"application/pdf", "image/png", "image/jpeg", "application/pkcs7-mime"}

// MaxAttachmentSize is the largest file any field takes (and the upload route's body limit).
const MaxAttachmentSize = 10 << 20

// AttachmentField is one file field of a form: its JSON pointer (with "-" for
// the items of an array), the media types and the size it takes.
type AttachmentField struct {
	Pointer  string   `json:"pointer"`
	Accept   []string `json:"accept"`
	MaxSize  int64    `json:"maxSize"`
	Multiple bool     `json:"multiple,omitempty"`
}

func checkAttachmentID(s string) error {
	return catalog.CheckAttachmentID(s)
}

// AttachmentFields lists the file fields of a form schema, sorted by pointer;
// resolve (nil: none) gives the schema of a business-catalog concept a "$ref"
// names, so a concept that is a file makes a file field too. Problems with
// their x-accept or x-maxSize come back as field errors at the schema
// location, for the modeller.
func AttachmentFields(schema json.RawMessage, resolve SchemaResolver) ([]AttachmentField, []errs.FieldError) {
	var doc map[string]any
	if err := json.Unmarshal(schema, &doc); err != nil {
		return nil, nil
	}
	var out []AttachmentField
	var bad []errs.FieldError
	defs, _ := doc["$defs"].(map[string]any)
	var walk func(s map[string]any, ptr, at string, depth int)
	walk = func(s map[string]any, ptr, at string, depth int) {
		if s == nil || depth > 10 {
			return
		}
		if ref, ok := s["$ref"].(string); ok {
			switch {
			case strings.HasPrefix(ref, "#/$defs/"):
				d, _ := defs[ref[8:]].(map[string]any)
				walk(d, ptr, "/schema/$defs/"+ref[8:], depth+1)
			case resolve != nil:
				walk(resolve(ref), ptr, at+"/$ref", depth+1)
			}
		}
		if s["format"] == FormatAttachment {
			f, problems := attachmentField(s, ptr, at)
			out = append(out, f)
			bad = append(bad, problems...)
			return
		}
		if items, ok := s["items"].(map[string]any); ok && items["format"] == FormatAttachment {
			f, problems := attachmentField(items, ptr+"/-", at+"/items")
			f.Multiple = true
			out = append(out, f)
			bad = append(bad, problems...)
			return
		}
		if p, ok := s["properties"].(map[string]any); ok {
			for name, v := range p {
				m, _ := v.(map[string]any)
				walk(m, ptr+"/"+name, at+"/properties/"+name, depth+1)
			}
		}
		for _, kw := range []string{"then", "else"} {
			if m, ok := s[kw].(map[string]any); ok {
				walk(m, ptr, at+"/"+kw, depth+1)
			}
		}
		if all, ok := s["allOf"].([]any); ok {
			for i, x := range all {
				m, _ := x.(map[string]any)
				walk(m, ptr, fmt.Sprintf("%s/allOf/%d", at, i), depth+1)
			}
		}
	}
	walk(doc, "", "/schema", 0)
	sort.Slice(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	uniq := out[:0]
	for i, f := range out {
		if i == 0 || f.Pointer != out[i-1].Pointer {
			uniq = append(uniq, f)
		}
	}
	return uniq, bad
}

// attachmentField reads one file field's limits, and the problems with them.
func attachmentField(s map[string]any, ptr, at string) (AttachmentField, []errs.FieldError) {
	f := AttachmentField{Pointer: ptr, Accept: AttachmentTypes, MaxSize: MaxAttachmentSize}
	var bad []errs.FieldError
	add := func(field, msg string) { bad = append(bad, errs.FieldError{Field: field, Message: msg}) }
	if s["type"] != "string" {
		add(at+"/type", "a file field is a string (the attachment id) / un campo file è una stringa")
	}
	if v, ok := s["x-accept"]; ok {
		list, _ := v.([]any)
		if len(list) == 0 {
			add(at+"/x-accept", "must list at least one media type / deve elencare almeno un tipo")
		}
		f.Accept = nil
		for i, x := range list {
			t, _ := x.(string)
			if !slices.Contains(AttachmentTypes, t) {
				add(fmt.Sprintf("%s/x-accept/%d", at, i), fmt.Sprintf("%q is not one of %v / tipo non ammesso", x, AttachmentTypes))
				continue
			}
			f.Accept = append(f.Accept, t)
		}
	}
	if v, ok := s["x-maxSize"]; ok {
		n, isNum := v.(float64)
		if !isNum || n < 1 || n > MaxAttachmentSize || n != float64(int64(n)) {
			add(at+"/x-maxSize", fmt.Sprintf("must be a whole number of bytes from 1 to %d / dimensione non valida", MaxAttachmentSize))
		} else {
			f.MaxSize = int64(n)
		}
	}
	return f, bad
}

// checkAttachmentFields reports file fields whose limits are wrong, when a form is saved.
func checkAttachmentFields(f *Form, ps *problems) {
	_, bad := AttachmentFields(f.Schema, nil)
	*ps = append(*ps, bad...)
}

// StartAttachmentFields lists the file fields of the start form of a published
// template version: what a submission or an integration may attach.
func (s *Service) StartAttachmentFields(ctx context.Context, template string, version int) ([]AttachmentField, error) {
	p, err := s.Plan(ctx, template, version)
	if err != nil {
		return nil, err
	}
	st := p.Steps[p.Start]
	if st == nil || st.Form == nil {
		return nil, nil
	}
	f, err := s.Form(ctx, FormRef{st.Form.FormID, st.Form.Version})
	if err != nil {
		return nil, err
	}
	fields, _ := AttachmentFields(f.Schema, s.conceptResolver(ctx))
	return fields, nil
}

// conceptResolver reads concepts' schemas from the business catalog.
func (s *Service) conceptResolver(ctx context.Context) SchemaResolver {
	return func(ref string) map[string]any {
		if s.Forms == nil || s.Forms.Concepts == nil {
			return nil
		}
		b, err := s.Forms.Concepts.Concept(ctx, ref)
		if err != nil {
			return nil
		}
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		return m
	}
}
