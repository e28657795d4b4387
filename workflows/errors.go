package workflows

import (
	"errors"
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/sportello/sportello/errs"
)

// ActionError turns the error of a refused or failed action into the platform's
// error: a refusal becomes a conflict listing the actions allowed now, a data
// problem an invalid error listing every field. Error identity does not survive
// Temporal's serialisation, so this branches on the ApplicationError type.
func ActionError(action string, err error) error {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		return err
	}
	switch appErr.Type() {
	case NotAllowed:
		allowed := []string{}
		if appErr.HasDetails() {
			_ = appErr.Details(&allowed)
		}
		now := "none"
		if len(allowed) > 0 {
			now = strings.Join(allowed, ", ")
		}
		return &errs.Error{Code: errs.Conflict, Reason: "action_not_allowed", Allowed: allowed,
			Message: fmt.Sprintf("action %q is not allowed now (%s); allowed: %s / azione non consentita ora; consentite: %s",
				action, appErr.Message(), now, now)}
	case string(errs.Invalid):
		var fields []errs.FieldError
		if appErr.HasDetails() {
			_ = appErr.Details(&fields)
		}
		if len(fields) > 0 {
			return errs.Fields(fields)
		}
		return errs.E(errs.Invalid, "%s", appErr.Message())
	}
	return err
}
