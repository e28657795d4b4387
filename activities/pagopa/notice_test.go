package pagopa

import (
	"bytes"
	"compress/zlib"
	"image"
	"io"
	"regexp"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

func issued(p *Position) *Position {
	for i := range p.Options {
		nt, _ := demoCreditor.Scheme().Build(int64(i + 1))
		p.Options[i].IUV, p.Options[i].NoticeNumber = nt.IUV, nt.NoticeNumber
	}
	return p
}

// TestNoticeQRCodes renders a notice with installments, pulls every image out
// of the PDF and decodes it as a QR code: one per option, with the pagoPA payload.
func TestNoticeQRCodes(t *testing.T) {
	p := issued(installmentPosition("TARI-QR"))
	for _, lang := range NoticeLanguages {
		t.Run(lang, func(t *testing.T) {
			pdf, err := RenderNotice(p, lang)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, img := range pdfImages(t, pdf) {
				bmp, err := gozxing.NewBinaryBitmapFromImage(img)
				if err != nil {
					t.Fatal(err)
				}
				res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
				if err != nil {
					t.Fatalf("decode QR: %v", err)
				}
				got = append(got, res.GetText())
			}
			want := []string{
				"PAGOPA|002|347000000000000124|00210240321|3000",
				"PAGOPA|002|347000000000000225|00210240321|1500",
				"PAGOPA|002|347000000000000326|00210240321|1500",
			}
			// fpdf writes image objects in map order: compare as sets.
			if diff := cmp.Diff(want, got, sortStrings); diff != "" {
				t.Errorf("QR payloads (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNoticeBadLanguage(t *testing.T) {
	if _, err := RenderNotice(issued(demoPosition("X")), "de"); err == nil || err.Error() != "invalid: lang: must be one of it, en, sl" {
		t.Fatalf("err = %v", err)
	}
}

func TestEuro(t *testing.T) {
	for cents, want := range map[int64]string{5: "0,05", 1600: "16,00", 123456789: "1.234.567,89"} {
		if got := euro(cents); got != want {
			t.Errorf("euro(%d) = %s, want %s", cents, got, want)
		}
	}
}

var imageHeader = regexp.MustCompile(`/Subtype /Image\s*/Width (\d+)\s*/Height (\d+)\s*/ColorSpace /DeviceGray\s*/BitsPerComponent 8\s*/Filter /FlateDecode[^>]*>>[^>]*/Length (\d+)\s*>>\s*stream\n`)

// pdfImages extracts the 8-bit grayscale PNG-predicted images fpdf embeds.
func pdfImages(t *testing.T, pdf []byte) []image.Image {
	t.Helper()
	var out []image.Image
	for _, m := range imageHeader.FindAllSubmatchIndex(pdf, -1) {
		w, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		h, _ := strconv.Atoi(string(pdf[m[4]:m[5]]))
		n, _ := strconv.Atoi(string(pdf[m[6]:m[7]]))
		zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+n]))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, unpredict(t, raw, w, h))
	}
	if len(out) == 0 {
		t.Fatal("no image in the PDF")
	}
	return out
}

// unpredict reverses the PNG row filters (PDF predictor 15) of a 1-byte-per-pixel image.
func unpredict(t *testing.T, raw []byte, w, h int) image.Image {
	t.Helper()
	if len(raw) != (w+1)*h {
		t.Fatalf("image data is %d bytes, want %d", len(raw), (w+1)*h)
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	prev := make([]byte, w)
	for y := 0; y < h; y++ {
		f, row := raw[y*(w+1)], raw[y*(w+1)+1:(y+1)*(w+1)]
		cur := img.Pix[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			var a, c int
			if x > 0 {
				a, c = int(cur[x-1]), int(prev[x-1])
			}
			b := int(prev[x])
			var p int
			switch f {
			case 1:
				p = a
			case 2:
				p = b
			case 3:
				p = (a + b) / 2
			case 4:
				pa, pb, pc := abs(b-c), abs(a-c), abs(a+b-2*c)
				switch {
				case pa <= pb && pa <= pc:
					p = a
				case pb <= pc:
					p = b
				default:
					p = c
				}
			}
			cur[x] = byte(int(row[x]) + p)
		}
		copy(prev, cur)
	}
	return img
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestNoticeFontChoice(t *testing.T) {
	tests := []struct {
		lang, name string
		embedded   bool
	}{
		{"it", "Mario Rossi", false},
		{"en", "Mario Rossi", false},
		{"it", "Marko Čok", true}, // a Slovenian surname of Trieste: not in Windows-1252
		{"sl", "Mario Rossi", true},
	}
	for _, tt := range tests {
		p := issued(demoPosition("F-1"))
		p.Debtor.FullName = tt.name
		pdf, err := RenderNotice(p, tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(pdf, []byte("/BaseFont /utf8dejavu")); got != tt.embedded {
			t.Errorf("%s %s: embedded font %v, want %v", tt.lang, tt.name, got, tt.embedded)
		}
	}
}
