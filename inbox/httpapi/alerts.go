package httpapi

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// AlertList is the body of GET /api/v1/alerts.
type AlertList struct {
	Alerts []*inbox.Alert `json:"alerts"`
}

// listAlerts answers GET /api/v1/alerts[?limit=N]: the newest spike and
// crisis alerts, for supervisors and admins.
func listAlerts(store inbox.AlertStore) echo.HandlerFunc {
	return func(c echo.Context) error {
		limit := 0
		if raw := c.QueryParam("limit"); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n <= 0 {
				return inbox.Errorf(inbox.EINVALID, "limit ska vara ett positivt heltal. / The limit must be a positive integer.")
			}
			limit = n
		}
		alerts, err := inbox.ListAlerts(c.Request().Context(), store, currentUser(c), limit)
		if err != nil {
			return err
		}
		if alerts == nil {
			alerts = []*inbox.Alert{}
		}
		return c.JSON(http.StatusOK, AlertList{Alerts: alerts})
	}
}
