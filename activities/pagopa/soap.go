package pagopa

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	_ "time/tzdata" // Europe/Rome on machines without a zoneinfo database

	"github.com/sportello/sportello/errs"
)

// MaxReceiptBody bounds a receipt body: a paSendRT with five transfers and
// metadata is a few kilobytes.
const MaxReceiptBody = 256 << 10

// Namespaces of the SOAP envelope and of paForNode.xsd.
const (
	NSSoap      = "http://schemas.xmlsoap.org/soap/envelope/"
	NSPaForNode = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"
)

// Fault codes of the node's SOAP faults we answer with.
const (
	FaultSyntax    = "PAA_SINTASSI_XSD"
	FaultDuplicate = "PAA_RECEIPT_DUPLICATA"
	FaultSystem    = "PAA_SYSTEM_ERROR"
	FaultDomain    = "PAA_ID_DOMINIO_ERRATO"
)

// SendRT is a paSendRT (V1 paSendRTReq or V2 paSendRTV2Request) request.
type SendRT struct {
	Version    int // 1 or 2: the answer element follows it
	IDPA       string
	IDBrokerPA string
	IDStation  string
	Receipt    Receipt
}

type soapSubject struct {
	Type     string `xml:"uniqueIdentifier>entityUniqueIdentifierType"`
	ID       string `xml:"uniqueIdentifier>entityUniqueIdentifierValue"`
	FullName string `xml:"fullName"`
	Email    string `xml:"e-mail"`
}

type soapTransfer struct {
	IDTransfer            int    `xml:"idTransfer"`
	TransferAmount        string `xml:"transferAmount"`
	FiscalCodePA          string `xml:"fiscalCodePA"`
	CompanyName           string `xml:"companyName"`
	IBAN                  string `xml:"IBAN"`
	MBDAttachment         string `xml:"MBDAttachment"`
	RemittanceInformation string `xml:"remittanceInformation"`
	TransferCategory      string `xml:"transferCategory"`
}

type soapReceipt struct {
	ReceiptID           string         `xml:"receiptId"`
	NoticeNumber        string         `xml:"noticeNumber"`
	FiscalCode          string         `xml:"fiscalCode"`
	Outcome             string         `xml:"outcome"`
	CreditorReferenceID string         `xml:"creditorReferenceId"`
	PaymentAmount       string         `xml:"paymentAmount"`
	Description         string         `xml:"description"`
	CompanyName         string         `xml:"companyName"`
	OfficeName          string         `xml:"officeName"`
	Debtor              soapSubject    `xml:"debtor"`
	Transfers           []soapTransfer `xml:"transferList>transfer"`
	IDPSP               string         `xml:"idPSP"`
	PSPCompanyName      string         `xml:"PSPCompanyName"`
	IDChannel           string         `xml:"idChannel"`
	Payer               *soapSubject   `xml:"payer"`
	PaymentMethod       string         `xml:"paymentMethod"`
	Fee                 string         `xml:"fee"`
	PaymentDateTime     string         `xml:"paymentDateTime"`
	ApplicationDate     string         `xml:"applicationDate"`
	TransferDate        string         `xml:"transferDate"`
	StandIn             bool           `xml:"standIn"`
}

type soapRequest struct {
	IDPA       *string      `xml:"idPA"`
	IDBrokerPA *string      `xml:"idBrokerPA"`
	IDStation  *string      `xml:"idStation"`
	Receipt    *soapReceipt `xml:"receipt"`
	Other      []struct {
		XMLName xml.Name
	} `xml:",any"`
}

// ParseSendRT reads a paSendRT or paSendRTV2 request, bare or in a SOAP
// envelope. It refuses any DOCTYPE (so no entity can be declared, let alone
// expanded), bodies over MaxReceiptBody, unknown elements and missing
// required ones, naming the element at fault.
func ParseSendRT(body io.Reader) (*SendRT, error) {
	data, err := io.ReadAll(io.LimitReader(body, MaxReceiptBody+1))
	if err != nil {
		return nil, errs.Field("body", "cannot be read")
	}
	if len(data) > MaxReceiptBody {
		return nil, errs.Field("body", "is larger than %d bytes", MaxReceiptBody)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil, errs.Field("body", "holds no paSendRT request")
		}
		if err != nil {
			return nil, errs.Field("body", "is not well-formed XML: %s", strings.TrimPrefix(err.Error(), "XML syntax error on "))
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, errs.Field("body", "DOCTYPE and entity declarations are refused")
		case xml.StartElement:
			switch t.Name.Local {
			case "Envelope", "Body", "Header":
				if t.Name.Local == "Header" {
					if err := dec.Skip(); err != nil {
						return nil, errs.Field("Header", "is not well-formed XML")
					}
				}
				continue
			case "paSendRTReq", "paSendRTV2Request":
				var req soapRequest
				if err := dec.DecodeElement(&req, &t); err != nil {
					return nil, errs.Field(t.Name.Local, "is not well-formed: %s", err.Error())
				}
				v := 1
				if t.Name.Local == "paSendRTV2Request" {
					v = 2
				}
				return req.convert(v)
			default:
				return nil, errs.Field("body", "element %s is not a paSendRT request", t.Name.Local)
			}
		}
	}
}

