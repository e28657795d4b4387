package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/errs"
)

// BindStrict decodes the JSON body of c into v, refusing a body that is not
// declared application/json, unknown fields, a body that is not JSON, invalid
// UTF-8, NUL characters, a key given twice, nesting deeper than MaxJSONDepth,
// values of the wrong type and anything after the first value.
// The error is errs invalid naming the field (a JSON path like "debtor.fiscalCode").
// An oversized body is refused earlier by the BodyLimit middleware.
func BindStrict(c echo.Context, v any) error {
	req := c.Request()
	ct := req.Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
		return &errs.Error{Code: errs.Invalid, Message: "Content-Type: send application/json / inviare application/json",
			Fields: []errs.FieldError{{Field: "Content-Type", Message: "must be application/json / deve essere application/json"}}}
	}
	if req.Body == nil || req.Body == http.NoBody {
		return errs.Field("body", "is empty / il corpo è vuoto")
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return decodeError(err)
	}
	if err := checkJSON(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			// encoding/json names only the key; find its full path for the message.
			var raw any
			if json.Unmarshal(body, &raw) == nil {
				if path := unknownPath(raw, reflect.TypeOf(v), ""); path != "" {
					return errs.Field(path, "is not a known field / campo non previsto")
				}
			}
			if name = strings.Trim(name, `"`); name == "" {
				name = `""`
			}
			return errs.Field(name, "is not a known field / campo non previsto")
		}
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errs.Field("body", "must hold one JSON value / deve contenere un solo valore JSON")
	}
	return nil
}

// unknownPath walks a decoded JSON value along a Go type and returns the dotted
// path of the first key the type does not have ("debtor.iban", "items[2].x").
func unknownPath(raw any, t reflect.Type, prefix string) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return ""
	}
	join := func(k string) string {
		if k == "" {
			k = `""` // an empty key, named visibly (found by FuzzBindStrict)
		}
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch val := raw.(type) {
	case map[string]any:
		switch t.Kind() {
		case reflect.Map:
			for k, sub := range val {
				if p := unknownPath(sub, t.Elem(), join(k)); p != "" {
					return p
				}
			}
		case reflect.Struct:
			fields := jsonFields(t)
			keys := make([]string, 0, len(val))
			for k := range val {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				ft, ok := fields[strings.ToLower(k)]
				if !ok {
					return join(k)
				}
				if p := unknownPath(val[k], ft, join(k)); p != "" {
					return p
				}
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, sub := range val {
				if p := unknownPath(sub, t.Elem(), fmt.Sprintf("%s[%d]", prefix, i)); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

// jsonFields maps the lower-cased JSON names of t's fields (embedded ones
// included) to their types, matching encoding/json's case-insensitive lookup.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		ft := f.Type
		if f.Anonymous && name == "" {
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[strings.ToLower(name)] = f.Type
	}
	return out
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		return he // the BodyLimit middleware's 413
	case errors.Is(err, io.EOF):
		return errs.Field("body", "is empty / il corpo è vuoto")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errs.Field("body", "is truncated JSON / JSON troncato")
	case errors.As(err, &syn):
		return errs.Field("body", "is not valid JSON at byte %d / JSON non valido al byte %d", syn.Offset, syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return errs.Field(field, "must be %s / deve essere di tipo %s", jsonKind(typ.Type.Kind().String()), jsonKind(typ.Type.Kind().String()))
	case errors.As(err, &mbe):
		return tooLarge(mbe.Limit)
	}
	return &errs.Error{Code: errs.Invalid, Message: "body: cannot be decoded / impossibile decodificare",
		Fields: []errs.FieldError{{Field: "body", Message: "cannot be decoded"}}, Err: fmt.Errorf("decode: %w", err)}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "slice", "array":
		return "an array"
	case "map", "struct":
		return "an object"
	case "float32", "float64":
		return "a number"
	}
	if strings.HasPrefix(k, "int") || strings.HasPrefix(k, "uint") {
		return "an integer"
	}
	return k
}
