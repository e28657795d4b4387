package pagopa

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestWriteReceiptPDF writes the citizen's receipt in each language, also for
// a payer whose name needs the embedded font, and refuses an unknown language
// naming the field.
func TestWriteReceiptPDF(t *testing.T) {
	p := installmentPosition("TARI-9")
	p.Options[1].NoticeNumber = "302000000000000184"
	p.Debtor.FullName = "Marko Čok"
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	r := StoredReceipt{ReceiptID: "733bd1c8", NoticeNumber: "302000000000000184", Amount: 1500, PSPName: "PSP simulato", PaymentDateTime: &at}
	for _, lang := range []string{"it", "en", "sl"} {
		var b bytes.Buffer
		if err := WriteReceiptPDF(&b, p, r, lang); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) || b.Len() < 2000 {
			t.Errorf("%s: not a PDF (%d bytes)", lang, b.Len())
		}
	}
	err := WriteReceiptPDF(&bytes.Buffer{}, p, r, "de")
	if err == nil || !strings.Contains(err.Error(), "lang") {
		t.Errorf("lang de: %v, want an error naming lang", err)
	}
	if got := groupNotice("302000000000000184"); got != "3020 0000 0000 0001 84" {
		t.Errorf("groupNotice = %q", got)
	}
}
