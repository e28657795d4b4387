package api

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"
)

// OpenAPI builds the OpenAPI 3.1 document of routes; the schemas of bodies and
// answers are derived from the example values declared with each route.
func OpenAPI(routes []Route, version string) map[string]any {
	paths := map[string]any{}
	for _, rt := range routes {
		p, params := openAPIPath(rt.Path)
		item, _ := paths[p].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[p] = item
		}
		op := map[string]any{
			"summary":      rt.Summary,
			"operationId":  operationID(rt),
			"x-permission": map[string]string{"object": rt.Perm.Object, "action": rt.Perm.Action},
		}
		if rt.Tag != "" {
			op["tags"] = []string{rt.Tag}
		}
		var ps []any
		for _, name := range params {
			ps = append(ps, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]string{"type": "string"}})
		}
		if rt.Perm != Public {
			ps = append(ps, map[string]any{"$ref": "#/components/parameters/ActAs"})
		}
		if ps != nil {
			op["parameters"] = ps
		}
		if rt.Request != nil {
			media := map[string]any{"schema": Schema(reflect.TypeOf(rt.Request))}
			// A route declared with a filled-in request value shows it as the
			// example; a test sends each such example to the real program.
			if !reflect.ValueOf(rt.Request).IsZero() {
				media["example"] = rt.Request
			}
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": media}}
		}
		resp := map[string]any{"description": "OK"}
		if rt.Response != nil {
			resp["content"] = map[string]any{"application/json": map[string]any{"schema": Schema(reflect.TypeOf(rt.Response))}}
		}
		responses := map[string]any{"200": resp, "default": map[string]any{"description": "error", "content": map[string]any{
			"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}}
		if rt.Perm != Public {
			op["security"] = []any{map[string]any{"bearer": []string{}}, map[string]any{"cookie": []string{}}, map[string]any{"apiKey": []string{}}}
			responses["401"] = map[string]any{"description": "not authenticated"}
			responses["403"] = map[string]any{"description": "not allowed"}
		}
		if rt.Method == "POST" || rt.Method == "PUT" || rt.Method == "PATCH" {
			responses["413"] = map[string]any{"description": "body larger than " + sizeText(routeLimit(rt.Path, defaultBodyLimit)) +
				" / corpo oltre " + sizeText(routeLimit(rt.Path, defaultBodyLimit))}
		}
		op["responses"] = responses
		method := strings.ToLower(rt.Method)
		if method == "any" {
			method = "get"
		}
		item[method] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": "Sportello API", "version": version, "description": "Pratiche, catalogo, modellatore, pagamenti pagoPA, App IO e riconciliazione degli enti locali."},
		"paths":   paths,
		"components": map[string]any{
			"schemas": map[string]any{"Error": map[string]any{"type": "object", "properties": map[string]any{
				"error": map[string]any{"type": "object", "properties": map[string]any{
					"code": map[string]string{"type": "string"}, "message": map[string]string{"type": "string"},
					"fields": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{
						"field": map[string]string{"type": "string"}, "message": map[string]string{"type": "string"}}}},
				}}}}},
			"parameters": map[string]any{"ActAs": map[string]any{"name": ActAsHeader, "in": "header", "required": false,
				"description": "which of the person's roles the request acts in: citizen, <role>@<ente> or <role>@<ente>/<office> (GET /api/me lists the choices); default the first",
				"schema":      map[string]string{"type": "string"}}},
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
				"cookie": map[string]any{"type": "apiKey", "in": "cookie", "name": "sportello_session"},
				"apiKey": map[string]any{"type": "apiKey", "in": "header", "name": "X-API-Key"},
			},
		},
	}
}

func operationID(rt Route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.Method))
	for _, s := range strings.Split(rt.Path, "/") {
		s = strings.Trim(s, ":*{}")
		if s == "" {
			continue
		}
		b.WriteString(strings.ToUpper(s[:1]))
		b.WriteString(strings.ReplaceAll(s[1:], "-", ""))
	}
	return b.String()
}

var (
	timeType = reflect.TypeOf(time.Time{})
	rawType  = reflect.TypeOf(json.RawMessage(nil))
)

// Schema derives a JSON Schema from a Go type, following json tags.
func Schema(t reflect.Type) map[string]any {
	return schema(t, 0)
}

func schema(t reflect.Type, depth int) map[string]any {
	if depth > 8 {
		return map[string]any{}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t == rawType {
		return map[string]any{} // any JSON value, kept as sent
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string"}
		}
		return map[string]any{"type": "array", "items": schema(t.Elem(), depth+1)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schema(t.Elem(), depth+1)}
	case reflect.Struct:
		props := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				if sub, ok := schema(f.Type, depth+1)["properties"].(map[string]any); ok {
					for k, v := range sub {
						props[k] = v
					}
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schema(f.Type, depth+1)
		}
		return map[string]any{"type": "object", "properties": props}
	case reflect.Interface:
		return map[string]any{}
	}
	return map[string]any{}
}
