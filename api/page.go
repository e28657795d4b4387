package api

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/errs"
)

// Page is the window of a list a request asks for with ?limit= and ?offset=.
type Page struct {
	Limit, Offset int
}

// PageOf reads ?limit= (1..max, default def) and ?offset= (0 or more): a value
// out of bounds is refused naming the parameter, never silently changed.
func PageOf(c echo.Context, def, max int) (Page, error) {
	pg := Page{Limit: def}
	if s := c.QueryParam("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > max {
			return pg, errs.Field("limit", "must be a whole number from 1 to %d / deve essere un intero da 1 a %d", max, max)
		}
		pg.Limit = n
	}
	if s := c.QueryParam("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return pg, errs.Field("offset", "must be a whole number, 0 or more / deve essere un intero non negativo")
		}
		pg.Offset = n
	}
	return pg, nil
}

// Paged answers one page of a list: the items as a JSON array, the total in
// X-Total-Count and, when more follow, the next page's URL in a Link header
// (RFC 8288), so no list ever ends silently.
func Paged[T any](c echo.Context, items []T, total int64, pg Page) error {
	return paged(c, items, total, false, pg)
}

// paged is Paged; more says that items follow past total (a capped count).
func paged[T any](c echo.Context, items []T, total int64, more bool, pg Page) error {
	h := c.Response().Header()
	h.Set("X-Total-Count", strconv.FormatInt(total, 10))
	if next := pg.Offset + len(items); (more || int64(next) < total) && len(items) > 0 {
		u := *c.Request().URL
		q := u.Query()
		q.Set("offset", strconv.Itoa(next))
		q.Set("limit", strconv.Itoa(pg.Limit))
		u.RawQuery = q.Encode()
		h.Set("Link", fmt.Sprintf(`<%s>; rel="next"`, (&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String()))
	}
	if items == nil {
		items = []T{}
	}
	return c.JSON(200, items)
}
