package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sportello/sportello/store"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "sub", "state.json")
	for _, content := range []string{`{"v":1}`, `{"v":2}`} {
		if err := store.WriteFileAtomic(name, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil || string(got) != content {
			t.Fatalf("content = %q, %v; want %q", got, err, content)
		}
	}
	fi, err := os.Stat(name)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, %v", fi.Mode(), err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "sub", ".*.tmp"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}
