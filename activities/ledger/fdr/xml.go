package fdr

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sportello/sportello/activities/ledger/internal/safexml"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/errs"
)

// Namespace is the namespace of FlussoRiversamento.
const Namespace = "http://www.digitpa.gov.it/schemas/2011/Pagamenti/"

type xmlID struct {
	Type string `xml:"tipoIdentificativoUnivoco"`
	Code string `xml:"codiceIdentificativoUnivoco"`
}

type xmlLine struct {
	IUV     string `xml:"identificativoUnivocoVersamento"`
	IUR     string `xml:"identificativoUnivocoRiscossione"`
	Index   string `xml:"indiceDatiSingoloPagamento,omitempty"`
	Amount  string `xml:"singoloImportoPagato"`
	Outcome string `xml:"codiceEsitoSingoloPagamento"`
	Date    string `xml:"dataEsitoSingoloPagamento"`
}

type xmlFlow struct {
	XMLName        xml.Name  `xml:"http://www.digitpa.gov.it/schemas/2011/Pagamenti/ FlussoRiversamento"`
	Version        string    `xml:"versioneOggetto"`
	ID             string    `xml:"identificativoFlusso"`
	Revision       string    `xml:"revisioneFlusso,omitempty"`
	DateTime       string    `xml:"dataOraFlusso"`
	Regulation     string    `xml:"identificativoUnivocoRegolamento"`
	RegulationDate string    `xml:"dataRegolamento"`
	Sender         xmlID     `xml:"istitutoMittente>identificativoUnivocoMittente"`
	SenderName     string    `xml:"istitutoMittente>denominazioneMittente,omitempty"`
	BIC            string    `xml:"codiceBicBancaDiRiversamento,omitempty"`
	Receiver       xmlID     `xml:"istitutoRicevente>identificativoUnivocoRicevente"`
	ReceiverName   string    `xml:"istitutoRicevente>denominazioneRicevente,omitempty"`
	Count          string    `xml:"numeroTotalePagamenti"`
	Total          string    `xml:"importoTotalePagamenti"`
	Lines          []xmlLine `xml:"datiSingoliPagamenti"`
}

// ParseXML reads a FlussoRiversamento document (at most MaxSize bytes) and
// validates it; errors are invalid and name the element at fault.
func ParseXML(r io.Reader) (*Flow, error) {
	data, err := safexml.Read(r, MaxSize)
	if err != nil {
		return nil, errs.Field("fdr", "%v", err)
	}
	var x xmlFlow
	if err := safexml.Decode(data, &x); err != nil {
		return nil, errs.Field("fdr", "%v", err)
	}
	var fe []errs.FieldError
	bad := func(field, msg string) { fe = append(fe, errs.FieldError{Field: field, Message: msg}) }
	if x.Version != "1.0" && x.Version != "1.1" {
		bad("versioneOggetto", "must be 1.0 or 1.1")
	}
	f := &Flow{ID: x.ID, Regulation: x.Regulation, RegulationDate: x.RegulationDate, SenderType: x.Sender.Type,
		PSP: x.Sender.Code, PSPName: x.SenderName, BIC: x.BIC, Receiver: x.Receiver.Code, ReceiverName: x.ReceiverName}
	if x.Receiver.Type != "G" {
		bad("istitutoRicevente.identificativoUnivocoRicevente.tipoIdentificativoUnivoco", "must be G")
	}
	if x.Revision != "" {
		if f.Revision, err = strconv.Atoi(x.Revision); err != nil || f.Revision < 1 {
			bad("revisioneFlusso", "must be a positive whole number")
		}
	}
	if f.Date, err = safexml.DateTime(x.DateTime); err != nil {
		bad("dataOraFlusso", "must be a date and time")
	}
	if f.Count, err = strconv.Atoi(x.Count); err != nil {
		bad("numeroTotalePagamenti", "must be a whole number")
	}
	if f.Total, err = amount(x.Total); err != nil {
		bad("importoTotalePagamenti", err.Error())
	}
	for i, l := range x.Lines {
		p := fmt.Sprintf("datiSingoliPagamenti[%d]", i)
		line := Line{IUV: l.IUV, IUR: l.IUR, Outcome: l.Outcome, Date: l.Date}
		if l.Index != "" {
			if line.Index, err = strconv.Atoi(l.Index); err != nil {
				bad(p+".indiceDatiSingoloPagamento", "must be a whole number")
			}
		}
		if line.Amount, err = amount(l.Amount); err != nil {
			bad(p+".singoloImportoPagato", err.Error())
		}
		f.Lines = append(f.Lines, line)
	}
	if len(fe) > 0 {
		return nil, errs.Fields(fe)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return f, nil
}

// amount parses the schema's \d+\.\d{2} amounts exactly.
func amount(s string) (int64, error) {
	whole, frac, ok := strings.Cut(s, ".")
	if !ok || len(frac) != 2 || whole == "" {
		return 0, fmt.Errorf("must be an amount with two decimals, got %q", s)
	}
	return safexml.Cents(s)
}

// rome is the node's local time, in which undated-zone times are read and written.
var rome = calendar.Rome

// XML writes the flow as a FlussoRiversamento document.
func (f *Flow) XML() ([]byte, error) {
	x := xmlFlow{Version: "1.0", ID: f.ID, DateTime: f.Date.In(rome).Format("2006-01-02T15:04:05"), Regulation: f.Regulation,
		RegulationDate: f.RegulationDate, Sender: xmlID{Type: f.SenderType, Code: f.PSP}, SenderName: f.PSPName, BIC: f.BIC,
		Receiver: xmlID{Type: "G", Code: f.Receiver}, ReceiverName: f.ReceiverName,
		Count: strconv.Itoa(f.Count), Total: safexml.Euro(f.Total)}
	for _, l := range f.Lines {
		xl := xmlLine{IUV: l.IUV, IUR: l.IUR, Amount: safexml.Euro(l.Amount), Outcome: l.Outcome, Date: l.Date}
		if l.Index != 0 {
			xl.Index = strconv.Itoa(l.Index)
		}
		x.Lines = append(x.Lines, xl)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(x); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
