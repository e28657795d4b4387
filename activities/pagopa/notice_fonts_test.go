package pagopa

import (
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
