package fdr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sportello/sportello/activities/ledger/internal/safexml"
	"github.com/sportello/sportello/errs"
)

// jsonFlow is SingleFlowResponse of the FdR organization API.
type jsonFlow struct {
	Status         string      `json:"status"`
	Revision       int         `json:"revision"`
	FDR            string      `json:"fdr"`
	FDRDate        time.Time   `json:"fdrDate"`
	Regulation     string      `json:"regulation"`
	RegulationDate string      `json:"regulationDate"`
	BIC            string      `json:"bicCodePouringBank"`
	Sender         jsonSender  `json:"sender"`
	Receiver       jsonReceive `json:"receiver"`
	TotPayments    int         `json:"totPayments"`
	SumPayments    json.Number `json:"sumPayments"`
}

type jsonSender struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	PSPID   string `json:"pspId"`
	PSPName string `json:"pspName"`
}

type jsonReceive struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organizationId"`
	Name           string `json:"organizationName"`
}

// jsonPayments is PaginatedPaymentsResponse.
type jsonPayments struct {
	Data []struct {
		Index      int         `json:"index"`
		IUV        string      `json:"iuv"`
		IUR        string      `json:"iur"`
		IDTransfer int         `json:"idTransfer"`
		Pay        json.Number `json:"pay"`
		PayStatus  string      `json:"payStatus"`
		PayDate    time.Time   `json:"payDate"`
	} `json:"data"`
}

var senderTypes = map[string]string{"LEGAL_PERSON": "G", "ABI_CODE": "A", "BIC_CODE": "B"}
var payStatuses = map[string]string{"EXECUTED": "0", "REVOKED": "3", "STAND_IN": "4", "STAND_IN_NO_RPT": "8", "NO_RPT": "9"}

// ParseJSON builds a flow from the FdR API: the flow (GET .../psps/{pspId}) and
// every page of its payments (GET .../payments), then validates it like an XML flow.
func ParseJSON(flow io.Reader, pages ...io.Reader) (*Flow, error) {
	var jf jsonFlow
	if err := decode(flow, &jf, "flow"); err != nil {
		return nil, err
	}
	var fe []errs.FieldError
	bad := func(field, format string, a ...any) {
		fe = append(fe, errs.FieldError{Field: field, Message: fmt.Sprintf(format, a...)})
	}
	f := &Flow{ID: jf.FDR, Revision: jf.Revision, Date: jf.FDRDate.UTC(), Regulation: jf.Regulation, RegulationDate: jf.RegulationDate,
		SenderType: senderTypes[jf.Sender.Type], PSP: jf.Sender.PSPID, PSPName: jf.Sender.PSPName, BIC: jf.BIC,
		Receiver: jf.Receiver.OrganizationID, ReceiverName: jf.Receiver.Name, Count: jf.TotPayments}
	if f.SenderType == "" {
		bad("sender.type", "must be LEGAL_PERSON, ABI_CODE or BIC_CODE")
	}
	var err error
	if f.Total, err = safexml.Cents(jf.SumPayments.String()); err != nil {
		bad("sumPayments", "%v", err)
	}
	for p, page := range pages {
		var jp jsonPayments
		if err := decode(page, &jp, fmt.Sprintf("payments[%d]", p)); err != nil {
			return nil, err
		}
		for i, d := range jp.Data {
			field := fmt.Sprintf("payments[%d].data[%d]", p, i)
			l := Line{IUV: d.IUV, IUR: d.IUR, Index: d.IDTransfer, Outcome: payStatuses[d.PayStatus], Date: d.PayDate.In(rome).Format(time.DateOnly)}
			if l.Outcome == "" {
				bad(field+".payStatus", "must be EXECUTED, STAND_IN, STAND_IN_NO_RPT or NO_RPT")
			}
			if l.Amount, err = safexml.Cents(d.Pay.String()); err != nil {
				bad(field+".pay", "%v", err)
			}
			f.Lines = append(f.Lines, l)
		}
	}
	if len(fe) > 0 {
		return nil, errs.Fields(fe)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return f, nil
}

func decode(r io.Reader, v any, field string) error {
	data, err := safexml.Read(r, MaxSize)
	if err != nil {
		return errs.Field(field, "%v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return errs.Field(field, "is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}
