package store_test

import (
	"slices"
	"testing"

	"github.com/sportello/sportello/store"
)

func TestList(t *testing.T) {
	tests := []struct {
		name string
		in   store.List[string]
		text string
	}{
		{"nil", nil, "[]"},
		{"empty", store.List[string]{}, "[]"},
		{"two", store.List[string]{"a", "b"}, `["a","b"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.in.Value()
			if err != nil || v != tt.text {
				t.Fatalf("Value() = %v, %v; want %q", v, err, tt.text)
			}
			for _, src := range []any{tt.text, []byte(tt.text)} {
				var got store.List[string]
				if err := got.Scan(src); err != nil {
					t.Fatalf("Scan(%T): %v", src, err)
				}
				if got == nil || !slices.Equal(got, tt.in) {
					t.Errorf("Scan(%T) = %v, want %v", src, got, tt.in)
				}
			}
		})
	}
	var got store.List[string]
	if err := got.Scan(nil); err != nil || got != nil {
		t.Errorf("Scan(nil) = %v, %v; want nil", got, err)
	}
	if err := got.Scan(42); err == nil {
		t.Error("Scan(42) = nil, want an error")
	}
}
