package opi_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/activities/ledger/opi"
	"github.com/sportello/sportello/errs"
)

const samples = "../../../../shared/specs/tesoreria-opi/samples/"

func TestOfficialSamples(t *testing.T) {
	for _, v := range []string{"1_4", "1_6_1"} {
		t.Run("valid "+v, func(t *testing.T) {
			fh, err := os.Open(samples + "OPI_GIORNALE_DI_CASSA_V_" + v + ".VALID.xml")
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			j, err := opi.ParseXML(fh)
			if err != nil {
				t.Fatal(err)
			}
			var in, out int64
			for _, m := range j.Movements {
				if m.Direction == opi.Entrata {
					in += m.Amount
				} else {
					out += m.Amount
				}
			}
			got := []any{j.FlowID, j.EnteCF, j.ABI, j.Year, len(j.Movements), j.Movements[0].Amount, j.Movements[0].Customer}
			want := []any{"GDC-202209302022202209291010285#001#001", "06144260707", "03069", 2022, 4, int64(785335), "ANAGRAFICA TEST"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("journal (-want +got):\n%s", diff)
			}
			if out != 4331935 {
				t.Errorf("USCITA of conto 0000004 add up to %d, the sample's totale_uscite is 43319.35", out)
			}
		})
		t.Run("invalid "+v, func(t *testing.T) {
			fh, err := os.Open(samples + "OPI_GIORNALE_DI_CASSA_V_" + v + ".INVALID.xml")
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			_, err = opi.ParseXML(fh)
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid {
				t.Fatalf("got %v, want invalid", err)
			}
			// The schema wants [A-Z]{2} country codes; the sample has "st".
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			want := []string{"movimento_conto_evidenza[0].cliente.stato_cliente", "movimento_conto_evidenza[0].creditore_effettivo.stato_creditore_effettivo", "movimento_conto_evidenza[0].delegato.stato_delegato"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	b, err := os.ReadFile(samples + "OPI_GIORNALE_DI_CASSA_V_1_6_1.VALID.xml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	tests := []struct{ name, doc, field string }{
		{"doctype", strings.Replace(s, "<flusso_giornale_di_cassa>", `<!DOCTYPE f [<!ENTITY x SYSTEM "http://evil/">]><flusso_giornale_di_cassa>`, 1), "giornale"},
		{"abi", strings.Replace(s, "<codice_ABI_BT>03069", "<codice_ABI_BT>3069", 1), "testata_messaggio.codice_ABI_BT"},
		{"fraction of a cent", strings.Replace(s, "<importo>7853.35<", "<importo>7853.355<", 1), "movimento_conto_evidenza[0].importo"},
		{"direction", strings.Replace(s, "<tipo_movimento>USCITA", "<tipo_movimento>USCITE", 1), "movimento_conto_evidenza[0].tipo_movimento"},
		{"year", strings.Replace(s, "<esercizio>2022", "<esercizio>1998", 1), "esercizio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := opi.ParseXML(strings.NewReader(tt.doc))
			if e, ok := errs.As(err); !ok || e.Code != errs.Invalid || e.Fields[0].Field != tt.field {
				t.Fatalf("got %v, want invalid on %s", err, tt.field)
			}
		})
	}
}

func TestWriteAndCSV(t *testing.T) {
	j := &opi.Journal{FlowID: "GDC-20261127-001", ABI: "02008", EnteCode: "c_l424", EnteCF: "00210240321", Year: 2026, Movements: []opi.Movement{
		{Account: "0000001", Direction: opi.Entrata, DocType: "SOSPESO ENTRATA", Operation: "ESEGUITO", Number: 12, Receipt: 1, Amount: 3200,
			BookedOn: "2026-11-27", Customer: "PAGOPA S.P.A.", Causale: "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-27PSP1-S001"},
	}}
	out, err := j.XML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := opi.ParseXML(strings.NewReader(string(out)))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if diff := cmp.Diff(j.Movements, back.Movements); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	csv := strings.Join(opi.CSVColumns, ";") + "\n" +
		"GDC-20261127-001;02008;00210240321;2026;0000001;ENTRATA;SOSPESO ENTRATA;ESEGUITO;12;0;1;32,00;2026-11-27;PAGOPA S.P.A.;/PUR/LGPE-RIVERSAMENTO/URI/2026-11-27PSP1-S001\n"
	fromCSV, err := opi.ParseCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(j.Movements, fromCSV.Movements); diff != "" {
		t.Errorf("csv (-want +got):\n%s", diff)
	}
	_, err = opi.ParseCSV(strings.NewReader(strings.Replace(csv, ";32,00;", ";32,005;", 1)))
	if e, ok := errs.As(err); !ok || e.Fields[0].Field != "csv[2].importo" {
		t.Errorf("bad amount: %v", err)
	}
}

// TestVersion18Shape: 1.7.1 and 1.8 add elements (sospeso, numero_provvisorio,
// importo_provvisorio) the parser does not need; they are read past.
func TestVersion18Shape(t *testing.T) {
	b, err := os.ReadFile(samples + "OPI_GIORNALE_DI_CASSA_V_1_6_1.VALID.xml")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(b), "<numero_documento>0064422</numero_documento>",
		"<numero_documento>0064422</numero_documento><sospeso><numero_provvisorio>12</numero_provvisorio><importo_provvisorio>5015.87</importo_provvisorio></sospeso>", 1)
	j, err := opi.ParseXML(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(j.Movements) != 4 || j.Movements[2].Number != 64422 || j.Movements[2].Amount != 501587 {
		t.Errorf("movement %+v", j.Movements[2])
	}
}
