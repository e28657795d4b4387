package pagopa

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
)

// pdfMerger appends the pages of one PDF after another into a single PDF
// written as it goes: each input's objects are renumbered and copied out at
// once, so only the object offsets and the page tree stay in memory. It reads
// the classic, uncompressed cross-reference table that fpdf writes; streams
// are copied byte for byte.
type pdfMerger struct {
	w       *bufio.Writer
	off     int64
	offsets []int64 // by object number - 1; 0 until written
	groups  []pageGroup
	pages   int
	err     error
}

// pageGroup is an intermediate node of the page tree: a flat /Kids array of
// a hundred thousand pages is valid but slow in some readers.
type pageGroup struct {
	id   int
	kids []int
}

// pagesPerGroup caps the kids of one intermediate page-tree node (a notice's
// pages always share one node).
const pagesPerGroup = 64

// Objects the merger writes itself: the root of the page tree, the catalog
// and the document information.
const (
	mergedPages   = 1
	mergedCatalog = 2
	mergedInfo    = 3
)

func newPDFMerger(w io.Writer) *pdfMerger {
	m := &pdfMerger{w: bufio.NewWriterSize(w, 256<<10), offsets: make([]int64, 3)}
	m.write([]byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"))
	return m
}

func (m *pdfMerger) write(b []byte) {
	if m.err != nil {
		return
	}
	n, err := m.w.Write(b)
	m.off += int64(n)
	m.err = err
}

func (m *pdfMerger) newObject() int {
	m.offsets = append(m.offsets, 0)
	return len(m.offsets)
}

var (
	startXref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	xrefHead  = regexp.MustCompile(`^xref\s+0 (\d+)\s+`)
	trailerRe = regexp.MustCompile(`trailer\s*<<([\s\S]*?)>>\s*startxref`)
	refRe     = regexp.MustCompile(`(\d+) 0 R`)
	rootRe    = regexp.MustCompile(`/Root (\d+) 0 R`)
	infoRe    = regexp.MustCompile(`/Info (\d+) 0 R`)
	pagesRe   = regexp.MustCompile(`/Pages (\d+) 0 R`)
	lengthRe  = regexp.MustCompile(`/Length (\d+)\b`)
	pageType  = regexp.MustCompile(`/Type\s*/Page[^s]`)
)

// Add appends the pages of pdf and returns how many it had.
func (m *pdfMerger) Add(pdf []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	objs, root, info, err := pdfObjects(pdf)
	if err != nil {
		return 0, err
	}
	pm := pagesRe.FindSubmatch(objs[root])
	if pm == nil {
		return 0, errors.New("merge PDF: the catalog has no page tree")
	}
	pagesID, _ := strconv.Atoi(string(pm[1]))
	if len(m.groups) == 0 || len(m.groups[len(m.groups)-1].kids) >= pagesPerGroup {
		m.groups = append(m.groups, pageGroup{id: m.newObject()})
	}
	g := &m.groups[len(m.groups)-1]
	renum := map[int]int{pagesID: g.id}
	for id := range objs {
		if id != root && id != info && id != pagesID && objs[id] != nil {
			renum[id] = m.newObject()
		}
	}
	// Rewrite every object first and write only then, so that a PDF we cannot
	// read leaves nothing half-copied behind.
	type outObj struct {
		id           int
		dict, stream []byte
	}
	var out []outObj
	var kids []int
	for id, body := range objs {
		if body == nil || id == root || id == info || id == pagesID {
			continue
		}
		dict, stream := body, []byte(nil)
		if i := bytes.Index(body, []byte("stream\n")); i >= 0 && bytes.Contains(body[:i], []byte("/Length")) {
			dict, stream = body[:i], body[i:]
		}
		if pageType.Match(dict) {
			dict = inherit(dict, objs[pagesID])
		}
		var bad error
		dict = refRe.ReplaceAllFunc(dict, func(ref []byte) []byte {
			old, _ := strconv.Atoi(string(ref[:len(ref)-4]))
			n, ok := renum[old]
			if !ok {
				bad = fmt.Errorf("merge PDF: object %d refers to object %d, which is not copied", id, old)
			}
			return []byte(strconv.Itoa(n) + " 0 R")
		})
		if bad != nil {
			return 0, bad
		}
		if pageType.Match(dict) {
			kids = append(kids, renum[id])
		}
		out = append(out, outObj{renum[id], dict, stream})
	}
	for _, o := range out {
		m.offsets[o.id-1] = m.off
		m.write([]byte(strconv.Itoa(o.id) + " 0 obj\n"))
		m.write(o.dict)
		m.write(o.stream)
		m.write([]byte("endobj\n"))
	}
	g.kids = append(g.kids, kids...)
	pages := len(kids)
	m.pages += pages
	return pages, m.err
}

// inheritable are the page attributes a page may take from its page-tree
// node (fpdf puts the page size there), as the PDF spec lists them.
var inheritable = []*regexp.Regexp{
	regexp.MustCompile(`/MediaBox\s*\[[^\]]*\]`), regexp.MustCompile(`/CropBox\s*\[[^\]]*\]`),
	regexp.MustCompile(`/Rotate\s+-?\d+`), regexp.MustCompile(`/Resources\s+\d+ 0 R`),
}

// inherit copies into a page the attributes it inherited from the page-tree
// node the merge drops, unless the page sets them itself.
func inherit(page, node []byte) []byte {
	i := bytes.Index(page, []byte("<<"))
	if i < 0 {
		return page
	}
	var add []byte
	for _, re := range inheritable {
		if v := re.Find(node); v != nil {
			key := v[:bytes.IndexAny(v[1:], " \n\r[")+1]
			if !bytes.Contains(page, key) {
				add = append(append(add, v...), '\n')
			}
		}
	}
	if add == nil {
		return page
	}
	return append(append(append([]byte{}, page[:i+2]...), add...), page[i+2:]...)
}

// pdfObjects splits pdf into its objects (index = object number; the body
// between "N 0 obj" and "endobj", streams whole) and returns the catalog's
// and the information dictionary's numbers.
func pdfObjects(pdf []byte) (objs [][]byte, root, info int, err error) {
	sx := startXref.FindSubmatch(pdf)
	if sx == nil {
		return nil, 0, 0, errors.New("merge PDF: no startxref")
	}
	xoff, _ := strconv.Atoi(string(sx[1]))
	if xoff <= 0 || xoff >= len(pdf) {
		return nil, 0, 0, errors.New("merge PDF: startxref out of the file")
	}
	head := xrefHead.FindSubmatchIndex(pdf[xoff:])
	if head == nil {
		return nil, 0, 0, errors.New("merge PDF: no classic cross-reference table")
	}
	n, _ := strconv.Atoi(string(pdf[xoff+head[2] : xoff+head[3]]))
	table := pdf[xoff+head[1]:]
	if len(table) < 20*n {
		return nil, 0, 0, errors.New("merge PDF: short cross-reference table")
	}
	tr := trailerRe.FindSubmatch(pdf[xoff:])
	if tr == nil {
		return nil, 0, 0, errors.New("merge PDF: no trailer")
	}
	if m := rootRe.FindSubmatch(tr[1]); m != nil {
		root, _ = strconv.Atoi(string(m[1]))
	}
	if m := infoRe.FindSubmatch(tr[1]); m != nil {
		info, _ = strconv.Atoi(string(m[1]))
	}
	objs = make([][]byte, n)
	for id := 1; id < n; id++ {
		e := table[20*id : 20*id+20]
		if e[17] != 'n' {
			continue
		}
		off, err := strconv.Atoi(string(e[:10]))
		if err != nil || off >= len(pdf) {
			return nil, 0, 0, fmt.Errorf("merge PDF: bad offset of object %d", id)
		}
		hdr := []byte(strconv.Itoa(id) + " 0 obj")
		if !bytes.HasPrefix(pdf[off:], hdr) {
			return nil, 0, 0, fmt.Errorf("merge PDF: object %d is not at its offset", id)
		}
		body := bytes.TrimLeft(pdf[off+len(hdr):], "\r\n ")
		end := 0
		if i := bytes.Index(body, []byte("stream\n")); i >= 0 && i < bytes.Index(body, []byte("endobj")) {
			lm := lengthRe.FindSubmatch(body[:i])
			if lm == nil {
				return nil, 0, 0, fmt.Errorf("merge PDF: stream of object %d has no direct length", id)
			}
			l, _ := strconv.Atoi(string(lm[1]))
			end = i + len("stream\n") + l
			if end > len(body) {
				return nil, 0, 0, fmt.Errorf("merge PDF: stream of object %d runs past the file", id)
			}
		}
		j := bytes.Index(body[end:], []byte("endobj"))
		if j < 0 {
			return nil, 0, 0, fmt.Errorf("merge PDF: object %d has no endobj", id)
		}
		objs[id] = body[:end+j]
	}
	if root <= 0 || root >= n || objs[root] == nil {
		return nil, 0, 0, errors.New("merge PDF: no catalog")
	}
	return objs, root, info, nil
}

// Close writes the page tree, the catalog, the information dictionary and
// the cross-reference table, then flushes.
func (m *pdfMerger) Close(title string) error {
	if m.err != nil {
		return m.err
	}
	var kids bytes.Buffer
	for _, g := range m.groups {
		fmt.Fprintf(&kids, "%d 0 R ", g.id)
		var gk bytes.Buffer
		for _, k := range g.kids {
			fmt.Fprintf(&gk, "%d 0 R ", k)
		}
		m.offsets[g.id-1] = m.off
		m.write([]byte(fmt.Sprintf("%d 0 obj\n<</Type /Pages /Parent %d 0 R /Kids [%s] /Count %d>>\nendobj\n", g.id, mergedPages, gk.Bytes(), len(g.kids))))
	}
	m.offsets[mergedPages-1] = m.off
	m.write([]byte(fmt.Sprintf("%d 0 obj\n<</Type /Pages /Kids [%s] /Count %d>>\nendobj\n", mergedPages, kids.Bytes(), m.pages)))
	m.offsets[mergedCatalog-1] = m.off
	m.write([]byte(fmt.Sprintf("%d 0 obj\n<</Type /Catalog /Pages %d 0 R>>\nendobj\n", mergedCatalog, mergedPages)))
	m.offsets[mergedInfo-1] = m.off
	m.write([]byte(fmt.Sprintf("%d 0 obj\n<</Producer (Sportello) /Title %s>>\nendobj\n", mergedInfo, pdfString(title))))
	xref := m.off
	m.write([]byte(fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", len(m.offsets)+1)))
	for _, o := range m.offsets {
		m.write([]byte(fmt.Sprintf("%010d 00000 n \n", o)))
	}
	m.write([]byte(fmt.Sprintf("trailer\n<</Size %d /Root %d 0 R /Info %d 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(m.offsets)+1, mergedCatalog, mergedInfo, xref)))
	if m.err != nil {
		return m.err
	}
	return m.w.Flush()
}

// pdfString writes s as a PDF literal string (ASCII; anything else folded).
func pdfString(s string) string {
	var b bytes.Buffer
	b.WriteByte('(')
	for _, r := range asciiFold(s) {
		if r == '(' || r == ')' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte(')')
	return b.String()
}
