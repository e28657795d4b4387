// Package errs is the one error type of Sportello: a code that maps to an HTTP
// status, and a user-safe message that names the field at fault.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for callers and for the HTTP layer.
type Code string

// The codes, from the most to the least common at the edge.
const (
	Invalid   Code = "invalid"
	NotFound  Code = "not_found"
	Conflict  Code = "conflict"
	Forbidden Code = "forbidden"
	Unauth    Code = "unauthenticated"
	TooMany   Code = "too_many_requests"
	Internal  Code = "internal"
)

// FieldError is one problem with one field, the field as a dotted path or a JSON pointer.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error safe to show to users: Message never carries SQL or stack traces.
type Error struct {
	Code    Code         `json:"code"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
	// Reason is a machine-readable detail, e.g. the authorization rule that denied.
	Reason string `json:"reason,omitempty"`
	// Allowed lists what is allowed now, e.g. the actions of a pratica on a conflict.
	Allowed []string `json:"allowed,omitempty"`
	// Err is the cause, kept for logs and errors.Is; never shown.
	Err error `json:"-"`
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	b.WriteString(": ")
	b.WriteString(e.Message)
	for i, f := range e.Fields {
		if i == 0 && len(e.Fields) == 1 && strings.HasPrefix(e.Message, f.Field) {
			break
		}
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error with a formatted message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Field builds an invalid error for one field: "field: message".
func Field(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: Invalid, Message: field + ": " + msg, Fields: []FieldError{{Field: field, Message: msg}}}
}

// Fields builds an invalid error listing every problem at once; nil when there are none.
func Fields(fields []FieldError) error {
	if len(fields) == 0 {
		return nil
	}
	msg := fields[0].Field + ": " + fields[0].Message
	if len(fields) > 1 {
		msg = fmt.Sprintf("%s (and %d more)", msg, len(fields)-1)
	}
	return &Error{Code: Invalid, Message: msg, Fields: fields}
}

// Wrap marks err as internal unless it already carries a code.
func Wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// CodeOf returns the code of the first *Error in err's chain, Internal otherwise.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
