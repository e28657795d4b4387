package api

import (
	"github.com/labstack/echo/v4"
)

// CountCap is how far a list that counts up to a cap counts: past it the
// total reads "1,000+" (X-Total-Count 1000 and X-Total-Capped: true). A count
// reads every row it counts, and nobody pages through forty pages of an inbox:
// one filters it.
const CountCap = 1000

// countCapOf is the cap for a page: CountCap, or further when the page itself
// lies past it, so the answer still says whether more follow.
func countCapOf(pg Page) int {
	return max(CountCap, pg.Offset+pg.Limit)
}

// PagedUpTo answers one page of a list whose total was counted up to a cap:
// as Paged, and when more rows than total match, X-Total-Capped: true and a
// Link to the next page.
func PagedUpTo[T any](c echo.Context, items []T, total int64, capped bool, pg Page) error {
	if capped {
		c.Response().Header().Set("X-Total-Capped", "true")
	}
	return paged(c, items, total, capped, pg)
}
