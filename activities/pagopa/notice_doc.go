package pagopa

import (
	"embed"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/encoding/charmap"
)

//go:embed fonts/DejaVuSansCondensed.ttf fonts/DejaVuSansCondensed-Bold.ttf fonts/DejaVuSansCondensed-Latin.ttf fonts/DejaVuSansCondensed-Bold-Latin.ttf
var fonts embed.FS

// latinRanges are the code points of the -Latin fonts, DejaVu cut down to
// the Latin alphabets, punctuation and the euro sign by fonts/subset.sh:
// parsing and subsetting a 37 kB font instead of a 680 kB one is most of what
// an embedded-font notice costs. Other texts (Greek, Cyrillic ...) get the
// whole font.
var latinRanges = [][2]rune{{0x20, 0x7e}, {0xa0, 0x24f}, {0x2010, 0x2027}, {0x2030, 0x2030}, {0x2039, 0x203a}, {0x20ac, 0x20ac}, {0x2122, 0x2122}}

func inLatinFonts(texts ...string) bool {
	for _, s := range texts {
	next:
		for _, r := range s {
			for _, rg := range latinRanges {
				if r >= rg[0] && r <= rg[1] {
					continue next
				}
			}
			return false
		}
	}
	return true
}

// doc is a notice being written. Each style (regular, bold) is set in the
// core Helvetica when every text of that style fits in Windows-1252 (fast:
// nothing to embed), in the embedded DejaVu otherwise: an Italian notice to
// Marko Čok embeds only the regular DejaVu for its names, a Slovenian one
// both. Each embedded font costs a notice about as much as all the rest.
type doc struct {
	*fpdf.Fpdf
	core   map[string]bool // by style: "" regular, "B" bold
	suffix string          // "-Latin" for the cut-down fonts, "" for the whole ones
	added  map[string]bool
	family string
	tr     func(string) string
}

// cp1252Table maps the non-ASCII runes of Windows-1252 to their byte, as
// fpdf's own translator does; built once, because fpdf builds its table for
// every document (a third of a notice's time) and its translator reuses one
// buffer, so it cannot be shared by concurrent renders.
var cp1252Table = func() map[rune]byte {
	tr := fpdf.New("P", "mm", "A4", "").UnicodeTranslatorFromDescriptor("")
	m := map[rune]byte{}
	for b := 0x80; b <= 0xff; b++ {
		r := charmap.Windows1252.DecodeByte(byte(b))
		if out := tr(string(r)); len(out) == 1 && out[0] == byte(b) {
			m[r] = byte(b)
		}
	}
	return m
}()

// cp1252 translates UTF-8 to the core fonts' encoding, a dot for what it
// lacks (as fpdf does); safe for concurrent use.
func cp1252(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch b, ok := cp1252Table[r]; {
		case r < 0x80:
			out = append(out, byte(r))
		case ok:
			out = append(out, b)
		default:
			out = append(out, '.')
		}
	}
	return string(out)
}

func newDoc(p *Position, lang string, t map[string]string) (*doc, error) {
	// Position data (names, subject, address) is only ever set in regular.
	regular := noticeTextsFit[lang] && fitsCP1252(p.Creditor.Name, p.Creditor.Office, p.Debtor.FullName, p.Subject) &&
		fitsCP1252(p.Debtor.AddressLines()...) && optionsFit(p)
	d := &doc{Fpdf: fpdf.New("P", "mm", "A4", ""), core: map[string]bool{"": regular, "B": noticeTextsFit[lang]}, added: map[string]bool{}}
	if inLatinFonts(p.Creditor.Name, p.Creditor.Office, p.Debtor.FullName, p.Subject) && inLatinFonts(p.Debtor.AddressLines()...) &&
		inLatinFonts(optionTexts(p)...) && inLatinFonts(textsOf(t)...) {
		d.suffix = "-Latin"
	}
	return d, nil
}

func optionTexts(p *Position) []string {
	out := make([]string, len(p.Options))
	for i, o := range p.Options {
		out[i] = o.Description
	}
	return out
}

func textsOf(t map[string]string) []string {
	out := make([]string, 0, len(t))
	for _, v := range t {
		out = append(out, v)
	}
	return out
}

func optionsFit(p *Position) bool {
	for _, o := range p.Options {
		if !fitsCP1252(o.Description) {
			return false
		}
	}
	return true
}

// noticeTextsFit says, per language, whether the fixed texts fit in Windows-1252.
var noticeTextsFit = func() map[string]bool {
	m := map[string]bool{}
	for lang, t := range noticeTexts {
		m[lang] = true
		for _, v := range t {
			m[lang] = m[lang] && fitsCP1252(v)
		}
	}
	return m
}()

// font sets style and size, in the family chosen for the style, embedding
// the DejaVu of that style the first time it is needed.
func (d *doc) font(style string, size float64) {
	if d.core[style] {
		d.family, d.tr = "helvetica", cp1252
		d.SetFont(d.family, style, size)
		return
	}
	if !d.added[style] {
		file := "fonts/DejaVuSansCondensed"
		if style == "B" {
			file += "-Bold"
		}
		data, err := fonts.ReadFile(file + d.suffix + ".ttf")
		if err != nil {
			d.SetError(err)
			return
		}
		d.AddUTF8FontFromBytes("dejavu", style, data)
		d.added[style] = true
	}
	d.family, d.tr = "dejavu", func(s string) string { return s }
	d.SetFont(d.family, style, size)
}

func (d *doc) text(x, y float64, s string) { d.Text(x, y, d.tr(s)) }

func fitsCP1252(texts ...string) bool {
	for _, s := range texts {
		for _, r := range s {
			if r >= 0x80 {
				if _, ok := charmap.Windows1252.EncodeRune(r); !ok {
					return false
				}
			}
		}
	}
	return true
}
