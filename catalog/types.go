// Package catalog is the anagrafe dei servizi of Sportello, after the SUS "Mappa
// dell'Ente": procedimenti and service types defined by the regional tables and
// specialised by each ente, master data (enti and their organisation), the
// business catalog of data concepts, the pagoPA taxonomy and the monitoring of
// the Region-DTD agreement.
package catalog

import "time"

// Text is a text a citizen or operator reads, in Italian and English.
type Text struct {
	It string `json:"it"`
	En string `json:"en,omitempty"`
	// Sl is the Slovenian text, for the Slovenian-speaking citizens of Friuli
	// Venezia Giulia; the portal shows the Italian one where it is missing.
	Sl string `json:"sl,omitempty"`
}

// Origin says where a field of a merged view comes from.
type Origin string

// The origins of a field.
const (
	FromRegion Origin = "region" // the regional or national definition
	FromEnte   Origin = "ente"   // the ente's specialisation
)

// Level says who defines a procedimento or service.
type Level string

// The levels of a definition.
const (
	National Level = "national"
	Regional Level = "regional"
	EnteOnly Level = "ente"
)

// Channels through which a service is offered.
const (
	ChannelWeb   = "web"
	ChannelApp   = "app"
	ChannelDesk  = "sportello"
	ChannelPEC   = "pec"
	ChannelPhone = "telefono"
)

var channels = []string{ChannelWeb, ChannelApp, ChannelDesk, ChannelPEC, ChannelPhone}

// Interactivity levels of a service, from least to most digital.
const (
	InfoOnly      = "informativo"
	Downloadable  = "modulistica"
	OneWay        = "one-way"
	TwoWay        = "two-way"
	Transactional = "transazionale"
)

var interactivities = []string{InfoOnly, Downloadable, OneWay, TwoWay, Transactional}

// Availability states of a service.
const (
	Active    = "attivo"
	Suspended = "sospeso"
	Scheduled = "programmato"
)

// How a procedimento starts (L. 241/1990 art. 2).
const (
	IstanzaDiParte = "istanza-di-parte"
	DUfficio       = "d-ufficio"
)

var startKinds = []string{IstanzaDiParte, DUfficio}

// How a procedimento ends.
const (
	EndExplicit       = "provvedimento-espresso"
	EndSilenzioAssens = "silenzio-assenso"
	EndSilenzioRifiut = "silenzio-rigetto"
	EndSCIA           = "scia"
	EndCommunication  = "comunicazione"
)

var endKinds = []string{EndExplicit, EndSilenzioAssens, EndSilenzioRifiut, EndSCIA, EndCommunication}

// Act is one legal basis of a procedimento, e.g. "D.P.R. 396/2000".
type Act struct {
	Title string `json:"title"`
	Ref   string `json:"ref,omitempty"` // e.g. "art. 50" or a Normattiva URL
}

// Phase is one step of the iter of a procedimento.
type Phase struct {
	Name Text `json:"name"`
	Days int  `json:"days,omitempty"`
}

// Term is the legal deadline of a procedimento: 30 calendar days unless a law says otherwise.
type Term struct {
	Days    int  `json:"days"`
	Working bool `json:"working,omitempty"` // working days instead of calendar days
}

// Deadline is a named deadline of a procedimento besides its term.
type Deadline struct {
	Name Text `json:"name"`
	Days int  `json:"days"`
}

// ProcedimentoSpec is the definition of a procedimento amministrativo. Regional
// rows hold it whole; an ente's specialisation holds only the fields it overrides.
type ProcedimentoSpec struct {
	Name       *Text   `json:"name,omitempty"`
	LegalBasis []Act   `json:"legalBasis,omitempty"`
	Iter       []Phase `json:"iter,omitempty"`
	Term       *Term   `json:"term,omitempty"`
	Start      string  `json:"start,omitempty"`
	End        string  `json:"end,omitempty"`
	Office     string  `json:"office,omitempty"` // organisation unit code in the ente's master data
	Substitute *Text   `json:"substitute,omitempty"`
	// SubstituteOffice is the unit code of the potere sostitutivo in the ente's
	// master data; without it the unit is found by its head's title (Substitute).
	SubstituteOffice string     `json:"substituteOffice,omitempty"`
	Transparency     *Text      `json:"transparency,omitempty"`
	Deadlines        []Deadline `json:"deadlines,omitempty"`
}