func (q *soapRequest) convert(version int) (*SendRT, error) {
	var fe []errs.FieldError
	for _, o := range q.Other {
		fe = append(fe, errs.FieldError{Field: o.XMLName.Local, Message: "is not an element of paSendRT"})
	}
	req := func(name string, v *string) string {
		if v == nil || strings.TrimSpace(*v) == "" {
			fe = append(fe, errs.FieldError{Field: name, Message: "is required"})
			return ""
		}
		return strings.TrimSpace(*v)
	}
	out := &SendRT{Version: version, IDPA: req("idPA", q.IDPA), IDBrokerPA: req("idBrokerPA", q.IDBrokerPA), IDStation: req("idStation", q.IDStation)}
	if q.Receipt == nil {
		fe = append(fe, errs.FieldError{Field: "receipt", Message: "is required"})
	}
	if len(fe) > 0 {
		return nil, errs.Fields(fe)
	}
	r, err := q.Receipt.convert()
	if err != nil {
		return nil, err
	}
	out.Receipt = *r
	return out, nil
}

func (s *soapReceipt) convert() (*Receipt, error) {
	r := &Receipt{ReceiptID: s.ReceiptID, NoticeNumber: s.NoticeNumber, FiscalCode: s.FiscalCode, Outcome: s.Outcome,
		CreditorReferenceID: s.CreditorReferenceID, Description: s.Description, CompanyName: s.CompanyName,
		Debtor: Subject(s.Debtor), PSPID: s.IDPSP, PSPName: s.PSPCompanyName, ChannelID: s.IDChannel, PaymentMethod: s.PaymentMethod,
		ApplicationDate: s.ApplicationDate, TransferDate: s.TransferDate, StandIn: s.StandIn}
	var err error
	if r.Amount, err = ParseAmount("receipt.paymentAmount", s.PaymentAmount); err != nil {
		return nil, err
	}
	if s.Fee != "" {
		if r.Fee, err = ParseAmount("receipt.fee", s.Fee); err != nil {
			return nil, err
		}
	}
	if s.Payer != nil {
		p := Subject(*s.Payer)
		r.Payer = &p
	}
	for i, t := range s.Transfers {
		a, err := ParseAmount(fmt.Sprintf("receipt.transferList[%d].transferAmount", i), t.TransferAmount)
		if err != nil {
			return nil, err
		}
		r.Transfers = append(r.Transfers, ReceiptTransfer{ID: t.IDTransfer, Amount: a, FiscalCodePA: t.FiscalCodePA, CompanyName: t.CompanyName,
			IBAN: t.IBAN, RemittanceInformation: t.RemittanceInformation, Category: t.TransferCategory})
	}
	if s.PaymentDateTime != "" {
		t, err := parseNodeTime(s.PaymentDateTime)
		if err != nil {
			return nil, errs.Field("receipt.paymentDateTime", "must be an ISO date-time")
		}
		r.PaymentDateTime = &t
	}
	return r, r.Validate()
}

// SendRTResponse writes the SOAP answer to a paSendRT of version 1 or 2:
// outcome OK, or KO with a fault (code, string, description).
func SendRTResponse(version int, faultCode, faultString, description string) []byte {
	el := "paSendRTRes"
	if version == 2 {
		el = "paSendRTV2Response"
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, `<soapenv:Envelope xmlns:soapenv="%s" xmlns:pafn="%s"><soapenv:Body><pafn:%s>`, NSSoap, NSPaForNode, el)
	if faultCode == "" {
		b.WriteString("<outcome>OK</outcome>")
	} else {
		b.WriteString("<outcome>KO</outcome><fault><faultCode>")
		xml.EscapeText(&b, []byte(faultCode))
		b.WriteString("</faultCode><faultString>")
		xml.EscapeText(&b, []byte(faultString))
		b.WriteString("</faultString><id>sportello</id><description>")
		xml.EscapeText(&b, []byte(description))
		b.WriteString("</description></fault>")
	}
	fmt.Fprintf(&b, "</pafn:%s></soapenv:Body></soapenv:Envelope>", el)
	return b.Bytes()
}

// SendRTOutcome reads the outcome and fault code of a paSendRT answer.
func SendRTOutcome(body []byte) (outcome, faultCode string, err error) {
	var env struct {
		Body struct {
			Res struct {
				Outcome string `xml:"outcome"`
				Fault   struct {
					Code string `xml:"faultCode"`
				} `xml:"fault"`
			} `xml:",any"`
		} `xml:"Body"`
	}
	if err := xml.Unmarshal(body, &env); err != nil {
		return "", "", fmt.Errorf("paSendRT answer: %w", err)
	}
	return env.Body.Res.Outcome, env.Body.Res.Fault.Code, nil
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func containsV2(b []byte) bool { return bytes.Contains(b, []byte("paSendRTV2Request")) }
