package pagopa

import (
	"archive/zip"
	"bytes"
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	kidsRe     = regexp.MustCompile(`/Kids \[([^\]]*)\]`)
	contentsRe = regexp.MustCompile(`/Contents (\d+) 0 R`)
	debtorRe   = regexp.MustCompile(`^Contribuente \d+$|^Senza indirizzo$`)
)

// printPages walks the page tree of a merged PDF from its catalog and
// returns, page by page, the debtor name printed on it ("" on a page
// without one, e.g. the second page of a long notice).
func printPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	objs, root, _, err := pdfObjects(pdf)
	if err != nil {
		t.Fatal(err)
	}
	ref := func(s string) []byte {
		id, _ := strconv.Atoi(s)
		if id <= 0 || id >= len(objs) || objs[id] == nil {
			t.Fatalf("dangling reference %s", s)
		}
		return objs[id]
	}
	var out []string
	var walk func(node []byte)
	walk = func(node []byte) {
		if k := kidsRe.FindSubmatch(node); k != nil {
			for _, f := range strings.Fields(string(k[1])) {
				if f != "0" && f != "R" {
					walk(ref(f))
				}
			}
			return
		}
		if !bytes.Contains(node, []byte("/MediaBox [0 0 595.28 841.89]")) {
			t.Errorf("page without its A4 media box: %s", node)
		}
		c := contentsRe.FindSubmatch(node)
		if c == nil {
			t.Fatalf("page without contents: %s", node)
		}
		body := ref(string(c[1]))
		i := bytes.Index(body, []byte("stream\n"))
		name := ""
		for _, s := range showStrings(body[i:]) {
			if debtorRe.MatchString(s.text) {
				name = s.text
			}
		}
		out = append(out, name)
	}
	walk(ref(pagesRe.FindStringSubmatch(string(objs[root]))[1]))
	return out
}

// TestPrintFileOrder merges notices given in no order into one print file:
// the pages follow the postal order (CAP, province, city, street, civic
// number as a number), a two-page notice keeps its pages together, and a
// debtor without an address comes last.
func TestPrintFileOrder(t *testing.T) {
	ps := bulkPositions(40)
	long := ps[7]
	for i := 0; i < 4; i++ { // six installments: two pages
		o := long.Options[1]
		nt, _ := demoCreditor.Scheme().Build(int64(9000 + i))
		o.IUV, o.NoticeNumber = nt.IUV, nt.NoticeNumber
		long.Options = append(long.Options, o)
	}
	ps[12].Debtor = Debtor{Type: "F", FiscalCode: citizen, FullName: "Senza indirizzo"}
	var buf bytes.Buffer
	st, err := WritePrintFile(context.Background(), &buf, Positions(ps), "it", 3)
	if err != nil {
		t.Fatal(err)
	}
	sorted := append([]*Position(nil), ps...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].Debtor, sorted[j].Debtor
		if (a.PostalCode == "") != (b.PostalCode == "") {
			return b.PostalCode == ""
		}
		if a.PostalCode != b.PostalCode {
			return a.PostalCode < b.PostalCode
		}
		if a.StreetName != b.StreetName {
			return strings.ToUpper(a.StreetName) < strings.ToUpper(b.StreetName)
		}
		na, _ := strconv.Atoi(a.CivicNumber)
		nb, _ := strconv.Atoi(b.CivicNumber)
		if na != nb {
			return na < nb
		}
		return a.FullName < b.FullName
	})
	var want []string
	for _, p := range sorted {
		want = append(want, p.Debtor.FullName)
		if p == long {
			want = append(want, "")
		}
	}
	if diff := cmp.Diff(want, printPages(t, buf.Bytes())); diff != "" {
		t.Errorf("page order (-want +got):\n%s", diff)
	}
	if st.Notices != 40 || st.Pages != 41 || st.NoAddress != 1 {
		t.Errorf("stats = %+v", st)
	}
}

// TestNoticeFilesOnePass renders each notice once into both the zip and the
// print file: the zip in the source's order, the print file in postal order,
// the same notices in both.
func TestNoticeFilesOnePass(t *testing.T) {
	ps := bulkPositions(15)
	var zbuf, pbuf bytes.Buffer
	st, err := WriteNoticeFiles(context.Background(), &zbuf, &pbuf, Positions(ps), "en", 2)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zbuf.Bytes()), int64(zbuf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var zipped []string
	for _, f := range zr.File {
		zipped = append(zipped, f.Name)
	}
	var want []string
	for _, p := range ps {
		want = append(want, NoticeFileName(p, "en"))
	}
	if diff := cmp.Diff(want, zipped); diff != "" {
		t.Errorf("zip (-want +got):\n%s", diff)
	}
	pages := printPages(t, pbuf.Bytes())
	sorted := append([]string(nil), pages...)
	sort.Slice(sorted, func(i, j int) bool {
		return postalKey(byName(ps, sorted[i]).Debtor, "") < postalKey(byName(ps, sorted[j]).Debtor, "")
	})
	if diff := cmp.Diff(sorted, pages); diff != "" || len(pages) != 15 || st.Notices != 15 || st.Pages != 15 {
		t.Errorf("print file: %d pages, stats %+v, order (-postal +got):\n%s", len(pages), st, diff)
	}
}

func byName(ps []*Position, name string) *Position {
	for _, p := range ps {
		if p.Debtor.FullName == name {
			return p
		}
	}
	return &Position{}
}