// Availability says whether a service can be used now.
type Availability struct {
	Status string     `json:"status"`
	From   *time.Time `json:"from,omitempty"`
	Until  *time.Time `json:"until,omitempty"`
}

// Contact is a contact point of a service.
type Contact struct {
	Kind  string `json:"kind"` // email, pec, telefono, url, sportello
	Value string `json:"value"`
	Label *Text  `json:"label,omitempty"`
}

// Payment is a payment mode of a service: a fixed fee or a rule, the account
// it is credited to and where it lands in the ente's accounts.
type Payment struct {
	Label        Text   `json:"label"`
	AmountCents  int64  `json:"amountCents,omitempty"`
	Rule         string `json:"rule,omitempty"` // how the amount is computed when not fixed
	Taxonomy     string `json:"taxonomy"`       // dati specifici di incasso, e.g. 9/0104102TS/
	IBAN         string `json:"iban,omitempty"`
	Capitolo     string `json:"capitolo,omitempty"`
	Articolo     string `json:"articolo,omitempty"`
	Accertamento string `json:"accertamento,omitempty"`
	// Intermediary names the ente's further pagoPA intermediary (its id) that
	// issues this payment's positions; empty for the ente's own.
	Intermediary string `json:"intermediary,omitempty"`
	// Fee is how a spontaneous payment of this mode is priced; without it a
	// fixed AmountCents is charged, or the citizen states the amount within
	// the default bounds when AmountCents is 0.
	Fee *Fee `json:"fee,omitempty"`
}

// Fee prices a payment: fixed (AmountCents), per_unit (UnitCents × quantity,
// e.g. per square metre), bands (the band's cents × quantity, e.g. a meal by
// ISEE band) or free (the citizen states it within MinCents..MaxCents).
type Fee struct {
	Kind        string    `json:"kind"`
	UnitCents   int64     `json:"unitCents,omitempty"`
	Unit        Text      `json:"unit,omitempty"`
	MaxQuantity int64     `json:"maxQuantity,omitempty"`
	Bands       []FeeBand `json:"bands,omitempty"`
	MinCents    int64     `json:"minCents,omitempty"`
	MaxCents    int64     `json:"maxCents,omitempty"`
}

// FeeBand is one band of a banded fee.
type FeeBand struct {
	Code  string `json:"code"`
	Label Text   `json:"label"`
	Cents int64  `json:"cents"`
}

// AppIO is the publication of a service on App IO.
type AppIO struct {
	ServiceID string `json:"serviceId,omitempty"`
	// KeyRef names the secret holding the service's API key; never the key itself.
	KeyRef  string `json:"keyRef,omitempty"`
	Enabled bool   `json:"enabled"`
}

// TemplateRef is the template a service runs; the modeller sets version and hash on publishing.
type TemplateRef struct {
	ID      string `json:"id"`
	Version int    `json:"version,omitempty"`
	Hash    string `json:"hash,omitempty"`
}

// ServiceSpec is the definition of a service. A service type holds it whole; an
// ente's service holds only the fields it overrides.
type ServiceSpec struct {
	Name          *Text         `json:"name,omitempty"`
	Description   *Text         `json:"description,omitempty"`
	Channels      []string      `json:"channels,omitempty"`
	Interactivity string        `json:"interactivity,omitempty"`
	Availability  *Availability `json:"availability,omitempty"`
	Taxonomy      []string      `json:"taxonomy,omitempty"`
	Contacts      []Contact     `json:"contacts,omitempty"`
	Payments      []Payment     `json:"payments,omitempty"`
	AppIO         *AppIO        `json:"appIO,omitempty"`
	Procedimento  string        `json:"procedimento,omitempty"`
	Template      *TemplateRef  `json:"template,omitempty"`
	Info          *Text         `json:"info,omitempty"`
}
