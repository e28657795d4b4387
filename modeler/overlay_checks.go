package modeler

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/errs"
)

// Enti tells whether an ente exists; overlays are stored only for enti that do.
type Enti interface {
	// Ente returns an errs not_found error when ente does not exist.
	Ente(ctx context.Context, ente string) error
}

// defaultTextLen bounds a text parameter that declares no MaxLen.
const defaultTextLen = 1000

// maxSafeNumber is the largest integer a JSON number carries exactly in every
// client (2^53-1): larger numbers in a value are refused, not rounded.
const maxSafeNumber = 1<<53 - 1

// checkEnte refuses an ente code with a bad syntax (422) or one that does not
// exist (404), naming the field "ente".
func (s *Service) checkEnte(ctx context.Context, ente string) error {
	if err := catalog.CheckEnteCode("ente", ente); err != nil {
		return err
	}
	if s.Enti == nil {
		return nil
	}
	if err := s.Enti.Ente(ctx, ente); err != nil {
		if errs.Is(err, errs.NotFound) {
			return &errs.Error{Code: errs.NotFound, Reason: "no_ente",
				Message: fmt.Sprintf("ente: %s does not exist / l'ente %s non esiste", ente, ente),
				Fields:  []errs.FieldError{{Field: "ente", Message: "does not exist / non esiste"}}}
		}
		return fmt.Errorf("check ente %s: %w", ente, err)
	}
	return nil
}

// checkOffices refuses, on save, an office value that is not an office of the ente.
func (s *Service) checkOffices(ctx context.Context, doc []byte, o *Overlay) error {
	_, params, err := parseTree(doc)
	if err != nil {
		return err
	}
	var ps problems
	for _, p := range params {
		raw, ok := o.Values[p.Name]
		if p.Type != ParamOffice || !ok || s.Checker == nil || s.Checker.Refs == nil {
			continue
		}
		var office string
		if json.Unmarshal(raw, &office) != nil {
			continue // Resolve names the type error
		}
		if err := s.Checker.Refs.Office(ctx, o.Ente, office); err != nil {
			if !errs.Is(err, errs.NotFound) {
				return fmt.Errorf("check office %s: %w", office, err)
			}
			ps.add("/values/"+p.Name, "%s is not an office of %s / non è un ufficio dell'ente", office, o.Ente)
		}
	}
	if len(ps) > 0 {
		return errs.Fields(ps)
	}
	return nil
}

// checkClean refuses what no parameter value should hold anywhere inside it:
// NUL and other control characters, U+FFFD (what a lone surrogate or invalid
// UTF-8 decodes to) and numbers too large to be exact.
func checkClean(v json.RawMessage) error {
	var x any
	d := json.NewDecoder(strings.NewReader(string(v)))
	d.UseNumber()
	if err := d.Decode(&x); err != nil {
		return fmt.Errorf("is not valid JSON / non è JSON valido")
	}
	return cleanValue(x)
}

func cleanValue(x any) error {
	switch v := x.(type) {
	case string:
		return cleanText(v)
	case json.Number:
		f, err := v.Float64()
		if err != nil || math.IsInf(f, 0) || math.Abs(f) > maxSafeNumber {
			return fmt.Errorf("holds the number %.20s, beyond ±%d / contiene un numero oltre ±%d", v.String(), int64(maxSafeNumber), int64(maxSafeNumber))
		}
	case map[string]any:
		for k, e := range v {
			if err := cleanText(k); err != nil {
				return err
			}
			if err := cleanValue(e); err != nil {
				return err
			}
		}
	case []any:
		for _, e := range v {
			if err := cleanValue(e); err != nil {
				return err
			}
		}
	}
	return nil
}

func cleanText(s string) error {
	if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
		return fmt.Errorf("holds invalid UTF-8 or a lone surrogate / contiene UTF-8 non valido")
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return fmt.Errorf("holds a control character (U+%04X) / contiene un carattere di controllo", r)
		}
	}
	return nil
}
