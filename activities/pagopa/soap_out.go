package pagopa

import (
	"bytes"
	"encoding/xml"

	"github.com/sportello/sportello/calendar"
)

// The element order below follows ctReceiptV2 of paForNode.xsd: XML Schema
// sequences are ordered, so the node (and our parser's peers) rely on it.

type outSubject struct {
	Type     string `xml:"uniqueIdentifier>entityUniqueIdentifierType"`
	ID       string `xml:"uniqueIdentifier>entityUniqueIdentifierValue"`
	FullName string `xml:"fullName"`
	Email    string `xml:"e-mail,omitempty"`
}

type outTransfer struct {
	IDTransfer            int    `xml:"idTransfer"`
	TransferAmount        string `xml:"transferAmount"`
	FiscalCodePA          string `xml:"fiscalCodePA"`
	CompanyName           string `xml:"companyName,omitempty"`
	IBAN                  string `xml:"IBAN"`
	RemittanceInformation string `xml:"remittanceInformation"`
	TransferCategory      string `xml:"transferCategory"`
}

type outReceipt struct {
	ReceiptID           string        `xml:"receiptId"`
	NoticeNumber        string        `xml:"noticeNumber"`
	FiscalCode          string        `xml:"fiscalCode"`
	Outcome             string        `xml:"outcome"`
	CreditorReferenceID string        `xml:"creditorReferenceId"`
	PaymentAmount       string        `xml:"paymentAmount"`
	Description         string        `xml:"description"`
	CompanyName         string        `xml:"companyName"`
	Debtor              outSubject    `xml:"debtor"`
	Transfers           []outTransfer `xml:"transferList>transfer"`
	IDPSP               string        `xml:"idPSP"`
	PSPCompanyName      string        `xml:"PSPCompanyName"`
	IDChannel           string        `xml:"idChannel"`
	ChannelDescription  string        `xml:"channelDescription"`
	Payer               *outSubject   `xml:"payer,omitempty"`
	PaymentMethod       string        `xml:"paymentMethod,omitempty"`
	Fee                 string        `xml:"fee,omitempty"`
	PaymentDateTime     string        `xml:"paymentDateTime,omitempty"`
	ApplicationDate     string        `xml:"applicationDate,omitempty"`
	TransferDate        string        `xml:"transferDate,omitempty"`
	StandIn             bool          `xml:"standIn"`
}

type outRequest struct {
	XMLName    xml.Name   `xml:"pafn:paSendRTV2Request"`
	IDPA       string     `xml:"idPA"`
	IDBrokerPA string     `xml:"idBrokerPA"`
	IDStation  string     `xml:"idStation"`
	Receipt    outReceipt `xml:"receipt"`
}

// SendRTV2Envelope writes r as a SOAP paSendRTV2Request, as the node sends it
// to the ente's station. Date-times are written in Italian local time.
func (r *Receipt) SendRTV2Envelope(idPA, idBrokerPA, idStation string) ([]byte, error) {
	o := outReceipt{ReceiptID: r.ReceiptID, NoticeNumber: r.NoticeNumber, FiscalCode: r.FiscalCode, Outcome: r.Outcome,
		CreditorReferenceID: r.CreditorReferenceID, PaymentAmount: FormatAmount(r.Amount), Description: r.Description,
		CompanyName: r.CompanyName, Debtor: outSubject(r.Debtor), IDPSP: r.PSPID, PSPCompanyName: r.PSPName, IDChannel: r.ChannelID,
		ChannelDescription: "app", PaymentMethod: r.PaymentMethod, ApplicationDate: r.ApplicationDate, TransferDate: r.TransferDate, StandIn: r.StandIn}
	if r.Payer != nil {
		p := outSubject(*r.Payer)
		o.Payer = &p
	}
	if r.Fee > 0 {
		o.Fee = FormatAmount(r.Fee)
	}
	if r.PaymentDateTime != nil {
		o.PaymentDateTime = r.PaymentDateTime.In(calendar.Rome).Format("2006-01-02T15:04:05")
	}
	for _, t := range r.Transfers {
		o.Transfers = append(o.Transfers, outTransfer{IDTransfer: t.ID, TransferAmount: FormatAmount(t.Amount), FiscalCodePA: t.FiscalCodePA,
			CompanyName: t.CompanyName, IBAN: t.IBAN, RemittanceInformation: t.RemittanceInformation, TransferCategory: t.Category})
	}
	inner, err := xml.Marshal(outRequest{IDPA: idPA, IDBrokerPA: idBrokerPA, IDStation: idStation, Receipt: o})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="` + NSSoap + `" xmlns:pafn="` + NSPaForNode + `"><soapenv:Body>`)
	b.Write(inner)
	b.WriteString(`</soapenv:Body></soapenv:Envelope>`)
	return b.Bytes(), nil
}
