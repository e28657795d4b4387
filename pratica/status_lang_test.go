package pratica

import "testing"

// TestStatusLabelSlovenian checks that every status has its own label in each
// of the portal's languages, so a Slovenian page never shows an Italian status.
func TestStatusLabelSlovenian(t *testing.T) {
	tests := []struct {
		status Status
		lang   string
		want   string
	}{
		{Completed, "sl", "Zaključena"},
		{Completed, "it", "Conclusa"},
		{Completed, "en", "Completed"},
		{PaymentPending, "sl", "Čaka na plačilo"},
		{IntegrationRequested, "sl", "Zahtevana dopolnitev"},
		{Completed, "de", "Conclusa"}, // any other language: Italian
	}
	for _, tc := range tests {
		if got := tc.status.Label(tc.lang); got != tc.want {
			t.Errorf("%s.Label(%q) = %q, want %q", tc.status, tc.lang, got, tc.want)
		}
	}
	for s := range codes {
		it, sl := s.Label("it"), s.Label("sl")
		if sl == "" || sl == it || sl == s.Label("en") {
			t.Errorf("%s: Slovenian label %q is missing or not translated", s, sl)
		}
	}
}
