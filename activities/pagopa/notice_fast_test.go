package pagopa

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var pageStream = regexp.MustCompile(`<<(/Filter /FlateDecode )?/Length (\d+)>>\nstream\n`)

// pdfText returns, page by page, the strings of every text-showing operator
// (Tj) of the page content streams fpdf writes, in drawing order.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
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
		out = append(out, showStrings(data)...)
	}
	if len(out) == 0 {
		t.Fatal("no text in the PDF")
	}
	return out
}

// showStrings reads the literal strings before each Tj in a content stream.
func showStrings(c []byte) []string {
	var out []string
	for i := 0; i < len(c); i++ {
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
			out = append(out, string(s))
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
