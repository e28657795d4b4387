package pagopa

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"
)

// postalHeight is the height of a Bollettino Postale PA strip.
const postalHeight = 46

// dataMatrixModulePixels is the raster size of one data matrix module.
const dataMatrixModulePixels = 3

// PostalAccount is the postal current account (12 digits) o is payable to,
// taken from the postal IBAN of its first transfer (the ente's own) or of the
// creditor; empty when the ente has none, and then the notice has no
// Bollettino Postale PA.
func PostalAccount(p *Position, o Option) string {
	iban := p.Creditor.PostalIBAN
	if len(o.Transfers) > 0 && o.Transfers[0].PostalIBAN != "" {
		iban = o.Transfers[0].PostalIBAN
	}
	iban = strings.ReplaceAll(iban, " ", "")
	if len(iban) != 27 || !strings.HasPrefix(strings.ToUpper(iban), "IT") {
		return ""
	}
	return iban[15:] // IT, check digits, CIN, ABI, CAB, then the 12-digit account
}

// PosteDataMatrix is the content of the data matrix of a Bollettino Postale
// PA (pagoPA notice spec, Poste's layout, 256 characters): "codfase=NBPA;",
// the code line (18 + notice number, 12 + account, 10 + amount in cents,
// 3 + document type 896), then 1 + P1, the ente's fiscal code (11), the
// debtor's (16), the debtor's name (40), the subject (110), a filler of 12
// spaces and the final A. Names and subject are folded to upper-case ASCII.
func PosteDataMatrix(noticeNumber, account string, amount int64, orgFiscalCode, debtorFiscalCode, debtorName, subject string) string {
	var b strings.Builder
	b.Grow(256)
	b.WriteString("codfase=NBPA;")
	fmt.Fprintf(&b, "18%s12%012s10%010d3896", fit(noticeNumber, 18), account, amount)
	b.WriteString("1P1")
	b.WriteString(fit(orgFiscalCode, 11))
	b.WriteString(fit(strings.ToUpper(debtorFiscalCode), 16))
	b.WriteString(fit(strings.ToUpper(asciiFold(debtorName)), 40))
	b.WriteString(fit(asciiFold(subject), 110))
	b.WriteString(strings.Repeat(" ", 12))
	b.WriteString("A")
	return b.String()
}

// fit pads s with spaces or cuts it to n characters.
func fit(s string, n int) string {
	if len(s) >= n {
		return s[:n]
	}
	return s + strings.Repeat(" ", n-len(s))
}

// asciiFold drops accents (Čok → Cok) and turns anything else outside
// printable ASCII into a space: Poste's readers take ASCII only.
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// postalSection draws the Bollettino Postale PA of o below its pagoPA part:
// account, holder, debtor, subject, notice number, document type, amount and
// the data matrix Poste reads at the counter.
func postalSection(pdf *doc, p *Position, o Option, account string, t map[string]string, y float64) (float64, error) {
	pdf.SetDrawColor(0, 102, 204)
	pdf.Rect(15, y+2, 180, postalHeight-2, "D")
	pdf.font("B", 10)
	pdf.text(19, y+8, t["postal"])
	pdf.font("", 9)
	pdf.text(19, y+14, t["account"]+" "+account+"   "+t["holder"]+" "+p.Creditor.Name)
	pdf.text(19, y+19, t["debtor"]+": "+p.Debtor.FullName)
	subject := p.Subject
	if r := []rune(subject); len(r) > 70 {
		subject = string(r[:70])
	}
	pdf.text(19, y+24, t["subject"]+": "+subject)
	pdf.font("B", 8)
	pdf.text(19, y+31, t["notice"])
	pdf.text(75, y+31, t["doctype"])
	pdf.text(105, y+31, t["amount"])
	pdf.font("", 11)
	pdf.text(19, y+37, spaced(o.NoticeNumber))
	pdf.text(75, y+37, "P1")
	pdf.text(105, y+37, "€ "+euro(o.Amount))
	payload := PosteDataMatrix(o.NoticeNumber, account, o.Amount, p.Creditor.FiscalCode, p.Debtor.FiscalCode, p.Debtor.FullName, p.Subject)
	img, err := DataMatrixImage(payload, dataMatrixModulePixels)
	if err != nil {
		return 0, fmt.Errorf("postal slip of %s: %w", o.NoticeNumber, err)
	}
	name := "dm-" + o.NoticeNumber
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img))
	pdf.ImageOptions(name, 160, y+6, 30, 30, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	return y + postalHeight, nil
}
