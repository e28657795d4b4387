package perf

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/sportello/sportello/activities/pagopa"
)

func init() {
	Register(Spec{Name: "notices per second per core", Order: 30, Run: NoticeRow})
}

// NoticeRow renders TARI payment notices (a single payment and two
// installments: three QR codes) with the pagoPA renderer on one core
// (GOMAXPROCS 1 for the row) and compares them with a plain one-page PDF of
// the same library, interleaved so a busy machine slows both alike. Target:
// 500 notices per second per core.
func NoticeRow(ctx context.Context, env Env) (Row, error) {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	p, err := tariPosition()
	if err != nil {
		return Row{}, err
	}
	n := env.Size(2000, 5)
	var notice, plain time.Duration
	for i := 0; i < n; i++ {
		if i%100 == 0 && ctx.Err() != nil {
			return Row{}, ctx.Err()
		}
		t0 := time.Now()
		if _, err := plainPDF(); err != nil {
			return Row{}, fmt.Errorf("plain pdf: %w", err)
		}
		t1 := time.Now()
		if _, err := pagopa.RenderNotice(p, "it"); err != nil {
			return Row{}, fmt.Errorf("render notice: %w", err)
		}
		plain, notice = plain+t1.Sub(t0), notice+time.Since(t1)
	}
	r := Row{Unit: "notices/s/core", Value: float64(n) / notice.Seconds(), Baseline: float64(n) / plain.Seconds(),
		BaselineName: "plain one-page PDF", Target: "≥ 500/s/core"}
	r.Ratio = ratio(r.Value, r.Baseline)
	r.Pass = r.Value >= 500
	r.Note = fmt.Sprintf("%d TARI notices (3 options, 3 QR codes) in Italian, one goroutine, GOMAXPROCS 1", n)
	return r, nil
}

// plainPDF is the baseline: a one-page PDF with one line of core-font text.
func plainPDF() ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 12)
	pdf.Text(20, 20, "Avviso di pagamento - riga di testo semplice")
	var b bytes.Buffer
	err := pdf.Output(&b)
	return b.Bytes(), err
}

// tariPosition is an issued TARI position: a single payment of 300.00 euros
// or two installments of 150.00.
func tariPosition() (*pagopa.Position, error) {
	cr := pagopa.Creditor{Ente: "c_l424", FiscalCode: "00210240321", Name: "Comune di Trieste", Office: "Tributi",
		AuxDigit: 3, SegregationCode: "47", IBAN: "IT61X0306909606100000012345"}
	tr := func(amount int64) []pagopa.Transfer {
		return []pagopa.Transfer{{ID: 1, Amount: amount, OrganizationFiscalCode: cr.FiscalCode, IBAN: cr.IBAN, RemittanceInformation: "TARI", Category: "9/0101101IM/"}}
	}
	d1 := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	d2 := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	p := &pagopa.Position{IUPD: "TARI-PERF", Creditor: cr, Subject: "TARI 2026",
		Debtor: pagopa.Debtor{Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi"},
		Options: []pagopa.Option{
			{Amount: 30000, Description: "Unica soluzione", DueDate: d1, Transfers: tr(30000)},
			{Amount: 15000, Description: "Rata 1", DueDate: d1, Installment: true, Transfers: tr(15000)},
			{Amount: 15000, Description: "Rata 2", DueDate: d2, Installment: true, Transfers: tr(15000)},
		}}
	for i := range p.Options {
		nt, err := cr.Scheme().Build(int64(i + 1))
		if err != nil {
			return nil, fmt.Errorf("notice number: %w", err)
		}
		p.Options[i].IUV, p.Options[i].NoticeNumber = nt.IUV, nt.NoticeNumber
	}
	return p, nil
}
