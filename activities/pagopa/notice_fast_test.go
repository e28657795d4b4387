package pagopa

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"
)

var (
	pageStream = regexp.MustCompile(`<<(/Filter /FlateDecode )?/Length (\d+)>>\nstream\n`)
	fontRes    = regexp.MustCompile(`/(F[0-9a-f]+) (\d+) 0 R`)
	baseFont   = regexp.MustCompile(`/BaseFont /(\S+)`)
	setFont    = regexp.MustCompile(`^/(F[0-9a-f]+) [\d.]+ Tf`)
)

// pdfText returns, page by page, the text of every text-showing operator (Tj)
// of the page content streams fpdf writes, in drawing order, decoded to
// UTF-8 by the font it is set in: UTF-16 for the embedded UTF-8 fonts,
// Windows-1252 for the core ones.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	objs, _, _, err := pdfObjects(pdf)
	if err != nil {
		t.Fatal(err)
	}
	utf16Font := map[string]bool{}
	for _, o := range objs {
		for _, m := range fontRes.FindAllSubmatch(o, -1) {
			id, _ := strconv.Atoi(string(m[2]))
			if id < len(objs) {
				if bf := baseFont.FindSubmatch(objs[id]); bf != nil {
					utf16Font[string(m[1])] = strings.HasPrefix(string(bf[1]), "utf8")
				}
			}
		}
	}
	var out []string
	for _, m := range pageStream.FindAllSubmatchIndex(pdf, -1) {
		n, _ := strconv.Atoi(string(pdf[m[4]:m[5]]))
		data := pdf[m[1] : m[1]+n]
		if m[2] >= 0 {
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if data, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range showStrings(data) {
			if s.font == "" {
				t.Fatalf("text %q before any font", s.text)
			}
			out = append(out, decodeShown(s.text, utf16Font[s.font]))
		}
	}
	if len(out) == 0 {
		t.Fatal("no text in the PDF")
	}
	return out
}

func decodeShown(b string, utf16Font bool) string {
	if !utf16Font {
		s, _ := charmap.Windows1252.NewDecoder().String(b)
		return s
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	return string(utf16.Decode(u))
}

type shown struct{ font, text string }

// showStrings reads the literal strings before each Tj in a content stream,
// with the font set last before each.
func showStrings(c []byte) []shown {
	var out []shown
	font := ""
	for i := 0; i < len(c); i++ {
		if c[i] == '/' {
			if m := setFont.FindSubmatch(c[i:]); m != nil {
				font = string(m[1])
			}
			continue
		}
		if c[i] != '(' {
			continue
		}
		var s []byte
		depth := 1
		j := i + 1
		for ; j < len(c) && depth > 0; j++ {
			switch c[j] {
			case '\\':
				j++
				if j < len(c) {
					s = append(s, c[j])
				}
				continue
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					continue
				}
			}
			s = append(s, c[j])
		}
		if bytes.HasPrefix(bytes.TrimLeft(c[j:], " "), []byte("Tj")) {
			out = append(out, shown{font, string(s)})
		}
		i = j - 1
	}
	return out
}

// TestNoticeTextUnchanged renders positions with several options through the
// fast path and through the renderer it replaced, and wants the same text,
// in the same order, in every language (core font and embedded font alike).
func TestNoticeTextUnchanged(t *testing.T) {
	many := issued(installmentPosition("TARI-TXT"))
	for i := 0; i < 3; i++ { // four installments: the notice runs onto a second page
		o := many.Options[1]
		many.Options = append(many.Options, o)
	}
	many = issued(many)
	slovene := issued(installmentPosition("TARI-SL"))
	slovene.Debtor.FullName = "Marko Čok"
	for _, p := range []*Position{issued(installmentPosition("TARI-TXT")), many, slovene} {
		for _, lang := range NoticeLanguages {
			t.Run(p.IUPD+"/"+lang, func(t *testing.T) {
				old, err := renderNoticeRef(p, lang)
				if err != nil {
					t.Fatal(err)
				}
				got, err := RenderNotice(p, lang)
				if err != nil {
					t.Fatal(err)
				}
				want := pdfText(t, old)
				if diff := cmp.Diff(want, pdfText(t, got)); diff != "" {
					t.Errorf("text (-old +new):\n%s", diff)
				}
			})
		}
	}
}
