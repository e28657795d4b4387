package pagopa

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// renderNoticeRef is the notice renderer as it was before the fast path
// (kept to check that the fast path writes the same text). It writes the payment notice of p in lang (it, en, sl): ente,
// debtor, subject, then one section for the single payment and one per
// installment, each with amount, due date, notice number, the ente's fiscal
// code and its QR code.
func renderNoticeRef(p *Position, lang string) ([]byte, error) {
	t, ok := noticeTexts[lang]
	if !ok {
		return nil, errs.Field("lang", "must be one of it, en, sl")
	}
	if len(p.Options) == 0 {
		return nil, errs.Field("paymentOption", "the position has no payment options")
	}
	pdf, err := refNewDoc(p, t)
	if err != nil {
		return nil, err
	}
	pdf.SetCreator("Sportello", true)
	pdf.SetTitle(t["title"]+" "+p.IUPD, true)
	pdf.SetAutoPageBreak(false, 10)
	pdf.AddPage()
	refHeader(pdf, p, t)
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
		if y, err = refSection(pdf, p, o, t["single"], t, y); err != nil {
			return nil, err
		}
		if len(inst) > 0 {
			pdf.font("B", 10)
			pdf.text(15, y+4, t["installments"])
			y += 7
		}
	}
	for i, o := range inst {
		if y+62 > 287 {
			pdf.AddPage()
			y = 15
		}
		var err error
		if y, err = refSection(pdf, p, o, fmt.Sprintf(t["installment"], i+1, len(inst)), t, y); err != nil {
			return nil, err
		}
	}
	pdf.font("", 8)
	pdf.SetXY(15, 280)
	pdf.MultiCell(180, 3.5, pdf.tr(t["where"]), "", "L", false)
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("render notice %s: %w", p.IUPD, err)
	}
	return b.Bytes(), nil
}

func refHeader(pdf *refDoc, p *Position, t map[string]string) {
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
	block(110, 32, t["debtor"], p.Debtor.FullName, t["fc"]+" "+p.Debtor.FiscalCode)
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

// section draws one payment option at y and returns the y below it.
func refSection(pdf *refDoc, p *Position, o Option, title string, t map[string]string, y float64) (float64, error) {
	const h = 58
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
	img, err := refQRImage(QRPayload(o.NoticeNumber, p.Creditor.FiscalCode, o.Amount), 256)
	if err != nil {
		return 0, err
	}
	name := "qr-" + o.NoticeNumber
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img))
	pdf.ImageOptions(name, 143, y+4, 50, 50, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	return y + h + 4, pdf.Error()
}

// refDoc is a notice being written: the core Helvetica font when every text fits
// in Windows-1252 (fast: nothing to embed), the embedded DejaVu font otherwise,
// e.g. for Slovenian or a surname like Čok.
type refDoc struct {
	*fpdf.Fpdf
	family string
	tr     func(string) string
}

func refNewDoc(p *Position, t map[string]string) (*refDoc, error) {
	d := &refDoc{Fpdf: fpdf.New("P", "mm", "A4", ""), family: "helvetica"}
	texts := []string{p.Creditor.Name, p.Creditor.Office, p.Debtor.FullName, p.Subject}
	for _, o := range p.Options {
		texts = append(texts, o.Description)
	}
	for _, v := range t {
		texts = append(texts, v)
	}
	if fitsCP1252(texts...) {
		d.tr = d.UnicodeTranslatorFromDescriptor("")
		return d, nil
	}
	for _, f := range []struct{ style, file string }{{"", "fonts/DejaVuSansCondensed.ttf"}, {"B", "fonts/DejaVuSansCondensed-Bold.ttf"}} {
		data, err := fonts.ReadFile(f.file)
		if err != nil {
			return nil, err
		}
		d.AddUTF8FontFromBytes("dejavu", f.style, data)
	}
	d.family, d.tr = "dejavu", func(s string) string { return s }
	return d, nil
}

func (d *refDoc) font(style string, size float64) { d.SetFont(d.family, style, size) }

func (d *refDoc) text(x, y float64, s string) { d.Text(x, y, d.tr(s)) }

// refQRImage is the QR raster of the old renderer: size×size pixels.
func refQRImage(payload string, size int) ([]byte, error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	src := q.Image(size)
	gray := image.NewGray(src.Bounds())
	draw.Draw(gray, gray.Bounds(), src, src.Bounds().Min, draw.Src)
	var b bytes.Buffer
	if err := png.Encode(&b, gray); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
