package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRegionalAdminsSetting(t *testing.T) {
	cfg, err := parseConfig("server", nil, env(map[string]string{"SPORTELLO_REGIONAL_ADMINS": " tinit-bncgli85c55l424k, ES-12345678Z ,"}))
	if err != nil {
		t.Fatal(err)
	}
	got, err := regionalAdmins(cfg.RegionalAdmins)
	if diff := cmp.Diff([]string{"BNCGLI85C55L424K", "ES-12345678Z"}, got); err != nil || diff != "" {
		t.Fatalf("%v (-want +got):\n%s", err, diff)
	}
	for _, bad := range []string{"BNCGLI85C55L424X", "admin.regione", "US-1234"} {
		_, err := parseConfig("server", nil, env(map[string]string{"SPORTELLO_REGIONAL_ADMINS": bad}))
		if err == nil || !strings.Contains(err.Error(), "SPORTELLO_REGIONAL_ADMINS") {
			t.Errorf("%q: err = %v, want it to name SPORTELLO_REGIONAL_ADMINS", bad, err)
		}
	}
}
