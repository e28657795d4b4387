package pagopa

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
)

// TestPosteDataMatrix renders a notice whose ente has a postal account: every
// option gets a Bollettino Postale PA whose data matrix decodes to Poste's
// 256-character layout, read back at the offsets a reader of that layout
// uses (notice number, amount, ente's fiscal code).
func TestPosteDataMatrix(t *testing.T) {
	p := issued(installmentPosition("TARI-DM"))
	p.Creditor.PostalIBAN = "IT60X0760102200000012345678"
	p.Debtor.FullName = "Marko Čok"
	pdf, err := RenderNotice(p, "sl")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, img := range pdfImages(t, pdf) {
		bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
		res, err := datamatrix.NewDataMatrixReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
		if err != nil {
			continue // a QR code
		}
		got = append(got, res.GetText())
	}
	sort.Strings(got)
	if len(got) != len(p.Options) {
		t.Fatalf("%d data matrices, want %d", len(got), len(p.Options))
	}
	for i, o := range p.Options {
		dm := got[i]
		want := PosteDataMatrix(o.NoticeNumber, "000012345678", o.Amount, p.Creditor.FiscalCode, p.Debtor.FiscalCode, p.Debtor.FullName, p.Subject)
		if dm != want {
			t.Errorf("data matrix %d = %q, want %q", i, dm, want)
		}
		fields := map[string]string{"len": strings.Repeat("x", len(dm)), "notice": dm[15:33], "account": dm[35:47], "amount": dm[49:59], "org": dm[66:77], "name": strings.TrimSpace(dm[93:133])}
		wantFields := map[string]string{"len": strings.Repeat("x", 256), "notice": o.NoticeNumber, "account": "000012345678",
			"amount": fmt.Sprintf("%010d", o.Amount), "org": p.Creditor.FiscalCode, "name": "MARKO COK"}
		if diff := cmp.Diff(wantFields, fields); diff != "" {
			t.Errorf("option %d fields (-want +got):\n%s", i, diff)
		}
	}
}

// TestNoPostalAccountNoSlip: without a postal account the notice has only
// the QR codes.
func TestNoPostalAccountNoSlip(t *testing.T) {
	p := issued(installmentPosition("TARI-NODM"))
	pdf, err := RenderNotice(p, "it")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(pdfImages(t, pdf)); n != len(p.Options) {
		t.Fatalf("%d images, want %d QR codes", n, len(p.Options))
	}
	if got := PostalAccount(p, p.Options[0]); got != "" {
		t.Errorf("postal account = %q", got)
	}
}
