package pagopa

import (
	"bytes"
	"testing"

	"github.com/go-pdf/fpdf"
)

// TestLatinFonts: the cut-down fonts have every letter of the region's names
// and of the notice texts, with the whole font's widths, and texts outside
// their ranges go to the whole font.
func TestLatinFonts(t *testing.T) {
	width := func(file, s string) float64 {
		data, err := fonts.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("f", "", data)
		pdf.SetFont("f", "", 10)
		return pdf.GetStringWidth(s)
	}
	sample := "àèéìòùÀÈÉÌÒÙçčšžćđČŠŽĆĐäöüßÄÖÜñłőűęąŁ€–—‘’“”„…•°ªº«»"
	for _, style := range []string{"", "-Bold"} {
		for _, r := range sample {
			full, latin := width("fonts/DejaVuSansCondensed"+style+".ttf", string(r)), width("fonts/DejaVuSansCondensed"+style+"-Latin.ttf", string(r))
			if latin <= 0 || latin != full {
				t.Errorf("%q%s: width %.3f in the Latin font, %.3f in the whole font", r, style, latin, full)
			}
		}
	}
	for s, want := range map[string]bool{"Marko Čok": true, "Nicolò Zuccon – € 30": true, "Νίκος Παπαδόπουλος": false, "Иван": false} {
		if got := inLatinFonts(s); got != want {
			t.Errorf("inLatinFonts(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestNoticeEmbedsOnlyWhatItNeeds: an Italian notice to Marko Čok embeds the
// regular DejaVu for his name and keeps the core bold for the labels; a
// Slovenian one embeds both styles.
func TestNoticeEmbedsOnlyWhatItNeeds(t *testing.T) {
	p := issued(installmentPosition("F-2"))
	p.Debtor.FullName = "Marko Čok"
	for _, tt := range []struct {
		lang string
		want map[string]bool
	}{
		{"it", map[string]bool{"/BaseFont /utf8dejavu\n": true, "/BaseFont /utf8dejavuB": false, "/BaseFont /Helvetica-Bold": true}},
		{"sl", map[string]bool{"/BaseFont /utf8dejavu\n": true, "/BaseFont /utf8dejavuB": true, "/BaseFont /Helvetica": false}},
	} {
		pdf, err := RenderNotice(p, tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		for font, want := range tt.want {
			if got := bytes.Contains(pdf, []byte(font)); got != want {
				t.Errorf("%s: %q embedded %v, want %v", tt.lang, font, got, want)
			}
		}
	}
}
