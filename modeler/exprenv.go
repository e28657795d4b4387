package modeler

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"

	"github.com/expr-lang/expr"
)

// SchemaResolver returns the schema a "$ref" names, or nil when unknown.
type SchemaResolver func(ref string) map[string]any

// envType derives a Go type from a JSON Schema, so expressions over data.<field>
// are type-checked: objects become structs (fields tagged with their JSON name),
// integers int, numbers float64, strings string, booleans bool, arrays slices.
// Anything the schema leaves open becomes interface{}, which expr checks at run time.
func envType(schema map[string]any, resolve SchemaResolver, depth int) reflect.Type {
	anyT := reflect.TypeOf((*any)(nil)).Elem()
	if schema == nil || depth > 12 {
		return anyT
	}
	if ref, ok := schema["$ref"].(string); ok && resolve != nil {
		return envType(resolve(ref), resolve, depth+1)
	}
	typ, _ := schema["type"].(string)
	switch typ {
	case "string":
		return reflect.TypeOf("")
	case "integer":
		return reflect.TypeOf(0)
	case "number":
		return reflect.TypeOf(0.0)
	case "boolean":
		return reflect.TypeOf(false)
	case "array":
		items, _ := schema["items"].(map[string]any)
		return reflect.SliceOf(envType(items, resolve, depth+1))
	case "object", "":
		props := properties(schema)
		if len(props) == 0 {
			if typ == "object" {
				return reflect.TypeOf(map[string]any{})
			}
			return anyT
		}
		return structOf(props, resolve, depth)
	}
	return anyT
}

// properties gathers an object's properties, including those of if/then/else
// and allOf parts, so conditional fields are known to expressions too.
func properties(schema map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	var add func(s map[string]any)
	add = func(s map[string]any) {
		if s == nil {
			return
		}
		if p, ok := s["properties"].(map[string]any); ok {
			for k, v := range p {
				if m, ok := v.(map[string]any); ok {
					if _, seen := out[k]; !seen {
						out[k] = m
					}
				}
			}
		}
		for _, kw := range []string{"then", "else"} {
			if m, ok := s[kw].(map[string]any); ok {
				add(m)
			}
		}
		if all, ok := s["allOf"].([]any); ok {
			for _, a := range all {
				m, _ := a.(map[string]any)
				add(m)
			}
		}
	}
	add(schema)
	return out
}

func structOf(props map[string]map[string]any, resolve SchemaResolver, depth int) reflect.Type {
	names := make([]string, 0, len(props))
	for k := range props {
		names = append(names, k)
	}
	sort.Strings(names)
	fields := make([]reflect.StructField, 0, len(names))
	for i, n := range names {
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("F%d", i),
			Type: envType(props[n], resolve, depth+1),
			Tag:  reflect.StructTag(fmt.Sprintf(`expr:%q json:%q`, n, n)),
		})
	}
	return reflect.StructOf(fields)
}

// mergeSchemas merges the top-level properties of several form schemas into one
// object schema: the pratica's data collects every form's fields.
func mergeSchemas(schemas []map[string]any) map[string]any {
	props := map[string]any{}
	for _, s := range schemas {
		for k, v := range properties(s) {
			if _, seen := props[k]; !seen {
				props[k] = v
			}
		}
	}
	return map[string]any{"type": "object", "properties": props}
}

// exprEnv is the type-checking environment: data typed from the forms, vars open.
func exprEnv(data reflect.Type) map[string]any {
	return map[string]any{
		"data": reflect.New(data).Elem().Interface(),
		"vars": map[string]any{},
	}
}

var generatedType = regexp.MustCompile(`type struct \{.*\} has`)

// checkExpr type-checks code against env; want is "bool", "int" or "" (any).
func checkExpr(code string, env map[string]any, want string) error {
	opts := []expr.Option{expr.Env(env), expr.DisableBuiltin("now"), expr.DisableBuiltin("date")}
	switch want {
	case "bool":
		opts = append(opts, expr.AsBool())
	}
	prog, err := expr.Compile(code, opts...)
	if err != nil {
		// Field types are generated structs: name the field, not the Go type.
		return fmt.Errorf("%s", generatedType.ReplaceAllString(err.Error(), "the form has"))
	}
	if want == "int" {
		switch t := prog.Node().Type(); {
		case t == nil, t.Kind() == reflect.Interface:
		case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		default:
			return fmt.Errorf("gives %s, not a whole number of cents", t)
		}
	}
	return nil
}
