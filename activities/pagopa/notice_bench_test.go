package pagopa

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
)

// plainPDF is the baseline: a one-page PDF of the same library with one line
// of core-font text.
func plainPDF() ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 12)
	pdf.Text(20, 20, "Avviso di pagamento - riga di testo semplice")
	var b bytes.Buffer
	err := pdf.Output(&b)
	return b.Bytes(), err
}

// BenchmarkRenderNotice renders a three-option notice (three QR codes) and
// reports notices per second next to a plain one-page PDF, and their ratio.
// The two are interleaved, one of each per iteration, so that a machine
// shared with other work slows both alike and the ratio stays meaningful.
// Run it with GOMAXPROCS=1 for figures per core.
func BenchmarkRenderNotice(b *testing.B) {
	render := map[string]func(*Position, string) ([]byte, error){"": RenderNotice, "before-": renderNoticeRef}
	for _, name := range []string{"it", "it-cok", "sl", "before-it", "before-it-cok", "before-sl"} {
		// it: core fonts; it-cok: an Italian notice to Marko Čok (his name
		// needs an embedded font); sl: embedded fonts throughout;
		// before-: the renderer this one replaced, for the speed-up.
		prefix, lang := "", strings.TrimSuffix(name, "-cok")
		if strings.HasPrefix(lang, "before-") {
			prefix, lang = "before-", strings.TrimPrefix(lang, "before-")
		}
		b.Run(name, func(b *testing.B) {
			p := issued(installmentPosition("TARI-BENCH"))
			if strings.HasSuffix(name, "-cok") {
				p.Debtor.FullName = "Marko Čok"
			}
			b.ReportAllocs()
			var notice, plain time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if _, err := plainPDF(); err != nil {
					b.Fatal(err)
				}
				mid := time.Now()
				if _, err := render[prefix](p, lang); err != nil {
					b.Fatal(err)
				}
				plain, notice = plain+mid.Sub(start), notice+time.Since(mid)
			}
			perSec := float64(b.N) / notice.Seconds()
			basePerSec := float64(b.N) / plain.Seconds()
			b.ReportMetric(perSec, "notices/s")
			b.ReportMetric(basePerSec, "plainpdf/s")
			b.ReportMetric(perSec/basePerSec, "ratio")
			b.Logf("%s: notices/s %.1f, plain one-page PDF/s %.1f, ratio %.3f", name, perSec, basePerSec, perSec/basePerSec)
		})
	}
}
