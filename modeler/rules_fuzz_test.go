package modeler

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzFormRules: any form document's rules and date bounds are refused when
// saved or checked on data without a panic, and normalising data twice changes
// nothing the first time did not.
func FuzzFormRules(f *testing.F) {
	files, _ := filepath.Glob("demo/forms/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, []byte(`{"sposo1":{"codiceFiscale":"rssmra80a01l424f"},"sposo2":{"codiceFiscale":"RSSMRA80A01L424F"},"data":"2027-05-20"}`), "RSSMRA80A01L424F")
		}
	}
	f.Add([]byte(`{"id":"x","schema":{"type":"object","properties":{"d":{"type":"string","format":"date"}}},"rules":[{"id":"r","expr":"data.d > today","fields":["/d"]}],"dates":[{"field":"/d","minMonths":-1200,"maxDays":99999999}]}`),
		[]byte(`{"d":"9999-12-31"}`), "")
	f.Fuzz(func(t *testing.T, doc, data []byte, applicant string) {
		var form Form
		if json.Unmarshal(doc, &form) != nil {
			return
		}
		form.ID, form.Version = "fuzz", 1
		var ps problems
		checkFormRules(context.Background(), &form, nil, &ps)
		sch, err := NewForms(nil).Compile(context.Background(), &form)
		if err != nil {
			return
		}
		var d map[string]any
		if json.Unmarshal(data, &d) != nil || d == nil {
			return
		}
		Normalise(sch, d)
		once, _ := json.Marshal(d)
		Normalise(sch, d)
		if twice, _ := json.Marshal(d); !reflect.DeepEqual(once, twice) {
			t.Fatalf("normalising again changed %s into %s", once, twice)
		}
		_ = Validate(sch, d, "it")
		_ = checkDates(&form, d, Facts{Today: "2027-01-15", Sent: []string{applicant}}, "en")
		_ = checkRules(&form, d, Facts{Applicant: applicant, Today: "2027-01-15"}, "sl")
	})
}
