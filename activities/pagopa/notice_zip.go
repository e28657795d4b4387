package pagopa

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"time"
)

// WriteNoticesZip renders the notice of every position of next in lang, on
// workers goroutines (GOMAXPROCS when ≤ 0), and streams them into a zip
// written to w: one PDF per debtor (all its options), named by NoticeFileName,
// in the source's order, deflated by the workers. Failed notices are listed in
// Stats and in a last entry, errori-errors.csv.
func WriteNoticesZip(ctx context.Context, w io.Writer, next PositionSource, lang string, workers int) (Stats, error) {
	z := newZipSink(w, lang)
	st, err := renderAll(ctx, next, lang, workers, deflateNotice, z.emit)
	if err != nil {
		return st, err
	}
	return st, z.close(st.Failed)
}

// WriteNoticeFiles renders every notice once and writes both the zip (to
// zw, as WriteNoticesZip) and the print file (to pw, as WritePrintFile): what
// a campaign that mails paper and publishes PDFs wants, at the cost of one.
func WriteNoticeFiles(ctx context.Context, zw, pw io.Writer, next PositionSource, lang string, workers int) (Stats, error) {
	z := newZipSink(zw, lang)
	sp, err := newPrintSpool()
	if err != nil {
		return Stats{}, err
	}
	defer sp.remove()
	st, err := renderAll(ctx, next, lang, workers, deflateNotice, func(r *rendered) error {
		if err := z.emit(r); err != nil {
			return err
		}
		return sp.emit(r)
	})
	st.NoAddress = sp.noAddress
	if err != nil {
		return st, err
	}
	if err := z.close(st.Failed); err != nil {
		return st, err
	}
	st.Pages, err = sp.mergeTo(ctx, pw, lang)
	return st, err
}

// deflateNotice compresses a notice for its zip entry, on the worker that
// rendered it, so that the single writer only copies bytes.
func deflateNotice(r *rendered, fw *flate.Writer) {
	var b bytes.Buffer
	b.Grow(len(r.pdf) / 2)
	fw.Reset(&b)
	_, _ = fw.Write(r.pdf)
	_ = fw.Close()
	r.deflated, r.crc = b.Bytes(), crc32.ChecksumIEEE(r.pdf)
}

// zipSink writes deflated notices into a zip as they come.
type zipSink struct {
	zw    *zip.Writer
	lang  string
	names map[string]int
}

func newZipSink(w io.Writer, lang string) *zipSink {
	return &zipSink{zw: zip.NewWriter(w), lang: lang, names: map[string]int{}}
}

func (z *zipSink) emit(r *rendered) error {
	name := zipName(NoticeFileName(r.pos, z.lang))
	if n := z.names[name]; n > 0 { // the same IUPD twice in one run
		z.names[name] = n + 1
		name = strings.TrimSuffix(name, ".pdf") + fmt.Sprintf("-%d.pdf", n+1)
	} else {
		z.names[name] = 1
	}
	hdr := &zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: r.crc,
		CompressedSize64: uint64(len(r.deflated)), UncompressedSize64: uint64(len(r.pdf)), Modified: r.pos.CreatedAt}
	if hdr.Modified.IsZero() {
		hdr.Modified = time.Now()
	}
	f, err := z.zw.CreateRaw(hdr)
	if err != nil {
		return fmt.Errorf("write notices zip: %w", err)
	}
	if _, err := f.Write(r.deflated); err != nil {
		return fmt.Errorf("write notices zip: %w", err)
	}
	return nil
}

// close adds the list of failed notices, if any, and the zip's directory.
func (z *zipSink) close(failed []NoticeError) error {
	if len(failed) > 0 {
		f, err := z.zw.Create("errori-errors.csv")
		if err != nil {
			return fmt.Errorf("write notices zip: %w", err)
		}
		if err := writeFailedCSV(f, failed); err != nil {
			return fmt.Errorf("write notices zip: %w", err)
		}
	}
	if err := z.zw.Close(); err != nil {
		return fmt.Errorf("write notices zip: %w", err)
	}
	return nil
}

// zipName keeps an entry name to safe characters: an IUPD is free text.
func zipName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}
