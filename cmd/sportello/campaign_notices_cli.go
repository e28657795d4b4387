package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/api"
)

// noticeFlags are the flags of "sportello campaign notices".
type noticeFlags struct {
	out   string
	print bool
	lang  string
}

// notices downloads a campaign's notices into nf.out, streamed, with a
// progress bar of the notices received (the zip) or the bytes (the print
// file, which the server sends once every notice is rendered). A download
// cut short leaves no file behind.
func (c *cliClient) notices(ctx context.Context, args []string, nf noticeFlags, out io.Writer) error {
	if len(args) != 1 || nf.out == "" {
		return errors.New("usage: sportello campaign notices ID -o avvisi.zip [--print] [--lang it]")
	}
	path := "/api/issuances/" + url.PathEscape(args[0]) + "/notices.zip"
	if nf.print {
		path = "/api/issuances/" + url.PathEscape(args[0]) + "/notices/print"
	}
	q := url.Values{}
	if nf.lang != "" {
		q.Set("lang", nf.lang)
	}
	if c.ente != "" {
		q.Set("ente", c.ente)
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.base, "/")+path, nil)
	if err != nil {
		return err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.apiKey != "" {
		req.Header.Set(api.APIKeyHeader, c.apiKey)
	}
	hc := *c.http
	hc.Timeout = 0 // a large campaign streams for minutes; ctx bounds it
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return fmt.Errorf("GET %s: %s %s", path, resp.Status, strings.TrimSpace(string(raw)))
	}
	total, _ := strconv.Atoi(resp.Header.Get(api.NoticesTotalHeader))
	dir := filepath.Dir(nf.out)
	f, err := os.CreateTemp(dir, "."+filepath.Base(nf.out)+".*.part")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	bar := &noticeBar{out: out, total: total, zip: !nf.print}
	_, err = io.Copy(io.MultiWriter(f, bar), resp.Body)
	bar.draw(err == nil)
	fmt.Fprintln(out)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("download notices: %w", err)
	}
	if err := os.Rename(f.Name(), nf.out); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: %d bytes\n", nf.out, bar.bytes)
	return nil
}

// zipEntry starts each entry of a zip (its local file header).
var zipEntry = []byte("PK\x03\x04")

// noticeBar counts what goes through it and draws a progress bar at most
// every 200 ms: notices for a zip (its entries' headers; a chance match in
// the compressed data only moves the bar, capped at the total), bytes else.
type noticeBar struct {
	out   io.Writer
	total int
	zip   bool
	bytes int64
	seen  int
	tail  []byte
	last  time.Time
	start time.Time
}

func (b *noticeBar) Write(p []byte) (int, error) {
	if b.start.IsZero() {
		b.start = time.Now()
	}
	b.bytes += int64(len(p))
	if b.zip {
		buf := append(b.tail, p...)
		b.seen += bytes.Count(buf, zipEntry)
		k := min(len(buf), len(zipEntry)-1)
		b.tail = append(b.tail[:0], buf[len(buf)-k:]...)
	}
	if time.Since(b.last) >= 200*time.Millisecond {
		b.draw(false)
	}
	return len(p), nil
}

func (b *noticeBar) draw(final bool) {
	b.last = time.Now()
	el := time.Since(b.start).Seconds()
	if !b.zip || b.total == 0 {
		fmt.Fprintf(b.out, "\r%d KB received", b.bytes>>10)
		return
	}
	n := min(b.seen, b.total)
	if final {
		n = b.total
	}
	const width = 30
	filled := n * width / b.total
	rate := 0.0
	if el > 0 {
		rate = float64(n) / el
	}
	fmt.Fprintf(b.out, "\r[%s%s] %d/%d notices, %.0f/s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), n, b.total, rate)
}
