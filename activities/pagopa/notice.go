package pagopa

import (
	"bytes"
	"fmt"
	"io"

	"github.com/go-pdf/fpdf"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// Languages of the payment notice: Italian, English and Slovenian (a
// recognised minority language in Friuli Venezia Giulia).
var noticeTexts = map[string]map[string]string{
	"it": {"title": "AVVISO DI PAGAMENTO", "creditor": "ENTE CREDITORE", "debtor": "DESTINATARIO DELL'AVVISO", "subject": "OGGETTO DEL PAGAMENTO",
		"single": "Paga in un'unica soluzione", "installment": "Rata %d di %d", "amount": "Importo", "due": "entro il",
		"notice": "Codice avviso", "cf": "Codice fiscale ente", "where": "Puoi pagare con pagoPA: app IO, sito dell'ente, banche, uffici postali, punti vendita SISAL, Lottomatica, Banca 5.",
		"cbill": "Codice CBILL", "fc": "Codice fiscale", "total": "Importo totale", "installments": "oppure a rate",
		"postal": "BOLLETTINO POSTALE PA", "account": "sul C/C n.", "holder": "intestato a", "doctype": "Tipo"},
	"en": {"title": "PAYMENT NOTICE", "creditor": "CREDITOR", "debtor": "ADDRESSEE", "subject": "PAYMENT SUBJECT",
		"single": "Pay in a single payment", "installment": "Installment %d of %d", "amount": "Amount", "due": "by",
		"notice": "Notice number", "cf": "Creditor fiscal code", "where": "Pay with pagoPA: IO app, the creditor's website, banks, post offices, SISAL, Lottomatica and Banca 5 outlets.",
		"cbill": "CBILL code", "fc": "Fiscal code", "total": "Total amount", "installments": "or in installments",
		"postal": "POSTAL PAYMENT SLIP (BOLLETTINO POSTALE PA)", "account": "to postal account no.", "holder": "held by", "doctype": "Type"},
	"sl": {"title": "OBVESTILO O PLAČILU", "creditor": "UPNIK", "debtor": "PREJEMNIK OBVESTILA", "subject": "PREDMET PLAČILA",
		"single": "Plačilo v enkratnem znesku", "installment": "Obrok %d od %d", "amount": "Znesek", "due": "do",
		"notice": "Koda obvestila", "cf": "Davčna številka upnika", "where": "Plačate lahko prek sistema pagoPA: aplikacija IO, spletna stran upnika, banke, pošte, prodajna mesta SISAL, Lottomatica, Banca 5.",
		"cbill": "Koda CBILL", "fc": "Davčna številka", "total": "Skupni znesek", "installments": "ali na obroke",
		"postal": "POŠTNA POLOŽNICA PA", "account": "na poštni račun št.", "holder": "imetnik", "doctype": "Vrsta"},
}

// NoticeLanguages lists the languages RenderNotice writes.
var NoticeLanguages = []string{"it", "en", "sl"}

// QRPayload is the pagoPA notice QR code content, version 002.
func QRPayload(noticeNumber, orgFiscalCode string, amount int64) string {
	return fmt.Sprintf("PAGOPA|002|%s|%s|%d", noticeNumber, orgFiscalCode, amount)
}

// RenderNotice writes the payment notice of p in lang (it, en, sl): ente,
// debtor, subject, then one section for the single payment and one per
// installment, each with amount, due date, notice number, the ente's fiscal
// code and its QR code, and the Bollettino Postale PA with its data matrix
// where the option is payable to a postal account.
func RenderNotice(p *Position, lang string) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(16 << 10)
	if err := WriteNotice(&b, p, lang); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteNotice writes the notice PDF of p in lang to w (see RenderNotice).
func WriteNotice(w io.Writer, p *Position, lang string) error {
	t, ok := noticeTexts[lang]
	if !ok {
		return errs.Field("lang", "must be one of it, en, sl")
	}
	if len(p.Options) == 0 {
		return errs.Field("paymentOption", "the position has no payment options")
	}
	pdf, err := newDoc(p, lang, t)
	if err != nil {
		return err
	}
	pdf.SetCompression(false)
	pdf.SetCreator("Sportello", true)
	pdf.SetTitle(t["title"]+" "+p.IUPD, true)
	pdf.SetAutoPageBreak(false, 10)
	pdf.AddPage()
	header(pdf, p, t)
	var inst []Option
	for _, o := range p.Options {
		if o.Installment {
			inst = append(inst, o)
		}
	}
	y := pdf.GetY() + 4
	for _, o := range p.Options {
		if o.Installment {
			continue
		}
		var err error
		if y, err = section(pdf, p, o, t["single"], t, y); err != nil {
			return err
		}
		if len(inst) > 0 {
			pdf.font("B", 10)
			pdf.text(15, y+4, t["installments"])
			y += 7
		}
	}
	for i, o := range inst {
		if y+sectionHeight(p, o)+4 > 287 {
			pdf.AddPage()
			y = 15
		}
		var err error
		if y, err = section(pdf, p, o, fmt.Sprintf(t["installment"], i+1, len(inst)), t, y); err != nil {
			return err
		}
	}
	pdf.font("", 8)
	pdf.SetXY(15, 280)
	pdf.MultiCell(180, 3.5, pdf.tr(t["where"]), "", "L", false)
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("render notice %s: %w", p.IUPD, err)
	}
	return nil
}

