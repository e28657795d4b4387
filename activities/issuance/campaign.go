package issuance

import (
	"time"

	"github.com/sportello/sportello/activities/pagopa"
)

// Status is where a campaign is in its life.
type Status string

// Campaign states: a draft takes rolls and shows its dry run; confirming
// starts issuing; issuing may pause and resume; it ends done or cancelled.
const (
	Draft     Status = "draft"
	Issuing   Status = "issuing"
	Paused    Status = "paused"
	Done      Status = "done"
	Cancelled Status = "cancelled"
)

// RowStatus is where a row of the roll is.
type RowStatus string

// Row states: pending until its position is issued (stored and sent to GPD),
// or failed with the reason GPD or the store gave.
const (
	RowPending RowStatus = "pending"
	RowIssued  RowStatus = "issued"
	RowFailed  RowStatus = "failed"
)

// Campaign is one bollettazione: a plan, the creditor it issues for, and the
// roll uploaded into it.
type Campaign struct {
	ID            string          `json:"id"`
	Ente          string          `json:"ente"`
	OrgFiscalCode string          `json:"orgFiscalCode"`
	Plan          Plan            `json:"plan"`
	Creditor      pagopa.Creditor `json:"creditor"`
	Status        Status          `json:"status"`
	Rows          int             `json:"rows"`
	Refused       int             `json:"refused"`
	CreatedBy     string          `json:"createdBy"`
	CreatedAt     time.Time       `json:"createdAt"`
	UpdatedAt     time.Time       `json:"updatedAt"`
	ConfirmedAt   *time.Time      `json:"confirmedAt,omitempty"`
	FinishedAt    *time.Time      `json:"finishedAt,omitempty"`
	Progress      *Progress       `json:"progress,omitempty"`
	// rate is the last chunk's pace in rows per second.
	rate float64
}

// Progress is how far issuing has gone: rows by state, the pace of the last
// chunk and the time left at that pace.
type Progress struct {
	Total      int     `json:"total"`
	Pending    int     `json:"pending"`
	Issued     int     `json:"issued"`
	Failed     int     `json:"failed"`
	Refused    int     `json:"refused"`
	Percent    float64 `json:"percent"`
	RatePerSec float64 `json:"ratePerSec"`
	ETASeconds int     `json:"etaSeconds"`
}

// Bucket is one line of a dry run's totals.
type Bucket struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Due    string `json:"due,omitempty"`
	Rows   int    `json:"rows"`
	Amount int64  `json:"amount"` // cents
}

// DryRun is what confirming would issue: totals per option (single payment,
// each installment), per beneficiary and per accounting line, and the rows
// refused with their line and field.
type DryRun struct {
	Rows            int        `json:"rows"`
	Refused         int        `json:"refused"`
	Total           int64      `json:"total"` // cents, what the debtors owe
	Options         []Bucket   `json:"options"`
	Beneficiaries   []Bucket   `json:"beneficiaries"`
	AccountingLines []Bucket   `json:"accountingLines"`
	RefusedRows     []RowError `json:"refusedRows"`
	// NotOnIO counts the debtors without an App IO profile or with the
	// plan's IO service disabled, when the check is cheap (a small roll);
	// absent otherwise: the campaign's App IO view counts them as it sends.
	NotOnIO *int `json:"notOnIo,omitempty"`
}

// MaxRefusedShown bounds the refused rows a dry run carries; the errors list
// pages through all of them.
const MaxRefusedShown = 1000
