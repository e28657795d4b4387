package bench

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRecordingNeverOverwrites: a new recording refuses a file that exists, so
// the kept histories (pratica-v1.json ...) cannot be re-recorded by mistake.
func TestRecordingNeverOverwrites(t *testing.T) {
	kept := filepath.Join(testdata, historyName("pratica", "v1"))
	before, err := os.ReadFile(kept)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := newHistoryFile(testdata, historyName("pratica", "v1")); err == nil {
		f.Close()
		t.Fatal("a recording may overwrite pratica-v1.json")
	}
	if after, _ := os.ReadFile(kept); string(after) != string(before) {
		t.Fatal("pratica-v1.json changed")
	}
	dir := t.TempDir()
	f, err := newHistoryFile(dir, historyName("pratica", "v2"))
	if err != nil {
		t.Fatalf("a new version: %v", err)
	}
	f.Close()
}
