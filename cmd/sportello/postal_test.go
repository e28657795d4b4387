package main

import (
	"bytes"
	"compress/zlib"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// pdfText returns the text drawn in a PDF: its content streams, inflated.
func pdfText(pdf []byte) string {
	var out strings.Builder
	for _, m := range regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`).FindAllSubmatch(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			out.Write(m[1])
			continue
		}
		b, _ := io.ReadAll(r)
		out.Write(b)
	}
	return out.String()
}

// TestPostalAccountReachesGPDAndNotice pays the TARI of Medea, whose only
// account is a conto corrente postale (ABI 07601), on the citizen's own
// initiative through the real program: the position's transfer carries the
// postal IBAN, GPD (the simulator) receives it, and the notice prints the
// Poste part; Trieste's bank account gets no postal IBAN.
func TestPostalAccountReachesGPDAndNotice(t *testing.T) {
	p := startDev(t)
	mario := p.token("mario.rossi")
	type position struct {
		ID       string `json:"id"`
		IUPD     string `json:"iupd"`
		Creditor struct {
			FiscalCode string `json:"fiscalCode"`
		} `json:"creditor"`
		Options []struct {
			Transfers []struct {
				IBAN       string `json:"iban"`
				PostalIBAN string `json:"postalIban"`
			} `json:"transfers"`
		} `json:"options"`
	}
	const postal = "IT66B0760102200001022345678"
	var medea position
	if code := p.call("POST", "/api/payments/spontaneous", mario, map[string]any{"serviceId": "c_f081.tari", "amount": 12000}, &medea); code != http.StatusCreated {
		t.Fatalf("Medea TARI: %d", code)
	}
	if tr := medea.Options[0].Transfers[0]; tr.IBAN != postal || tr.PostalIBAN != postal {
		t.Errorf("Medea transfer: iban %s postalIban %q, want the postal account in both", tr.IBAN, tr.PostalIBAN)
	}
	var gpd struct {
		PaymentOption []struct {
			Transfer []struct {
				PostalIBAN string `json:"postalIban"`
			} `json:"transfer"`
		} `json:"paymentOption"`
	}
	if code := p.call("GET", "/sim/pagopa/organizations/"+medea.Creditor.FiscalCode+"/debtpositions/"+medea.IUPD, "", nil, &gpd); code != http.StatusOK ||
		len(gpd.PaymentOption) == 0 || gpd.PaymentOption[0].Transfer[0].PostalIBAN != postal {
		t.Errorf("GPD position: %d %+v", code, gpd)
	}
	req, _ := http.NewRequest("GET", p.url("/api/payments/positions/"+medea.ID+"/notice"), nil)
	req.Header.Set("Authorization", "Bearer "+mario)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if text := pdfText(pdf); resp.StatusCode != http.StatusOK || !strings.Contains(text, "Bollettino postale PA") || !strings.Contains(text, "001022345678") {
		t.Errorf("the notice lacks the Poste part (%d): %.300q", resp.StatusCode, text)
	}

	var ts position
	if code := p.call("POST", "/api/payments/spontaneous", mario, map[string]any{"serviceId": "c_l424.tari", "amount": 12000}, &ts); code != http.StatusCreated {
		t.Fatalf("Trieste TARI: %d", code)
	}
	if tr := ts.Options[0].Transfers[0]; tr.PostalIBAN != "" {
		t.Errorf("Trieste's bank account got a postal IBAN: %s", tr.PostalIBAN)
	}
}
