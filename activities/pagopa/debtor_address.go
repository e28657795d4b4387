package pagopa

import (
	"fmt"
	"strings"

	"github.com/sportello/sportello/errs"
)

// validateAddress checks the debtor's postal address when there is one: an
// Italian address (no country, or IT) has a 5-digit CAP and a 2-letter
// province; street and city come together with the CAP, since a notice goes
// by post only with all three.
func (d Debtor) validateAddress() []errs.FieldError {
	var fe []errs.FieldError
	add := func(field, format string, args ...any) {
		fe = append(fe, errs.FieldError{Field: "debtor." + field, Message: fmt.Sprintf(format, args...)})
	}
	if d.StreetName == "" && d.CivicNumber == "" && d.PostalCode == "" && d.City == "" && d.Province == "" && d.Country == "" {
		return nil
	}
	for _, f := range []struct{ name, v string }{{"streetName", d.StreetName}, {"postalCode", d.PostalCode}, {"city", d.City}} {
		if strings.TrimSpace(f.v) == "" {
			add(f.name, "is required with a postal address")
		}
	}
	if len(d.StreetName) > 70 {
		add("streetName", "must be at most 70 characters")
	}
	if len(d.CivicNumber) > 16 {
		add("civicNumber", "must be at most 16 characters")
	}
	if len(d.City) > 35 {
		add("city", "must be at most 35 characters")
	}
	if d.Country == "" || d.Country == "IT" {
		if d.PostalCode != "" && !allDigits(d.PostalCode, 5) {
			add("postalCode", "must be 5 digits (CAP)")
		}
		if d.Province != "" && !(len(d.Province) == 2 && strings.ToUpper(d.Province) == d.Province && strings.Trim(d.Province, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "") {
			add("province", "must be a 2-letter code such as TS")
		}
	} else if len(d.Country) != 2 || strings.ToUpper(d.Country) != d.Country {
		add("country", "must be an ISO 3166 two-letter code such as SI")
	}
	return fe
}

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
