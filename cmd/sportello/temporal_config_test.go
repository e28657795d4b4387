package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestTemporalSettings: a bad SPORTELLO_TEMPORAL_DB or a wildcard address for
// `sportello temporal` stops the program with one line naming the setting,
// and the database password is never echoed.
func TestTemporalSettings(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"not postgres", []string{"temporal"}, map[string]string{"SPORTELLO_TEMPORAL_DB": "mysql://u:s3cret@db:3306/temporal"}, "SPORTELLO_TEMPORAL_DB"},
		{"no host", []string{"temporal"}, map[string]string{"SPORTELLO_TEMPORAL_DB": "postgres://u:s3cret@/temporal"}, "host is missing"},
		{"not a URL", []string{"dev"}, map[string]string{"SPORTELLO_TEMPORAL_DB": "postgres://u:s3cret@db:5432/%zz"}, "SPORTELLO_TEMPORAL_DB"},
		{"wildcard address", []string{"temporal", "--temporal-address", "0.0.0.0:7233"}, nil, "SPORTELLO_TEMPORAL_ADDRESS"},
		{"no port", []string{"temporal", "--temporal-address", "10.0.0.5:0"}, nil, "give a port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, env(tc.env), &stdout, &stderr)
			got := stderr.String()
			if code == 0 || !strings.Contains(got, tc.want) || strings.Count(strings.TrimSpace(got), "\n") > 0 {
				t.Errorf("exit %d, stderr %q; want one line naming %q", code, got, tc.want)
			}
			if strings.Contains(got, "s3cret") {
				t.Errorf("the password leaked: %q", got)
			}
		})
	}
}
