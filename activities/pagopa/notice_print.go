package pagopa

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// WritePrintFile renders the notice of every position of next in lang, on
// workers goroutines (GOMAXPROCS when ≤ 0), and writes them to w as one PDF
// for the printer, ordered for postal dispatch: by CAP, province, city,
// street and civic number of the debtor, debtors without an address last
// (counted in Stats.NoAddress). The source may come in any order: rendered
// notices wait in a temporary file (in TMPDIR), only their sort keys stay in
// memory, and they are then merged one at a time.
func WritePrintFile(ctx context.Context, w io.Writer, next PositionSource, lang string, workers int) (Stats, error) {
	sp, err := newPrintSpool()
	if err != nil {
		return Stats{}, err
	}
	defer sp.remove()
	st, err := renderAll(ctx, next, lang, workers, nil, sp.emit)
	st.NoAddress = sp.noAddress
	if err != nil {
		return st, err
	}
	st.Pages, err = sp.mergeTo(ctx, w, lang)
	return st, err
}

// printSpool keeps rendered notices in a temporary file, in the order they
// come, and in memory only where each is and its postal sort key.
type printSpool struct {
	f         *os.File
	w         *bufio.Writer
	off       int64
	entries   []spoolEntry
	noAddress int
}

type spoolEntry struct {
	key string
	off int64
	n   int
}

func newPrintSpool() (*printSpool, error) {
	f, err := os.CreateTemp("", "sportello-notices-*.spool")
	if err != nil {
		return nil, fmt.Errorf("write print file: %w", err)
	}
	return &printSpool{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

func (s *printSpool) emit(r *rendered) error {
	key := postalKey(r.pos.Debtor, r.pos.IUPD)
	if strings.HasPrefix(key, noAddressKey) {
		s.noAddress++
	}
	s.entries = append(s.entries, spoolEntry{key, s.off, len(r.pdf)})
	n, err := s.w.Write(r.pdf)
	s.off += int64(n)
	if err != nil {
		return fmt.Errorf("write print file: spool: %w", err)
	}
	return nil
}

// mergeTo sorts the spooled notices in postal order and merges them into one
// PDF written to w, one notice at a time; it returns the pages written.
func (s *printSpool) mergeTo(ctx context.Context, w io.Writer, lang string) (int, error) {
	if err := s.w.Flush(); err != nil {
		return 0, fmt.Errorf("write print file: spool: %w", err)
	}
	sort.SliceStable(s.entries, func(i, j int) bool { return s.entries[i].key < s.entries[j].key })
	m := newPDFMerger(w)
	var buf []byte
	pages := 0
	for i, e := range s.entries {
		if i%256 == 0 && ctx.Err() != nil {
			return pages, fmt.Errorf("write print file: %w", ctx.Err())
		}
		if cap(buf) < e.n {
			buf = make([]byte, e.n)
		}
		buf = buf[:e.n]
		if _, err := s.f.ReadAt(buf, e.off); err != nil {
			return pages, fmt.Errorf("write print file: read spool: %w", err)
		}
		n, err := m.Add(buf)
		if err != nil {
			return pages, fmt.Errorf("write print file: %w", err)
		}
		pages += n
	}
	if err := m.Close(noticeTexts[lang]["title"]); err != nil {
		return pages, fmt.Errorf("write print file: %w", err)
	}
	return pages, nil
}

func (s *printSpool) remove() {
	s.f.Close()
	os.Remove(s.f.Name())
}

// noAddressKey starts the sort key of a debtor without a postal address,
// so that they sort after every address.
const noAddressKey = "\xff"

// postalKey orders debtors for postal dispatch: CAP, province, city, street,
// civic number (numerically: 2 before 10), name, then IUPD to break ties.
func postalKey(d Debtor, iupd string) string {
	if strings.TrimSpace(d.PostalCode) == "" && strings.TrimSpace(d.City) == "" {
		return noAddressKey + strings.ToUpper(d.FullName) + "\x00" + iupd
	}
	norm := func(s string) string { return strings.ToUpper(strings.TrimSpace(asciiFold(s))) }
	civic := strings.TrimSpace(d.CivicNumber)
	digits := len(civic) - len(strings.TrimLeft(civic, "0123456789"))
	if n, err := strconv.Atoi(civic[:digits]); err == nil {
		civic = fmt.Sprintf("%08d%s", n, civic[digits:])
	}
	return strings.Join([]string{fmt.Sprintf("%-5s", strings.TrimSpace(d.PostalCode)), norm(d.Province), norm(d.City),
		norm(d.StreetName), norm(civic), norm(d.FullName), iupd}, "\x00")
}

// writeFailedCSV lists the positions whose notice was not rendered.
func writeFailedCSV(w io.Writer, failed []NoticeError) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"iupd", "errore / error"}); err != nil {
		return err
	}
	for _, f := range failed {
		if err := cw.Write([]string{f.IUPD, f.Error}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
