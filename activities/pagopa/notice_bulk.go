package pagopa

import (
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sportello/sportello/errs"
)

// PositionSource yields the positions of a bulk render one at a time and
// (nil, io.EOF) after the last; it is called from one goroutine only, so a
// store cursor or a channel can back it.
type PositionSource func() (*Position, error)

// Positions is a PositionSource over a slice (tests, small batches).
func Positions(ps []*Position) PositionSource {
	i := 0
	return func() (*Position, error) {
		if i == len(ps) {
			return nil, io.EOF
		}
		i++
		return ps[i-1], nil
	}
}

// FromChannel is a PositionSource that reads ch until it is closed.
func FromChannel(ctx context.Context, ch <-chan *Position) PositionSource {
	return func() (*Position, error) {
		select {
		case p, ok := <-ch:
			if !ok {
				return nil, io.EOF
			}
			return p, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// NoticeError is a position whose notice could not be rendered.
type NoticeError struct {
	IUPD  string `json:"iupd"`
	Error string `json:"error"`
}

// Stats is what a bulk render did. A position whose notice cannot be rendered
// (bad data, an unknown language) does not stop the others: it is listed in
// Failed with its IUPD, and the zip carries the same list as a CSV entry.
// What stops a bulk render is a failing source or writer, or ctx.
type Stats struct {
	Notices   int           `json:"notices"`   // PDFs written
	Pages     int           `json:"pages"`     // pages of the print file
	Bytes     int64         `json:"bytes"`     // PDF bytes rendered
	NoAddress int           `json:"noAddress"` // print file: debtors without a postal address, put last
	Failed    []NoticeError `json:"failed,omitempty"`
	// MaxInFlight is the most rendered PDFs held in memory at once: bounded
	// by the worker pool, whatever the number of positions.
	MaxInFlight int           `json:"maxInFlight"`
	Elapsed     time.Duration `json:"elapsed"`
}

// rendered is one position's notice, or why it has none.
type rendered struct {
	pos *Position
	pdf []byte
	// zip: the deflated PDF and its checksum, computed by the worker so the
	// single writer only copies bytes.
	deflated []byte
	crc      uint32
	err      error
}

// renderAll renders the positions of next on workers goroutines (GOMAXPROCS
// when ≤ 0) and hands the results to emit in the source's order. At most
// 2×workers results wait between the pool and emit, so memory does not grow
// with the number of positions. prepare runs on the worker after rendering.
func renderAll(ctx context.Context, next PositionSource, lang string, workers int,
	prepare func(*rendered, *flate.Writer), emit func(*rendered) error) (Stats, error) {
	if _, ok := noticeTexts[lang]; !ok { // every notice would fail: say it once
		return Stats{}, errs.Field("lang", "must be one of it, en, sl")
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	parent := ctx
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	type job struct {
		pos *Position
		out chan *rendered
	}
	jobs := make(chan job)
	order := make(chan chan *rendered, 2*workers)
	var inFlight, maxInFlight atomic.Int64
	var srcErr error
	readerDone := make(chan struct{})
	go func() { // the one reader of next
		defer close(readerDone)
		defer close(jobs)
		defer close(order)
		for {
			p, err := next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				srcErr = fmt.Errorf("read positions: %w", err)
				return
			}
			out := make(chan *rendered, 1)
			select {
			case order <- out:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- job{p, out}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var fw *flate.Writer
			for j := range jobs {
				r := &rendered{pos: j.pos}
				if j.pos == nil {
					r.err = errors.New("no position")
				} else {
					r.pdf, r.err = renderSafely(j.pos, lang)
				}
				if r.err == nil && prepare != nil {
					if fw == nil {
						fw, _ = flate.NewWriter(io.Discard, flate.BestSpeed)
					}
					prepare(r, fw)
				}
				if n := inFlight.Add(1); n > maxInFlight.Load() {
					maxInFlight.Store(n) // a racy maximum is fine for a figure
				}
				j.out <- r
			}
		}()
	}
	var st Stats
	var emitErr error
	aborted := false
	for out := range order {
		var r *rendered
		select {
		case r = <-out:
		case <-ctx.Done():
		}
		if r == nil {
			aborted = true
			break
		}
		inFlight.Add(-1)
		if r.err != nil {
			st.Failed = append(st.Failed, NoticeError{IUPD: iupdOf(r.pos), Error: r.err.Error()})
			continue
		}
		st.Notices++
		st.Bytes += int64(len(r.pdf))
		if emitErr = emit(r); emitErr != nil {
			break
		}
	}
	cancel()
	go func() { // let a blocked reader or worker finish, then drain
		for range order {
		}
	}()
	wg.Wait()
	<-readerDone
	st.MaxInFlight = int(maxInFlight.Load())
	st.Elapsed = time.Since(start)
	switch {
	case emitErr != nil:
		return st, emitErr
	case srcErr != nil:
		return st, srcErr
	case aborted || parent.Err() != nil:
		return st, fmt.Errorf("render notices: %w", parent.Err())
	}
	return st, nil
}

func iupdOf(p *Position) string {
	if p == nil {
		return ""
	}
	return p.IUPD
}

// renderSafely renders p, turning a panic of the PDF library on odd data into
// that position's error instead of the end of the whole run.
func renderSafely(p *Position, lang string) (pdf []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			pdf, err = nil, fmt.Errorf("render notice %s: %v", p.IUPD, v)
		}
	}()
	return RenderNotice(p, lang)
}
