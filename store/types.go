package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// List is a list stored as a JSON array in a text column; nil is stored as "[]".
type List[T any] []T

// Value stores the list as JSON text.
func (l List[T]) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]T(l))
	return string(b), err
}

// Scan reads the JSON text; NULL reads as nil.
func (l *List[T]) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case string:
		b = []byte(x)
	case []byte:
		b = x
	case nil:
		*l = nil
		return nil
	default:
		return fmt.Errorf("%T: cannot scan %T", *l, v)
	}
	return json.Unmarshal(b, (*[]T)(l))
}
