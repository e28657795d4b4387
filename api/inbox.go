package api

import (
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
)

// maxSearch bounds the inbox search text.
const maxSearch = 100

// inboxQuery reads the inbox's filters from the query: ?service=, ?state= (a
// comma-separated list of open, claimed, done, cancelled), ?overdue=true,
// ?q= (the start of a pratica id or part of the applicant's name) and ?sort=
// (deadline, created, service, applicant, office, state; "-" for descending).
// A value out of its set is refused naming the parameter.
func inboxQuery(c echo.Context, f *pratica.TaskFilter, now time.Time) error {
	f.Service = strings.TrimSpace(c.QueryParam("service"))
	if s := c.QueryParam("state"); s != "" {
		f.States = strings.Split(s, ",")
		for _, st := range f.States {
			if !slices.Contains(pratica.TaskStates, st) {
				return errs.Field("state", "%q is not one of %s / stato non valido", st, strings.Join(pratica.TaskStates, ", "))
			}
		}
	}
	switch c.QueryParam("overdue") {
	case "", "false":
	case "true":
		f.OverdueAt = &now
	default:
		return errs.Field("overdue", "must be true or false / deve essere true o false")
	}
	f.Search = strings.TrimSpace(c.QueryParam("q"))
	if len([]rune(f.Search)) > maxSearch {
		return errs.Field("q", "must be at most %d characters / al massimo %d caratteri", maxSearch, maxSearch)
	}
	f.Sort = c.QueryParam("sort")
	if col := strings.TrimPrefix(f.Sort, "-"); f.Sort != "" && !slices.Contains(pratica.TaskSorts, col) {
		return errs.Field("sort", "must be one of %s, with - for descending / deve essere uno di %s, con - per l'ordine decrescente",
			strings.Join(pratica.TaskSorts, ", "), strings.Join(pratica.TaskSorts, ", "))
	}
	return nil
}

// withDaysLeft sets each open task's days left to its legal deadline (negative when overdue).
func withDaysLeft(ts []pratica.Task, now time.Time) {
	for i := range ts {
		if ts[i].Deadline != nil && (ts[i].State == pratica.TaskOpen || ts[i].State == pratica.TaskClaimed) {
			n := pratica.DaysLeft(now, *ts[i].Deadline)
			ts[i].DaysLeft = &n
		}
	}
}

// oneTask answers one task to staff of its ente (and office, for operators).
func (h *Pratiche) oneTask(c echo.Context) error {
	t, err := h.task(c)
	if err != nil {
		return err
	}
	ts := []pratica.Task{*t}
	withDaysLeft(ts, h.now())
	return c.JSON(200, ts[0])
}
