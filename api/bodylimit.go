package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/pagopa"
)

// defaultBodyLimit is the limit of most routes when Options.BodyLimit says none.
const defaultBodyLimit = 2 << 20

// MaxImportBody is the one limit of every import route (flows, journals, the
// catalog bundle, the taxonomy, the organisation chart, the card registry):
// larger bodies answer 413 before anything is parsed.
const MaxImportBody = 16 << 20

// importRoute reports whether path is an import route, which takes MaxImportBody.
func importRoute(path string) bool {
	for _, p := range LargeBodyPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	if strings.HasPrefix(path, "/api/issuances/") && strings.HasSuffix(path, "/roll") {
		return true // a comune's roll: Trieste's 110,000 households are about 11 MB of CSV
	}
	return strings.HasPrefix(path, "/api/catalog/enti/") && strings.HasSuffix(path, "/units/import")
}

// smallBodyRoutes are routes whose bodies are bounded below the default: the
// pagoPA receipts (a paSendRT with five transfers is a few KB).
var smallBodyRoutes = map[string]int64{
	"/api/payments/receipts":      pagopa.MaxReceiptBody,
	"/api/payments/receipts/soap": pagopa.MaxReceiptBody,
}

// routeLimit is the body limit of path under the policy, def for most routes.
func routeLimit(path string, def int64) int64 {
	if importRoute(path) {
		return MaxImportBody
	}
	if n, ok := smallBodyRoutes[path]; ok {
		return n
	}
	if path == AttachmentPath {
		return MaxAttachmentBody
	}
	return def
}

// parseSize reads a size like "2M", "512K" or "1048576" in bytes; defaultBodyLimit when it cannot.
func parseSize(s string) int64 {
	s = strings.ToUpper(strings.TrimSpace(strings.TrimSuffix(strings.ToUpper(s), "B")))
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return defaultBodyLimit
	}
	return n * mult
}

// tooLarge is the 413 answer, naming the limit in Italian and English.
func tooLarge(limit int64) *echo.HTTPError {
	return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf(
		"body: larger than the limit of %s for this route / il corpo supera il limite di %s per questa operazione",
		sizeText(limit), sizeText(limit)))
}

func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// bodyLimit is the one body limit policy: imports take MaxImportBody, receipts
// pagopa.MaxReceiptBody, uploads MaxAttachmentBody, every other route def bytes. A declared length over the limit answers 413 before
// the handler runs; a body without a length is cut at the limit, and reading
// past it fails with an error readBody and BindStrict answer as the same 413.
func bodyLimit(def int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.Body == nil || req.Body == http.NoBody {
				return next(c)
			}
			limit := routeLimit(req.URL.Path, def)
			if req.ContentLength > limit {
				return tooLarge(limit)
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
			return next(c)
		}
	}
}

// readBody reads the whole request body within the route's limit; a body over
// it answers 413 naming the limit, never a parser's error on a cut document.
func readBody(c echo.Context) ([]byte, error) {
	b, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, bodyError(err)
	}
	return b, nil
}

// bodyError maps a read error past the limit to the 413 answer.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(mbe.Limit)
	}
	return fmt.Errorf("read body: %w", err)
}
