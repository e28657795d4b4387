// Package pagopa issues and tracks pagoPA payments: IUV and notice numbers by
// AgID's rules, debt positions modelled on the GPD API, receipts (paSendRT and
// the JSON receipt), payment notices and the Temporal activities of the payment step.
package pagopa

import (
	"fmt"
	"strconv"

	"github.com/sportello/sportello/errs"
)

// Creditor is the ente a position is owed to, with its pagoPA configuration.
// The workflow fills it from the catalog.
type Creditor struct {
	Ente            string `json:"ente"`                      // IPA code, e.g. c_l424
	FiscalCode      string `json:"fiscalCode"`                // 11 digits
	Name            string `json:"name"`                      // companyName on the notice
	Office          string `json:"office,omitempty"`          // officeName
	AuxDigit        int    `json:"auxDigit"`                  // 0..3
	ApplicationCode string `json:"applicationCode,omitempty"` // 2 digits, aux digit 0
	SegregationCode string `json:"segregationCode,omitempty"` // 2 digits, aux digit 3
	IBAN            string `json:"iban"`
	PostalIBAN      string `json:"postalIban,omitempty"`
	CBILL           string `json:"cbill,omitempty"`
}

// IUVScheme is what shapes an ente's IUVs: the aux digit and its two-digit code.
type IUVScheme struct {
	AuxDigit int
	// Code is the application code (aux digit 0) or the segregation code (aux digit 3).
	Code string
}

// Scheme returns the IUV scheme of c.
func (c Creditor) Scheme() IUVScheme {
	switch c.AuxDigit {
	case 0:
		return IUVScheme{AuxDigit: 0, Code: c.ApplicationCode}
	case 3:
		return IUVScheme{AuxDigit: 3, Code: c.SegregationCode}
	}
	return IUVScheme{AuxDigit: c.AuxDigit}
}

// Validate checks the scheme; field names the creditor in error messages.
func (s IUVScheme) Validate(field string) error {
	switch s.AuxDigit {
	case 0:
		if !digits(s.Code, 2) {
			return errs.Field(field+".applicationCode", "must be 2 digits with aux digit 0")
		}
	case 3:
		if !digits(s.Code, 2) {
			return errs.Field(field+".segregationCode", "must be 2 digits with aux digit 3")
		}
	case 1, 2:
		if s.Code != "" {
			return errs.Field(field+".auxDigit", "aux digit %d takes no application or segregation code", s.AuxDigit)
		}
	default:
		return errs.Field(field+".auxDigit", "must be 0, 1, 2 or 3")
	}
	return nil
}

// prefix is the key of the ente's IUV sequence for this scheme.
func (s IUVScheme) prefix() string { return strconv.Itoa(s.AuxDigit) + s.Code }

// MaxSeq is the largest sequence number the scheme can hold.
func (s IUVScheme) MaxSeq() int64 {
	switch s.AuxDigit {
	case 1:
		return 99_999_999_999_999_999 // 17 digits, no check digits
	case 2:
		return 999_999_999_999_999 // 15-digit base + 2 check digits
	}
	return 9_999_999_999_999 // 13-digit base after the 2-digit code
}

// Notice is a generated identifier pair: the IUV and the 18-digit notice number.
type Notice struct {
	IUV          string `json:"iuv"`
	NoticeNumber string `json:"noticeNumber"`
}

// CheckDigits returns the two check digits AgID defines: the remainder modulo 93
// of the aux digit, the application or segregation code and the IUV base.
func CheckDigits(auxDigit int, code, base string) string {
	var r uint64
	for _, ch := range strconv.Itoa(auxDigit) + code + base {
		r = (r*10 + uint64(ch-'0')) % 93
	}
	return fmt.Sprintf("%02d", r)
}

// Build turns the n-th sequence number of the scheme into an IUV and notice number.
func (s IUVScheme) Build(n int64) (Notice, error) {
	if n < 0 || n > s.MaxSeq() {
		return Notice{}, errs.E(errs.Conflict, "IUV sequence %d is out of range for aux digit %d", n, s.AuxDigit)
	}
	switch s.AuxDigit {
	case 1:
		iuv := fmt.Sprintf("%017d", n)
		return Notice{IUV: iuv, NoticeNumber: "1" + iuv}, nil
	case 2:
		base := fmt.Sprintf("%015d", n)
		iuv := base + CheckDigits(2, "", base)
		return Notice{IUV: iuv, NoticeNumber: "2" + iuv}, nil
	case 0, 3:
		base := fmt.Sprintf("%013d", n)
		iuv := base + CheckDigits(s.AuxDigit, s.Code, base)
		if s.AuxDigit == 0 {
			return Notice{IUV: iuv, NoticeNumber: "0" + s.Code + iuv}, nil
		}
		iuv = s.Code + iuv
		return Notice{IUV: iuv, NoticeNumber: "3" + iuv}, nil
	}
	return Notice{}, errs.Field("auxDigit", "must be 0, 1, 2 or 3")
}

// ParseNotice strictly parses a notice number we generated: shape, aux digit,
// the scheme's code and the check digits. It returns the IUV.
func ParseNotice(s IUVScheme, number string) (string, error) {
	const f = "noticeNumber"
	if err := CheckNoticePattern(number); err != nil {
		return "", err
	}
	if int(number[0]-'0') != s.AuxDigit {
		return "", errs.Field(f, "aux digit is %c, the ente uses %d", number[0], s.AuxDigit)
	}
	switch s.AuxDigit {
	case 1:
		return number[1:], nil
	case 0:
		if number[1:3] != s.Code {
			return "", errs.Field(f, "application code is %s, the ente uses %s", number[1:3], s.Code)
		}
		iuv := number[3:]
		if CheckDigits(0, s.Code, iuv[:13]) != iuv[13:] {
			return "", errs.Field(f, "check digits are wrong")
		}
		return iuv, nil
	case 2:
		iuv := number[1:]
		if CheckDigits(2, "", iuv[:15]) != iuv[15:] {
			return "", errs.Field(f, "check digits are wrong")
		}
		return iuv, nil
	case 3:
		iuv := number[1:]
		if iuv[:2] != s.Code {
			return "", errs.Field(f, "segregation code is %s, the ente uses %s", iuv[:2], s.Code)
		}
		if CheckDigits(3, s.Code, iuv[2:15]) != iuv[15:] {
			return "", errs.Field(f, "check digits are wrong")
		}
		return iuv, nil
	}
	return "", errs.Field(f, "aux digit must be 0, 1, 2 or 3")
}

// CheckNoticePattern checks only the shape of a notice number we receive
// (18 digits, aux digit 0-3), as the pagoPA node does: another intermediary's
// check digits are its business.
func CheckNoticePattern(number string) error {
	if !digits(number, 18) {
		return errs.Field("noticeNumber", "must be 18 digits")
	}
	if number[0] > '3' {
		return errs.Field("noticeNumber", "aux digit must be 0, 1, 2 or 3")
	}
	return nil
}

// IUVOf returns the IUV inside a received notice number, by pattern only.
func IUVOf(number string) string {
	if len(number) != 18 {
		return ""
	}
	if number[0] == '0' {
		return number[3:]
	}
	return number[1:]
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
