package ledger_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/activities/ledger/sim"
	"github.com/sportello/sportello/calendar"
	"github.com/sportello/sportello/store/storetest"
)

// BenchmarkParseFDR measures the safe, validating parser against a bare
// encoding/xml decode of the same 5000-line flow (the baseline).
func BenchmarkParseFDR(b *testing.B) {
	payments, _ := dayOfPayments(time.Date(2026, 11, 26, 0, 0, 0, 0, calendar.Rome), 5000)
	for i := range payments {
		payments[i].PSP = "BCITITMM"
	}
	out, err := sim.Reporter{ABI: "02008"}.Report("2026-11-26", payments)
	if err != nil {
		b.Fatal(err)
	}
	doc, _ := out.Flows[0].XML()
	b.Run("baseline-encoding-xml", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for i := 0; i < b.N; i++ {
			var v struct {
				Lines []struct {
					IUV string `xml:"identificativoUnivocoVersamento"`
				} `xml:"datiSingoliPagamenti"`
			}
			if err := xml.Unmarshal(doc, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fdr.ParseXML", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for i := 0; i < b.N; i++ {
			if _, err := fdr.ParseXML(bytes.NewReader(doc)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkReconcile imports and reconciles a day of n payments on SQLite; the
// figure to read is ns per payment.
func BenchmarkReconcile(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			day := time.Date(2026, 11, 26, 0, 0, 0, 0, calendar.Rome)
			payments, rs := dayOfPayments(day, n)
			out, err := sim.Reporter{ABI: "02008"}.Report("2026-11-26", payments)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				svc := ledger.NewService(storetest.SQLite(b), ledger.DemoEntes, rs, chart)
				svc.Log = quiet
				b.StartTimer()
				for _, f := range out.Flows {
					if _, err := svc.ImportFlow(context.Background(), "", f, "xml"); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := svc.ImportJournal(context.Background(), "", out.Journals[0]); err != nil {
					b.Fatal(err)
				}
				run, err := svc.Reconcile(context.Background(), "c_l424", "2026-11-27")
				if err != nil || run.Posted != 2*n {
					b.Fatalf("posted %d, %v", run.Posted, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/payment")
		})
	}
}
