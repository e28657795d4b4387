package api

import (
	"net/url"

	"github.com/labstack/echo/v4"
)

// pathParam is a path parameter decoded once: Echo hands over the raw segment
// when the request path holds escapes ("c%5Fl424"), the decoded one otherwise,
// so every handler and the guard read it through here to see the same value.
// A segment that does not decode is kept as sent, for the checks to refuse.
func pathParam(c echo.Context, name string) string {
	v := c.Param(name)
	if d, err := url.PathUnescape(v); err == nil {
		return d
	}
	return v
}
