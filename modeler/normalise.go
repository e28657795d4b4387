package modeler

import (
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// normalisers rewrite a value of a custom format into its one canonical
// spelling before validation, so what is stored is what every office compares:
// a codice fiscale typed in lower case or with spaces around is the same person.
var normalisers = map[string]func(string) string{
	FormatCodiceFiscale: func(s string) string { return strings.ToUpper(strings.TrimSpace(s)) },
}

// Normalise rewrites, in place, every value of data whose schema has a
// normalising format, following the compiled schema through $ref, allOf,
// if/then/else, properties and items. It returns data, changed.
func Normalise(sch *jsonschema.Schema, data any) any {
	return normalise(sch, data, 0)
}

func normalise(sch *jsonschema.Schema, v any, depth int) any {
	if sch == nil || depth > 32 {
		return v
	}
	if s, ok := v.(string); ok && sch.Format != nil {
		if n := normalisers[sch.Format.Name]; n != nil {
			v = n(s)
		}
	}
	v = normalise(sch.Ref, v, depth+1)
	for _, sub := range sch.AllOf {
		v = normalise(sub, v, depth+1)
	}
	v = normalise(sch.Then, v, depth+1)
	v = normalise(sch.Else, v, depth+1)
	switch x := v.(type) {
	case map[string]any:
		for k, ps := range sch.Properties {
			if item, ok := x[k]; ok {
				x[k] = normalise(ps, item, depth+1)
			}
		}
	case []any:
		for i := range x {
			if i < len(sch.PrefixItems) {
				x[i] = normalise(sch.PrefixItems[i], x[i], depth+1)
			} else if sch.Items2020 != nil {
				x[i] = normalise(sch.Items2020, x[i], depth+1)
			}
		}
	}
	return v
}
