package perf

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Report is one run of the table, as written to JSON.
type Report struct {
	At      time.Time `json:"at"`
	Host    string    `json:"host"`
	CPUs    int       `json:"cpus"`
	Scale   float64   `json:"scale"`
	Seconds float64   `json:"seconds"`
	// LoadBefore and LoadAfter are the machine's one-minute load averages
	// (/proc/loadavg) around the run: figures taken on a busy machine say so.
	LoadBefore float64 `json:"loadBefore,omitempty"`
	LoadAfter  float64 `json:"loadAfter,omitempty"`
	Rows       []Row   `json:"rows"`
}

// LoadAverage is the one-minute load average of the machine, 0 where unknown.
func LoadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	var v float64
	if _, err := fmt.Sscan(string(data), &v); err != nil {
		return 0
	}
	return v
}

// Save writes the report as indented JSON to path, creating its folder.
func (r *Report) Save(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("save report: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("save report: %w", err)
	}
	return nil
}

// Load reads a report written by Save; a missing file is (nil, nil).
func Load(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load report: %w", err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("load report %s: %w", path, err)
	}
	return &r, nil
}

// Row returns the row called name, if the report has it.
func (r *Report) Row(name string) (Row, bool) {
	if r == nil {
		return Row{}, false
	}
	for _, x := range r.Rows {
		if x.Name == name {
			return x, true
		}
	}
	return Row{}, false
}
