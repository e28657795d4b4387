package pagopa

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// Subject is a debtor or payer as a receipt names them.
type Subject struct {
	Type     string `json:"entityUniqueIdentifierType" xml:"uniqueIdentifier>entityUniqueIdentifierType"`
	ID       string `json:"entityUniqueIdentifierValue" xml:"uniqueIdentifier>entityUniqueIdentifierValue"`
	FullName string `json:"fullName" xml:"fullName"`
	Email    string `json:"email,omitempty" xml:"e-mail,omitempty"`
}

// ReceiptTransfer is one transfer of a receipt.
type ReceiptTransfer struct {
	ID                    int    `json:"idTransfer"`
	Amount                int64  `json:"amount"` // cents
	FiscalCodePA          string `json:"fiscalCodePA"`
	CompanyName           string `json:"companyName,omitempty"`
	IBAN                  string `json:"iban,omitempty"`
	RemittanceInformation string `json:"remittanceInformation"`
	Category              string `json:"transferCategory"`
}

// Receipt is a payment receipt (RT) as the pagoPA node sends it, whatever the
// channel (SOAP paSendRT / paSendRTV2 or the JSON receipt); amounts in cents.
type Receipt struct {
	ReceiptID           string            `json:"receiptId"`
	NoticeNumber        string            `json:"noticeNumber"`
	FiscalCode          string            `json:"fiscalCode"` // the ente's
	Outcome             string            `json:"outcome"`
	CreditorReferenceID string            `json:"creditorReferenceId"` // the IUV
	Amount              int64             `json:"amount"`
	Description         string            `json:"description"`
	CompanyName         string            `json:"companyName"`
	Debtor              Subject           `json:"debtor"`
	Payer               *Subject          `json:"payer,omitempty"`
	Transfers           []ReceiptTransfer `json:"transfers"`
	PSPID               string            `json:"idPSP"`
	PSPName             string            `json:"pspCompanyName"`
	ChannelID           string            `json:"idChannel"`
	PaymentMethod       string            `json:"paymentMethod,omitempty"`
	Fee                 int64             `json:"fee,omitempty"`
	PaymentDateTime     *time.Time        `json:"paymentDateTime,omitempty"`
	ApplicationDate     string            `json:"applicationDate,omitempty"`
	TransferDate        string            `json:"transferDate,omitempty"`
	StandIn             bool              `json:"standIn,omitempty"`
}

// Validate checks a received receipt by pattern, as the node does; it names
// the field at fault.
func (r *Receipt) Validate() error {
	var fe []errs.FieldError
	add := func(f, format string, args ...any) {
		fe = append(fe, errs.FieldError{Field: f, Message: fmt.Sprintf(format, args...)})
	}
	if r.ReceiptID == "" || len(r.ReceiptID) > 64 {
		add("receipt.receiptId", "must be 1 to 64 characters")
	}
	if err := CheckNoticePattern(r.NoticeNumber); err != nil {
		add("receipt.noticeNumber", "must be 18 digits with aux digit 0-3")
	}
	if !digits(r.FiscalCode, 11) {
		add("receipt.fiscalCode", "must be 11 digits")
	}
	if r.Outcome != "OK" && r.Outcome != "KO" {
		add("receipt.outcome", "must be OK or KO")
	}
	if r.CreditorReferenceID == "" || len(r.CreditorReferenceID) > 35 {
		add("receipt.creditorReferenceId", "must be 1 to 35 characters")
	}
	if r.Amount <= 0 {
		add("receipt.paymentAmount", "must be more than 0")
	}
	if len(r.Transfers) == 0 || len(r.Transfers) > MaxTransfers {
		add("receipt.transferList", "must hold 1 to %d transfers", MaxTransfers)
	}
	var sum int64
	for i, t := range r.Transfers {
		sum += t.Amount
		if t.Amount <= 0 {
			add(fmt.Sprintf("receipt.transferList[%d].transferAmount", i), "must be more than 0")
		}
	}
	if len(r.Transfers) > 0 && sum != r.Amount {
		add("receipt.transferList", "transfers sum to %s, the payment is %s", FormatAmount(sum), FormatAmount(r.Amount))
	}
	if r.PSPID == "" {
		add("receipt.idPSP", "is required")
	}
	return errs.Fields(fe)
}

