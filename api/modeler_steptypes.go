package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/modeler"
)

// stepTypeRoutes registers the palette of step types the visual modeller offers.
func (h *Modeler) stepTypeRoutes(r *Router) {
	r.Handle(Route{Method: http.MethodGet, Path: "/api/modeler/step-types", Perm: Perm{"template", "read"}, Tag: "modeler",
		Summary:  "Step types with the JSON Schema of each one's configuration, for the modeller's property forms / Tipi di passo",
		Response: []modeler.StepType{}}, h.stepTypes)
}

func (h *Modeler) stepTypes(c echo.Context) error {
	out, err := modeler.StepTypes()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
