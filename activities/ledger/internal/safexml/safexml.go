// Package safexml decodes XML from outside systems defensively: bounded size,
// no DOCTYPE (so no entity declarations, no expansion, no external entities),
// UTF-8 only.
package safexml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrTooLarge is returned when the document exceeds the bound.
var ErrTooLarge = errors.New("document is too large")

// Read reads at most max bytes of r; a longer document is refused, not truncated.
func Read(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return data, nil
}

// Check scans the whole document once: it must be well-formed, declare no
// DOCTYPE and use no entity other than XML's five predefined ones.
func Check(data []byte) error {
	d := newDecoder(data)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("malformed XML: %w", err)
		}
		if dir, ok := tok.(xml.Directive); ok {
			kw := strings.ToUpper(strings.TrimSpace(string(dir)))
			if strings.HasPrefix(kw, "DOCTYPE") || strings.HasPrefix(kw, "ENTITY") {
				return errors.New("DOCTYPE and entity declarations are not accepted")
			}
			return errors.New("XML directives are not accepted")
		}
	}
}

// Decode checks data and unmarshals it into v.
func Decode(data []byte, v any) error {
	if err := Check(data); err != nil {
		return err
	}
	if err := newDecoder(data).Decode(v); err != nil {
		return fmt.Errorf("malformed XML: %w", err)
	}
	return nil
}

func newDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	d.Strict = true
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii":
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q is not accepted: UTF-8 only", label)
	}
	return d
}
