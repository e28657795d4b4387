package pagopa

import (
	"bytes"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
)

// plainPDF is the baseline: a one-page PDF with a few lines of core-font text.
func plainPDF() ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 12)
	for i := 0; i < 10; i++ {
		pdf.Text(20, 20+float64(i)*8, "Avviso di pagamento - riga di testo semplice")
	}
	var b bytes.Buffer
	err := pdf.Output(&b)
	return b.Bytes(), err
}

// BenchmarkRenderNotice renders a three-option notice (three QR codes, an
// embedded UTF-8 font) and reports notices per second next to a plain
// one-page PDF rendered in the same run, and their ratio.
func BenchmarkRenderNotice(b *testing.B) {
	p := issued(installmentPosition("TARI-BENCH"))
	const baseRuns = 50
	start := time.Now()
	for i := 0; i < baseRuns; i++ {
		if _, err := plainPDF(); err != nil {
			b.Fatal(err)
		}
	}
	basePerSec := baseRuns / time.Since(start).Seconds()
	for _, lang := range []string{"it", "sl"} {
		// it: core font; sl: the embedded UTF-8 font (subset at each render).
		b.Run(lang, func(b *testing.B) {
			b.ReportAllocs()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				if _, err := RenderNotice(p, lang); err != nil {
					b.Fatal(err)
				}
			}
			perSec := float64(b.N) / time.Since(start).Seconds()
			b.ReportMetric(perSec, "notices/s")
			b.ReportMetric(basePerSec, "plainpdf/s")
			b.ReportMetric(perSec/basePerSec, "ratio")
			b.Logf("%s: notices/s %.1f, plain one-page PDF/s %.1f, ratio %.3f", lang, perSec, basePerSec, perSec/basePerSec)
		})
	}
}