// ParseAmount reads a decimal euro amount with exactly two decimals ("30.00",
// the XSD's stAmount) into cents.
func ParseAmount(field, s string) (int64, error) {
	s = strings.TrimSpace(s)
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 || whole == "" || !digits(whole, len(whole)) || !digits(frac, 2) || len(whole) > 9 {
		return 0, errs.Field(field, "must be an amount like 30.00, got %q", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + f, nil
}

// FormatAmount writes cents as a decimal euro amount with two decimals.
func FormatAmount(cents int64) string {
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

// jsonAmount converts a JSON number of euros (the JSON receipt's amounts) to cents.
func jsonAmount(field string, v float64) (int64, error) {
	c := math.Round(v * 100)
	if math.Abs(c-v*100) > 1e-6 || v < 0 || v > 999999999.99 {
		return 0, errs.Field(field, "must be euros with at most two decimals")
	}
	return int64(c), nil
}

// jsonReceipt is the JSON receipt of biz_events.json (CtReceiptModelResponse).
type jsonReceipt struct {
	ReceiptID           string       `json:"receiptId"`
	NoticeNumber        string       `json:"noticeNumber"`
	FiscalCode          string       `json:"fiscalCode"`
	Outcome             string       `json:"outcome"`
	CreditorReferenceID string       `json:"creditorReferenceId"`
	PaymentAmount       float64      `json:"paymentAmount"`
	Description         string       `json:"description"`
	CompanyName         string       `json:"companyName"`
	OfficeName          string       `json:"officeName,omitempty"`
	Debtor              jsonSubject  `json:"debtor"`
	Payer               *jsonSubject `json:"payer,omitempty"`
	TransferList        []struct {
		IDTransfer            int             `json:"idTransfer"`
		TransferAmount        float64         `json:"transferAmount"`
		FiscalCodePA          string          `json:"fiscalCodePA"`
		IBAN                  string          `json:"iban"`
		MBDAttachment         string          `json:"mbdAttachment"`
		RemittanceInformation string          `json:"remittanceInformation"`
		TransferCategory      string          `json:"transferCategory"`
		Metadata              json.RawMessage `json:"metadata,omitempty"`
	} `json:"transferList"`
	IDPSP                    string          `json:"idPSP"`
	PSPFiscalCode            string          `json:"pspFiscalCode,omitempty"`
	PSPPartitaIVA            string          `json:"pspPartitaIVA,omitempty"`
	PSPCompanyName           string          `json:"pspCompanyName"`
	IDChannel                string          `json:"idChannel"`
	ChannelDescription       string          `json:"channelDescription,omitempty"`
	PaymentMethod            string          `json:"paymentMethod,omitempty"`
	Fee                      float64         `json:"fee,omitempty"`
	PrimaryCiIncurredFee     float64         `json:"primaryCiIncurredFee,omitempty"`
	IDBundle                 string          `json:"idBundle,omitempty"`
	IDCiBundle               string          `json:"idCiBundle,omitempty"`
	PaymentDateTime          string          `json:"paymentDateTime,omitempty"`
	PaymentDateTimeFormatted string          `json:"paymentDateTimeFormatted,omitempty"`
	ApplicationDate          string          `json:"applicationDate,omitempty"`
	TransferDate             string          `json:"transferDate,omitempty"`
	Metadata                 json.RawMessage `json:"metadata,omitempty"`
}

// jsonSubject is the Debtor / Payer of the JSON receipt, every property listed
// so strict decoding accepts any receipt the schema allows.
type jsonSubject struct {
	Type                string `json:"entityUniqueIdentifierType"`
	ID                  string `json:"entityUniqueIdentifierValue"`
	FullName            string `json:"fullName"`
	StreetName          string `json:"streetName,omitempty"`
	CivicNumber         string `json:"civicNumber,omitempty"`
	PostalCode          string `json:"postalCode,omitempty"`
	City                string `json:"city,omitempty"`
	StateProvinceRegion string `json:"stateProvinceRegion,omitempty"`
	Country             string `json:"country,omitempty"`
	Email               string `json:"email,omitempty"`
}

func (j *jsonSubject) subject() Subject {
	return Subject{Type: j.Type, ID: j.ID, FullName: j.FullName, Email: j.Email}
}

// ReceiptFromJSON converts the JSON receipt (biz events) decoded strictly by
// the caller into a Receipt and validates it.
func ReceiptFromJSON(data []byte) (*Receipt, error) {
	var j jsonReceipt
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, errs.Field("body", "is not a JSON receipt: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	amt, err := jsonAmount("paymentAmount", j.PaymentAmount)
	if err != nil {
		return nil, err
	}
	r := &Receipt{ReceiptID: j.ReceiptID, NoticeNumber: j.NoticeNumber, FiscalCode: j.FiscalCode, Outcome: j.Outcome,
		CreditorReferenceID: j.CreditorReferenceID, Amount: amt, Description: j.Description, CompanyName: j.CompanyName,
		Debtor: j.Debtor.subject(), PSPID: j.IDPSP, PSPName: j.PSPCompanyName, ChannelID: j.IDChannel,
		PaymentMethod: j.PaymentMethod, ApplicationDate: j.ApplicationDate, TransferDate: j.TransferDate}
	if j.Payer != nil {
		p := j.Payer.subject()
		r.Payer = &p
	}
	if r.Fee, err = jsonAmount("fee", j.Fee); err != nil {
		return nil, err
	}
	for i, t := range j.TransferList {
		a, err := jsonAmount(fmt.Sprintf("transferList[%d].transferAmount", i), t.TransferAmount)
		if err != nil {
			return nil, err
		}
		r.Transfers = append(r.Transfers, ReceiptTransfer{ID: t.IDTransfer, Amount: a, FiscalCodePA: t.FiscalCodePA, IBAN: t.IBAN,
			RemittanceInformation: t.RemittanceInformation, Category: t.TransferCategory})
	}
	for _, s := range []string{j.PaymentDateTimeFormatted, j.PaymentDateTime} {
		if s == "" {
			continue
		}
		if t, err := parseNodeTime(s); err == nil {
			r.PaymentDateTime = &t
			break
		}
	}
	return r, r.Validate()
}

// parseNodeTime reads the node's date-times: RFC 3339, or local Italian time
// without an offset (the XSD's xsd:dateTime as the node writes it).
func parseNodeTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, calendar.Rome); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date-time %q", s)
}
