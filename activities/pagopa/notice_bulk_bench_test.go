package pagopa

import (
	"context"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// generated is a PositionSource of n positions made one at a time, so that
// the source itself holds nothing.
func generated(n int) PositionSource {
	i := 0
	return func() (*Position, error) {
		if i == n {
			return nil, io.EOF
		}
		p := bulkPositions(1)[0]
		p.IUPD = "TARI-" + itoa5(i)
		for j := range p.Options {
			nt, _ := demoCreditor.Scheme().Build(int64(i*len(p.Options) + j + 1))
			p.Options[j].IUV, p.Options[j].NoticeNumber = nt.IUV, nt.NoticeNumber
		}
		i++
		return p, nil
	}
}

func itoa5(i int) string {
	b := []byte("00000")
	for k := 4; k >= 0 && i > 0; k-- {
		b[k] = byte('0' + i%10)
		i /= 10
	}
	return string(b)
}

// peakHeap runs f and samples the heap in use every few milliseconds.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	return peak.Load()
}

var bulkMeasured = map[string]struct {
	small, large uint64
	rate         float64
}{}

// BenchmarkNoticesBulk renders 1,000 and then 10,000 notices into a zip and
// into a print file (GOMAXPROCS workers, output discarded) and reports the
// peak heap of each and their ratio: flat memory means a ratio near 1, not 10.
// The print file's ordering keys (about 100 bytes a notice) are the only thing
// meant to grow. It also reports notices per second per core.
func BenchmarkNoticesBulk(b *testing.B) {
	for _, kind := range []string{"zip", "print"} {
		b.Run(kind, func(b *testing.B) {
			run := func(n int) (uint64, float64) {
				var secs float64
				peak := peakHeap(func() {
					start := time.Now()
					var st Stats
					var err error
					if kind == "zip" {
						st, err = WriteNoticesZip(context.Background(), io.Discard, generated(n), "it", 0)
					} else {
						st, err = WritePrintFile(context.Background(), io.Discard, generated(n), "it", 0)
					}
					if err != nil || st.Notices != n {
						b.Fatalf("%d notices, err %v", st.Notices, err)
					}
					secs = time.Since(start).Seconds()
				})
				return peak, float64(n) / secs / float64(runtime.GOMAXPROCS(0))
			}
			// One measurement per sub-benchmark, however many times the
			// framework calls it (make bench's 3x would render 66,000 notices).
			m, ok := bulkMeasured[kind]
			if !ok {
				m.small, _ = run(1000)
				m.large, m.rate = run(10000)
				bulkMeasured[kind] = m
			}
			small, large, rate := m.small, m.large, m.rate
			b.ReportMetric(float64(small)/(1<<20), "MB-peak-1k")
			b.ReportMetric(float64(large)/(1<<20), "MB-peak-10k")
			b.ReportMetric(float64(large)/float64(small), "peak-ratio")
			b.ReportMetric(rate, "notices/s/core")
			b.Logf("%s: peak heap 1,000 notices %.1f MB, 10,000 notices %.1f MB (ratio %.2f); %.0f notices/s/core",
				kind, float64(small)/(1<<20), float64(large)/(1<<20), float64(large)/float64(small), rate)
		})
	}
}
