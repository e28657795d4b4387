package pratica

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/sportello/sportello/store"
)

// Value stores the document as text.
func (j JSON) Value() (driver.Value, error) {
	if len(j) == 0 {
		return "{}", nil
	}
	return string(j), nil
}

// Scan reads text or bytes.
func (j *JSON) Scan(v any) error {
	switch x := v.(type) {
	case string:
		*j = JSON(x)
	case []byte:
		*j = append(JSON(nil), x...)
	case nil:
		*j = nil
	default:
		return fmt.Errorf("pratica.JSON: cannot scan %T", v)
	}
	return nil
}

// MarshalJSON writes the document as is.
func (j JSON) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return j, nil
}

// UnmarshalJSON keeps the document as is.
func (j *JSON) UnmarshalJSON(b []byte) error {
	*j = append((*j)[:0], b...)
	return nil
}

// Strings is a list of strings stored as a JSON array.
type Strings = store.List[string]

// MustJSON encodes v, for values that always encode.
func MustJSON(v any) JSON {
	if v == nil {
		return JSON("{}")
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return JSON(b)
}
