package pagopa

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

var bulkStreets = []string{"Via Roma", "Corso Italia", "Via Carducci", "Viale XX Settembre", "Via dell'Istria", "Strada di Guardiella"}
var bulkCAPs = []string{"34121", "34122", "34123", "34125", "34128", "34136", "34151"}

// bulkPositions are n issued TARI positions (single + 2 installments) of
// distinct debtors with addresses in Trieste, in no postal order.
func bulkPositions(n int) []*Position {
	r := rand.New(rand.NewSource(11))
	out := make([]*Position, n)
	for i := range out {
		p := installmentPosition(fmt.Sprintf("TARI-%05d", i))
		for j := range p.Options {
			nt, _ := demoCreditor.Scheme().Build(int64(i*len(p.Options) + j + 1))
			p.Options[j].IUV, p.Options[j].NoticeNumber = nt.IUV, nt.NoticeNumber
		}
		p.Debtor.FullName = fmt.Sprintf("Contribuente %05d", i)
		p.Debtor.StreetName = bulkStreets[r.Intn(len(bulkStreets))]
		p.Debtor.CivicNumber = strconv.Itoa(r.Intn(120) + 1)
		p.Debtor.PostalCode = bulkCAPs[r.Intn(len(bulkCAPs))]
		p.Debtor.City, p.Debtor.Province = "Trieste", "TS"
		out[i] = p
	}
	return out
}

// qrPayloads decodes every QR code of a notice PDF, sorted.
func qrPayloads(t *testing.T, pdf []byte) []string {
	t.Helper()
	var got []string
	for _, img := range pdfImages(t, pdf) {
		bmp, _ := gozxing.NewBinaryBitmapFromImage(img)
		res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			continue // a data matrix
		}
		got = append(got, res.GetText())
	}
	sort.Strings(got)
	return got
}

func wantPayloads(p *Position) []string {
	var want []string
	for _, o := range p.Options {
		want = append(want, QRPayload(o.NoticeNumber, p.Creditor.FiscalCode, o.Amount))
	}
	sort.Strings(want)
	return want
}

// TestNoticesZip renders positions into a zip on three workers: one entry per
// debtor, in the source's order, each a well-formed PDF whose QR codes carry
// that position's notice numbers.
func TestNoticesZip(t *testing.T) {
	ps := bulkPositions(25)
	ps[3].Debtor.FullName = "Marko Čok" // the embedded-font path
	ps[4].Creditor.PostalIBAN = "IT60X0760102200000012345678"
	var buf bytes.Buffer
	st, err := WriteNoticesZip(context.Background(), &buf, Positions(ps), "it", 3)
	if err != nil {
		t.Fatal(err)
	}
	if st.Notices != len(ps) || len(st.Failed) != 0 {
		t.Fatalf("stats = %+v", st)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(ps) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(ps))
	}
	for i, f := range zr.File {
		if want := NoticeFileName(ps[i], "it"); f.Name != want {
			t.Errorf("entry %d = %s, want %s", i, f.Name, want)
		}
		rc, err := f.Open() // checks the CRC the workers computed
		if err != nil {
			t.Fatal(err)
		}
		pdf, err := io.ReadAll(rc)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if _, _, _, err := pdfObjects(pdf); err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
		if diff := cmp.Diff(wantPayloads(ps[i]), qrPayloads(t, pdf)); diff != "" {
			t.Errorf("%s QR codes (-want +got):\n%s", f.Name, diff)
		}
	}
}

// TestNoticesZipFailures: a position that cannot be rendered is reported with
// its IUPD (in Stats and in the zip's error list) and the others are written;
// a failing source stops the run with its error.
func TestNoticesZipFailures(t *testing.T) {
	ps := bulkPositions(6)
	ps[2].Options = nil
	var buf bytes.Buffer
	st, err := WriteNoticesZip(context.Background(), &buf, Positions(ps), "it", 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []NoticeError{{IUPD: "TARI-00002", Error: "invalid: paymentOption: the position has no payment options"}}
	if diff := cmp.Diff(want, st.Failed); diff != "" || st.Notices != 5 {
		t.Fatalf("notices %d, failed (-want +got):\n%s", st.Notices, diff)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if len(names) != 6 || names[5] != "errori-errors.csv" || strings.Contains(strings.Join(names, ","), "TARI-00002") {
		t.Fatalf("entries = %v", names)
	}
	rc, _ := zr.File[5].Open()
	csv, _ := io.ReadAll(rc)
	if !strings.Contains(string(csv), "TARI-00002,invalid: paymentOption") {
		t.Errorf("errors csv = %q", csv)
	}

	if _, err := WriteNoticesZip(context.Background(), io.Discard, Positions(ps), "de", 2); err == nil || err.Error() != "invalid: lang: must be one of it, en, sl" {
		t.Errorf("unknown language: %v", err)
	}

	broken := errors.New("cursor lost")
	i := 0
	src := func() (*Position, error) {
		if i == 3 {
			return nil, broken
		}
		i++
		return ps[0], nil
	}
	if _, err := WriteNoticesZip(context.Background(), io.Discard, src, "it", 2); !errors.Is(err, broken) {
		t.Fatalf("err = %v, want the source's", err)
	}
}

// slowWriter makes the consumer the bottleneck, so that an unbounded pipeline
// would pile up rendered notices.
type slowWriter struct{}

func (slowWriter) Write(b []byte) (int, error) {
	time.Sleep(200 * time.Microsecond)
	return len(b), nil
}

// TestNoticesBoundedMemory: however many positions and however slow the
// writer, at most a few notices per worker are held in memory.
func TestNoticesBoundedMemory(t *testing.T) {
	const workers = 2
	st, err := WriteNoticesZip(context.Background(), slowWriter{}, Positions(bulkPositions(120)), "it", workers)
	if err != nil {
		t.Fatal(err)
	}
	if limit := 3*workers + 1; st.MaxInFlight > limit || st.MaxInFlight == 0 {
		t.Fatalf("%d notices held at once, want at most %d", st.MaxInFlight, limit)
	}
}

// TestNoticesCancel: a cancelled context stops a bulk render with its error.
func TestNoticesCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	src := func() (*Position, error) {
		if n++; n == 5 {
			cancel()
		}
		return bulkPositions(1)[0], nil
	}
	if _, err := WriteNoticesZip(ctx, io.Discard, src, "it", 2); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// TestNoticesParallelSameText renders notices on many workers and wants
// each one's text equal to a render on its own: nothing the renders share
// (translators, encoders) may mix two notices up.
func TestNoticesParallelSameText(t *testing.T) {
	ps := bulkPositions(240)
	for i, p := range ps {
		p.Subject = fmt.Sprintf("TARI 2026 – utenza n° %d, città", i) // non-ASCII in Windows-1252
	}
	var buf bytes.Buffer
	if _, err := WriteNoticesZip(context.Background(), &buf, Positions(ps), "it", 8); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range zr.File {
		rc, _ := f.Open()
		got, _ := io.ReadAll(rc)
		want, err := RenderNotice(ps[i], "it")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(pdfText(t, want), pdfText(t, got)); diff != "" {
			t.Fatalf("%s (-alone +parallel):\n%s", f.Name, diff)
		}
	}
}
