package pagopa

import (
	"github.com/google/go-cmp/cmp/cmpopts"
	"time"
)

const (
	trieste     = "00210240321"
	triesteIBAN = "IT61X0306909606100000012345"
	otherIBAN   = "IT84A0200802230000104123456"
	citizen     = "RSSMRA80A01H501U"
)

var demoCreditor = Creditor{Ente: "c_l424", FiscalCode: trieste, Name: "Comune di Trieste", Office: "Anagrafe e stato civile",
	AuxDigit: 3, SegregationCode: "47", IBAN: triesteIBAN}

// demoPosition is a valid position: one single option of 16.00 euros split in two transfers.
func demoPosition(iupd string) *Position {
	due := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	return &Position{
		IUPD:     iupd,
		Creditor: demoCreditor,
		Debtor:   Debtor{Type: "F", FiscalCode: citizen, FullName: "Mario Rossi"},
		Subject:  "Celebrazione matrimonio",
		Options: []Option{{Amount: 1600, Description: "Diritti di celebrazione", DueDate: due, Transfers: []Transfer{
			{ID: 1, Amount: 1000, OrganizationFiscalCode: trieste, IBAN: triesteIBAN, RemittanceInformation: "Diritti", Category: "9/0101108TS/"},
			{ID: 2, Amount: 600, OrganizationFiscalCode: trieste, IBAN: otherIBAN, RemittanceInformation: "Sala", Category: "9/0101108TS/"},
		}}},
	}
}

// installmentPosition has a single option of 30.00 and two installments of 15.00.
func installmentPosition(iupd string) *Position {
	p := demoPosition(iupd)
	p.Subject = "TARI 2026"
	tr := func(amount int64) []Transfer {
		return []Transfer{{ID: 1, Amount: amount, OrganizationFiscalCode: trieste, IBAN: triesteIBAN, RemittanceInformation: "TARI", Category: "9/0101101IM/"}}
	}
	d1 := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	d2 := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	p.Options = []Option{
		{Amount: 3000, Description: "Unica soluzione", DueDate: d1, Transfers: tr(3000)},
		{Amount: 1500, Description: "Rata 1", DueDate: d1, Installment: true, Transfers: tr(1500)},
		{Amount: 1500, Description: "Rata 2", DueDate: d2, Installment: true, Transfers: tr(1500)},
	}
	return p
}

// receiptFor is an OK receipt paying option i of p.
func receiptFor(p *Position, i int, id string) *Receipt {
	o := p.Options[i]
	at := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	return &Receipt{ReceiptID: id, NoticeNumber: o.NoticeNumber, FiscalCode: p.Creditor.FiscalCode, Outcome: "OK",
		CreditorReferenceID: o.IUV, Amount: o.Amount, Description: p.Subject, CompanyName: p.Creditor.Name,
		Debtor:    Subject{Type: "F", ID: p.Debtor.FiscalCode, FullName: p.Debtor.FullName},
		Transfers: []ReceiptTransfer{{ID: 1, Amount: o.Amount, FiscalCodePA: p.Creditor.FiscalCode, IBAN: triesteIBAN, RemittanceInformation: "x", Category: "0101108TS"}},
		PSPID:     "SIMPSP01", PSPName: "PSP simulato", ChannelID: "SIMPSP01_01", PaymentDateTime: &at}
}

var sortStrings = cmpopts.SortSlices(func(a, b string) bool { return a < b })
