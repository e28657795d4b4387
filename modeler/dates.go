package modeler

import (
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// DateBound limits a date field relative to the day of the submission in
// Europe/Rome: at least Min and at most Max ahead (negative: in the past).
// Days and months add up, so {"minMonths": 1} is the same day next month.
// Nil bounds are open.
type DateBound struct {
	Field     string `json:"field"`
	MinDays   *int   `json:"minDays,omitempty"`
	MinMonths *int   `json:"minMonths,omitempty"`
	MaxDays   *int   `json:"maxDays,omitempty"`
	MaxMonths *int   `json:"maxMonths,omitempty"`
}

// Today is the current date in Europe/Rome as "YYYY-MM-DD", the "today" of form rules.
func Today(now time.Time) string { return now.In(calendar.Rome).Format(time.DateOnly) }

func (b DateBound) hasMin() bool { return b.MinDays != nil || b.MinMonths != nil }
func (b DateBound) hasMax() bool { return b.MaxDays != nil || b.MaxMonths != nil }

// shift moves today by months and days, in calendar terms.
func shift(today time.Time, months, days *int) time.Time {
	m, d := 0, 0
	if months != nil {
		m = *months
	}
	if days != nil {
		d = *days
	}
	return today.AddDate(0, m, d)
}

// checkDates reports each date field outside its bounds, with the allowed
// range in the message. Fields missing or not a date are the schema's to report.
func checkDates(f *Form, data map[string]any, facts Facts, lang string) []errs.FieldError {
	day, err := time.Parse(time.DateOnly, facts.Today)
	if err != nil {
		return nil
	}
	var out []errs.FieldError
	for _, b := range f.Dates {
		s, ok := valueAt(data, b.Field).(string)
		if !ok || !facts.sent(b.Field) {
			continue
		}
		v, err := time.Parse(time.DateOnly, s)
		if err != nil {
			continue
		}
		lo, hi := shift(day, b.MinMonths, b.MinDays), shift(day, b.MaxMonths, b.MaxDays)
		switch {
		case b.hasMin() && v.Before(lo):
			out = append(out, errs.FieldError{Field: b.Field, Message: dateMessage(lang, "min", lo, b.hasMax(), hi)})
		case b.hasMax() && v.After(hi):
			out = append(out, errs.FieldError{Field: b.Field, Message: dateMessage(lang, "max", lo, b.hasMin(), hi)})
		}
	}
	return out
}

func dateMessage(lang, broke string, lo time.Time, other bool, hi time.Time) string {
	if lang == "sl" {
		return slovenian(dateMessage("it", broke, lo, other, hi))
	}
	it, en := "02/01/2006", "2 January 2006"
	switch {
	case lang == "en" && other:
		return fmt.Sprintf("must be between %s and %s", lo.Format(en), hi.Format(en))
	case lang == "en" && broke == "min":
		return fmt.Sprintf("must be on or after %s", lo.Format(en))
	case lang == "en":
		return fmt.Sprintf("must be on or before %s", hi.Format(en))
	case other:
		return fmt.Sprintf("deve essere tra il %s e il %s", lo.Format(it), hi.Format(it))
	case broke == "min":
		return fmt.Sprintf("deve essere dal %s in poi", lo.Format(it))
	}
	return fmt.Sprintf("deve essere entro il %s", hi.Format(it))
}

// valueAt reads the value at a JSON pointer of data, nil when absent.
func valueAt(data map[string]any, p string) any {
	var v any = data
	for _, tok := range splitPointer(p) {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[tok]
	}
	return v
}

// checkDateBounds checks a form's date bounds when it is saved: the field is a
// date of the form, at least one bound is set, and min is not after max.
func checkDateBounds(f *Form, schema map[string]any, fields map[string]bool, resolve SchemaResolver, ps *problems) {
	for i, b := range f.Dates {
		at := fmt.Sprintf("/dates/%d", i)
		switch {
		case !fields[b.Field]:
			ps.add(at+"/field", "%q is not a field of the form / non è un campo del modulo", b.Field)
		case !dateField(schema, b.Field, resolve):
			ps.add(at+"/field", "%q is not a date (format date) / non è una data", b.Field)
		}
		if !b.hasMin() && !b.hasMax() {
			ps.add(at, "needs a minimum or a maximum / serve un minimo o un massimo")
		}
		ref := time.Date(2001, 1, 31, 0, 0, 0, 0, time.UTC)
		if b.hasMin() && b.hasMax() && shift(ref, b.MinMonths, b.MinDays).After(shift(ref, b.MaxMonths, b.MaxDays)) {
			ps.add(at, "the minimum is after the maximum / il minimo è dopo il massimo")
		}
	}
}

// splitPointer splits a JSON pointer into its unescaped tokens.
func splitPointer(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks
}
