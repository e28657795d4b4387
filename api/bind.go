package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/errs"
)

// BindStrict decodes the JSON body of c into v, refusing unknown fields, a body
// that is not JSON, values of the wrong type and anything after the first value.
// The error is errs invalid naming the field (a JSON path like "debtor.fiscalCode").
// An oversized body is refused earlier by the BodyLimit middleware.
func BindStrict(c echo.Context, v any) error {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
			return &errs.Error{Code: errs.Invalid, Message: "body: send application/json / inviare application/json",
				Fields: []errs.FieldError{{Field: "body", Message: "content type must be application/json"}}}
		}
	}
	if req.Body == nil || req.Body == http.NoBody {
		return errs.Field("body", "is empty / il corpo è vuoto")
	}
	dec := json.NewDecoder(req.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errs.Field("body", "must hold one JSON value / deve contenere un solo valore JSON")
	}
	return nil
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
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
		return errs.Field("body", "is larger than %d bytes / supera %d byte", mbe.Limit, mbe.Limit)
	}
	// encoding/json reports unknown fields only as text: `json: unknown field "x"`.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return errs.Field(strings.Trim(name, `"`), "is not a known field / campo non previsto")
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
