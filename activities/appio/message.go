// Package appio speaks the IO services API (specs/appio/index.yaml): the
// profile check, messages with payment data, a local simulator of the same API,
// and the Temporal activities that send messages idempotently per (pratica, step).
package appio

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sportello/sportello/errs"
)

// Limits of the IO API on a message's content.
const (
	SubjectMin  = 10
	SubjectMax  = 120
	MarkdownMin = 80
	MarkdownMax = 10000
	MaxAmount   = 9999999999
)

// NewMessage is the body of submitMessageforUserWithFiscalCodeInBody.
type NewMessage struct {
	TimeToLive int     `json:"time_to_live,omitempty"`
	Content    Content `json:"content"`
	FiscalCode string  `json:"fiscal_code"`
}

// Content is what the citizen reads: subject, markdown body, due date, payment data.
type Content struct {
	Subject     string       `json:"subject"`
	Markdown    string       `json:"markdown"`
	DueDate     *time.Time   `json:"due_date,omitempty"`
	PaymentData *PaymentData `json:"payment_data,omitempty"`
}

// PaymentData lets the citizen pay from the message; Amount in euro cents.
type PaymentData struct {
	Amount              int64  `json:"amount"`
	NoticeNumber        string `json:"notice_number"`
	InvalidAfterDueDate bool   `json:"invalid_after_due_date,omitempty"`
	Payee               *Payee `json:"payee,omitempty"`
}

// Payee is the ente that collects the payment, by its 11-digit fiscal code.
type Payee struct {
	FiscalCode string `json:"fiscal_code"`
}

// Profile is the LimitedProfile of a citizen as seen by one IO service.
type Profile struct {
	SenderAllowed      bool     `json:"sender_allowed"`
	PreferredLanguages []string `json:"preferred_languages,omitempty"`
}

// CreatedMessage answers a submitted message.
type CreatedMessage struct {
	ID string `json:"id"`
}

// Problem is the ProblemJson body of an IO error.
type Problem struct {
	Type   string `json:"type,omitempty"`
	Title  string `json:"title,omitempty"`
	Status int    `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`
}

var (
	noticeRe = regexp.MustCompile(`^[0123][0-9]{17}$`)
	orgCFRe  = regexp.MustCompile(`^[0-9]{11}$`)
)

// Validate checks the message against the limits of the IO API, every problem
// at once, fields named by their JSON path.
func (m *NewMessage) Validate() error {
	var fe []errs.FieldError
	add := func(f, msg string) { fe = append(fe, errs.FieldError{Field: f, Message: msg}) }
	if err := CheckFiscalCode(m.FiscalCode); err != nil {
		add("fiscal_code", err.Error())
	}
	if m.TimeToLive != 0 && (m.TimeToLive < 3600 || m.TimeToLive > 604800) {
		add("time_to_live", "must be between 3600 and 604800 seconds")
	}
	c := m.Content
	if n := utf8.RuneCountInString(c.Subject); n < SubjectMin || n > SubjectMax {
		add("content.subject", "must be 10 to 120 characters")
	}
	if n := utf8.RuneCountInString(c.Markdown); n < MarkdownMin || n > MarkdownMax {
		add("content.markdown", "must be 80 to 10000 characters")
	}
	if p := c.PaymentData; p != nil {
		if p.Amount < 1 || p.Amount > MaxAmount {
			add("content.payment_data.amount", "must be 1 to 9999999999 euro cents")
		}
		if !noticeRe.MatchString(p.NoticeNumber) {
			add("content.payment_data.notice_number", "must be 18 digits starting with 0, 1, 2 or 3")
		}
		if p.Payee != nil && !orgCFRe.MatchString(p.Payee.FiscalCode) {
			add("content.payment_data.payee.fiscal_code", "must be the 11-digit fiscal code of the ente")
		}
		if p.InvalidAfterDueDate && c.DueDate == nil {
			add("content.due_date", "is required when payment_data.invalid_after_due_date is true")
		}
	}
	return errs.Fields(fe)
}

var fiscalCodeRe = regexp.MustCompile(`^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$`)

// oddValues weighs a character in an odd (1-based) position of a codice fiscale.
var oddValues = [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// CheckFiscalCode checks a person's codice fiscale: the pattern of the IO API and
// the check character (D.M. 23/12/1976).
func CheckFiscalCode(cf string) error {
	if !fiscalCodeRe.MatchString(cf) {
		return errs.E(errs.Invalid, "must be a 16-character codice fiscale in capitals")
	}
	sum := 0
	for i := 0; i < 15; i++ {
		ch := cf[i]
		v := int(ch - 'A')
		if ch >= '0' && ch <= '9' {
			v = int(ch - '0')
		}
		if i%2 == 0 {
			sum += oddValues[v]
		} else {
			sum += v
		}
	}
	if want := byte('A' + sum%26); cf[15] != want {
		return errs.E(errs.Invalid, "check character is wrong")
	}
	return nil
}

// MaskFiscalCode hides most of a codice fiscale for logs: personal data stays out of them.
func MaskFiscalCode(cf string) string {
	if len(cf) < 6 {
		return strings.Repeat("*", len(cf))
	}
	return cf[:3] + strings.Repeat("*", len(cf)-5) + cf[len(cf)-2:]
}
