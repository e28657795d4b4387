package modeler

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/sportello/sportello/errs"
)

var englishPrinter = message.NewPrinter(language.English)

// fieldErrors turns one leaf validation error into field errors. A missing
// property is reported at the property's own path, so a form can mark the field.
func fieldErrors(ve *jsonschema.ValidationError, lang string) []errs.FieldError {
	at := ve.InstanceLocation
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		out := make([]errs.FieldError, 0, len(k.Missing))
		for _, m := range k.Missing {
			out = append(out, errs.FieldError{Field: pointer(append(append([]string(nil), at...), m)), Message: tr(lang, "is required", "è obbligatorio")})
		}
		return out
	case *kind.AdditionalProperties:
		out := make([]errs.FieldError, 0, len(k.Properties))
		for _, p := range k.Properties {
			out = append(out, errs.FieldError{Field: pointer(append(append([]string(nil), at...), p)), Message: tr(lang, "is not a field of this form", "non è un campo di questo modulo")})
		}
		return out
	}
	return []errs.FieldError{{Field: pointer(at), Message: message1(ve.ErrorKind, lang)}}
}

func tr(lang, en, it string) string {
	switch lang {
	case "en":
		return en
	case "sl":
		return slovenian(it)
	}
	return it
}

var typeIT = map[string]string{"string": "un testo", "number": "un numero", "integer": "un numero intero",
	"boolean": "vero o falso", "object": "un oggetto", "array": "un elenco", "null": "vuoto"}

func typeName(t, lang string) string {
	if lang == "en" {
		switch t {
		case "integer":
			return "a whole number"
		case "boolean":
			return "true or false"
		case "array":
			return "a list"
		case "null":
			return "empty"
		case "object", "integer ":
			return "an object"
		}
		return "a " + t
	}
	if s, ok := typeIT[t]; ok {
		return s
	}
	return t
}

func rat(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return fmt.Sprint(f)
}

// message1 translates the common error kinds; the rest fall back to the
// library's English text.
func message1(k jsonschema.ErrorKind, lang string) string {
	switch k := k.(type) {
	case *kind.Type:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = typeName(w, lang)
		}
		return tr(lang, "must be "+strings.Join(want, " or "), "deve essere "+strings.Join(want, " o "))
	case *kind.MinLength:
		return tr(lang, fmt.Sprintf("must be at least %d characters long", k.Want), fmt.Sprintf("deve contenere almeno %d caratteri", k.Want))
	case *kind.MaxLength:
		return tr(lang, fmt.Sprintf("must be at most %d characters long", k.Want), fmt.Sprintf("deve contenere al massimo %d caratteri", k.Want))
	case *kind.Pattern:
		return tr(lang, "is not in the expected format", "non è nel formato atteso")
	case *kind.Minimum:
		return tr(lang, "must be at least "+rat(k.Want), "deve essere almeno "+rat(k.Want))
	case *kind.Maximum:
		return tr(lang, "must be at most "+rat(k.Want), "deve essere al massimo "+rat(k.Want))
	case *kind.ExclusiveMinimum:
		return tr(lang, "must be greater than "+rat(k.Want), "deve essere maggiore di "+rat(k.Want))
	case *kind.ExclusiveMaximum:
		return tr(lang, "must be less than "+rat(k.Want), "deve essere minore di "+rat(k.Want))
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return tr(lang, "must be one of: "+strings.Join(want, ", "), "deve essere uno tra: "+strings.Join(want, ", "))
	case *kind.Const:
		return tr(lang, fmt.Sprintf("must be %v", k.Want), fmt.Sprintf("deve essere %v", k.Want))
	case *kind.MinItems:
		return tr(lang, fmt.Sprintf("must have at least %d items", k.Want), fmt.Sprintf("deve avere almeno %d elementi", k.Want))
	case *kind.MaxItems:
		return tr(lang, fmt.Sprintf("must have at most %d items", k.Want), fmt.Sprintf("deve avere al massimo %d elementi", k.Want))
	case *kind.Format:
		return formatMessage(k, lang)
	case *kind.FalseSchema:
		return tr(lang, "is not allowed", "non è ammesso")
	}
	return k.LocalizedString(englishPrinter)
}

func formatMessage(k *kind.Format, lang string) string {
	detail := ""
	if k.Err != nil {
		detail = ": " + k.Err.Error()
	}
	switch k.Want {
	case FormatCodiceFiscale:
		return tr(lang, "is not a valid codice fiscale"+detail, "non è un codice fiscale valido")
	case FormatIBAN:
		return tr(lang, "is not a valid IBAN"+detail, "non è un IBAN valido")
	case FormatAttachment:
		return tr(lang, "is not an attachment id: upload the file first", "non è un allegato caricato: caricare prima il file")
	case "date":
		return tr(lang, "must be a date YYYY-MM-DD", "deve essere una data AAAA-MM-GG")
	case "email":
		return tr(lang, "is not a valid e-mail address", "non è un indirizzo e-mail valido")
	}
	return tr(lang, "is not a valid "+k.Want+detail, "non è un "+k.Want+" valido")
}
