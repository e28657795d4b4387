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
	spool, err := os.CreateTemp("", "sportello-notices-*.spool")
	if err != nil {
		return Stats{}, fmt.Errorf("write print file: %w", err)
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	type entry struct {
		key string
		off int64
		n   int
	}
	var entries []entry
	sw := bufio.NewWriterSize(spool, 1<<20)
	var off int64
	noAddress := 0
	st, err := renderAll(ctx, next, lang, workers, nil, func(r *rendered) error {
		key := postalKey(r.pos.Debtor, r.pos.IUPD)
		if strings.HasPrefix(key, noAddressKey) {
			noAddress++
		}
		entries = append(entries, entry{key, off, len(r.pdf)})
		n, err := sw.Write(r.pdf)
		off += int64(n)
		if err != nil {
			return fmt.Errorf("write print file: spool: %w", err)
		}
		return nil
	})
	st.NoAddress = noAddress
	if err != nil {
		return st, err
	}
	if err := sw.Flush(); err != nil {
		return st, fmt.Errorf("write print file: spool: %w", err)
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	m := newPDFMerger(w)
	var buf []byte
	for i, e := range entries {
		if i%256 == 0 && ctx.Err() != nil {
			return st, fmt.Errorf("write print file: %w", ctx.Err())
		}
		if cap(buf) < e.n {
			buf = make([]byte, e.n)
		}
		buf = buf[:e.n]
		if _, err := spool.ReadAt(buf, e.off); err != nil {
			return st, fmt.Errorf("write print file: read spool: %w", err)
		}
		pages, err := m.Add(buf)
		if err != nil {
			return st, fmt.Errorf("write print file: %w", err)
		}
		st.Pages += pages
	}
	if err := m.Close(noticeTexts[lang]["title"]); err != nil {
		return st, fmt.Errorf("write print file: %w", err)
	}
	return st, nil
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