func header(pdf *doc, p *Position, t map[string]string) {
	pdf.SetFillColor(0, 102, 204)
	pdf.Rect(0, 0, 210, 22, "F")
	pdf.SetTextColor(255, 255, 255)
	pdf.font("B", 18)
	pdf.text(15, 14, t["title"])
	pdf.font("B", 11)
	pdf.text(150, 14, "pagoPA")
	pdf.SetTextColor(0, 0, 0)
	block := func(x, y float64, label string, lines ...string) {
		pdf.font("B", 8)
		pdf.text(x, y, label)
		pdf.font("", 10)
		for i, l := range lines {
			pdf.text(x, y+5+float64(i)*4.5, l)
		}
	}
	block(15, 32, t["creditor"], p.Creditor.Name, p.Creditor.Office, t["fc"]+" "+p.Creditor.FiscalCode)
	block(110, 32, t["debtor"], append([]string{p.Debtor.FullName, t["fc"] + " " + p.Debtor.FiscalCode}, p.Debtor.AddressLines()...)...)
	pdf.font("B", 8)
	pdf.text(15, 54, t["subject"])
	pdf.font("", 10)
	pdf.SetXY(15, 55.5)
	pdf.MultiCell(180, 4.5, pdf.tr(p.Subject), "", "L", false)
	pdf.font("B", 12)
	pdf.SetXY(15, pdf.GetY()+1)
	pdf.Cell(180, 6, pdf.tr(fmt.Sprintf("%s: € %s", t["total"], euro(p.Amount()))))
	pdf.SetY(pdf.GetY() + 7)
}

// optionHeight is the height of the pagoPA part of an option's section.
const optionHeight = 58

// sectionHeight is the height of o's section: the pagoPA part, and the
// Bollettino Postale PA below it when o is payable to a postal account.
func sectionHeight(p *Position, o Option) float64 {
	if PostalAccount(p, o) != "" {
		return optionHeight + postalHeight
	}
	return optionHeight
}

// section draws one payment option at y and returns the y below it.
func section(pdf *doc, p *Position, o Option, title string, t map[string]string, y float64) (float64, error) {
	const h = optionHeight
	pdf.SetDrawColor(0, 102, 204)
	pdf.Rect(15, y, 180, h, "D")
	pdf.font("B", 11)
	pdf.text(19, y+7, title)
	pdf.font("", 10)
	due := o.DueDate.In(calendar.Rome).Format("02/01/2006")
	pdf.text(19, y+15, fmt.Sprintf("%s € %s %s %s", t["amount"], euro(o.Amount), t["due"], due))
	pdf.font("B", 8)
	pdf.text(19, y+25, t["notice"])
	pdf.text(19, y+37, t["cf"])
	pdf.font("", 12)
	pdf.text(19, y+31, spaced(o.NoticeNumber))
	pdf.text(19, y+43, p.Creditor.FiscalCode)
	if p.Creditor.CBILL != "" {
		pdf.font("", 9)
		pdf.text(19, y+51, t["cbill"]+" "+p.Creditor.CBILL)
	}
	drawPostal(pdf, o, t, y)
	img, err := QRImage(QRPayload(o.NoticeNumber, p.Creditor.FiscalCode, o.Amount), qrModulePixels)
	if err != nil {
		return 0, err
	}
	name := "qr-" + o.NoticeNumber
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img))
	pdf.ImageOptions(name, 143, y+4, 50, 50, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	y += h
	if account := PostalAccount(p, o); account != "" {
		if y, err = postalSection(pdf, p, o, account, t, y); err != nil {
			return 0, err
		}
	}
	return y + 4, pdf.Error()
}

// euro writes cents the Italian way: 1.234,56.
func euro(cents int64) string {
	whole, frac := cents/100, cents%100
	s := fmt.Sprintf("%d", whole)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	return fmt.Sprintf("%s,%02d", out, frac)
}

// spaced groups the notice number in fours, as printed notices do.
func spaced(n string) string {
	var out []byte
	for i := range n {
		if i > 0 && i%4 == 0 {
			out = append(out, ' ')
		}
		out = append(out, n[i])
	}
	return string(out)
}

// NoticeFileName is the file name of a notice.
func NoticeFileName(p *Position, lang string) string {
	return fmt.Sprintf("avviso-%s-%s.pdf", p.IUPD, lang)
}
