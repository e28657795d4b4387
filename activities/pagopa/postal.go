package pagopa

import "github.com/sportello/sportello/catalog"

// postalIBAN is the postal account a transfer carries, so the notice can be
// paid with a Poste bollettino: its own IBAN when that is a conto corrente
// postale (ABI 07601), else the creditor's postal account when the transfer
// credits the creditor, else none.
func postalIBAN(t Transfer, c Creditor) string {
	switch {
	case t.PostalIBAN != "":
		return t.PostalIBAN
	case catalog.IsPostalIBAN(t.IBAN):
		return catalog.NormalizeIBAN(t.IBAN)
	case t.OrganizationFiscalCode == c.FiscalCode && c.PostalIBAN != "":
		return c.PostalIBAN
	}
	return ""
}

// postalAccount is the number of the conto corrente postale of a postal
// IBAN: its last 12 digits, as the Poste part of a notice prints it.
func postalAccount(iban string) string {
	if len(iban) < 12 {
		return iban
	}
	return iban[len(iban)-12:]
}

// noticePostal returns the postal account an option's notice shows: the
// postal IBAN of its first transfer that has one.
func noticePostal(o Option) string {
	for _, t := range o.Transfers {
		if t.PostalIBAN != "" {
			return t.PostalIBAN
		}
	}
	return ""
}

// postalTexts label the Poste part of a notice.
var postalTexts = map[string]string{
	"it": "Bollettino postale PA - c/c n.",
	"en": "Bollettino postale PA (Poste) - account no.",
	"sl": "Bollettino postale PA (pošta) - račun št.",
}

// The Poste label joins the notice texts, so the font choice sees it too.
func init() {
	for lang, s := range postalTexts {
		noticeTexts[lang]["postal"] = s
	}
}

// drawPostal prints the Poste part of an option's section at y: the postal
// account the notice can also be paid to with a bollettino.
func drawPostal(pdf *doc, o Option, t map[string]string, y float64) {
	iban := noticePostal(o)
	if iban == "" {
		return
	}
	pdf.font("", 9)
	pdf.text(70, y+51, t["postal"]+" "+postalAccount(iban))
}
