package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
)

// reportService returns the configured report service, or one on the
// store in the default calendar's zone.
func reportService(cfg Config) *inbox.ReportService {
	if cfg.Reports != nil {
		return cfg.Reports
	}
	return &inbox.ReportService{Store: cfg.Store, Location: businesstime.Default().Location(), Now: time.Now}
}

// getReport serves GET /api/v1/reports/{summary|backlog|hours}[.csv]
// ?from=YYYY-MM-DD&to=YYYY-MM-DD&group_by=…&format=json|csv&sep=semicolon|comma.
func getReport(svc *inbox.ReportService) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := inbox.CheckReportAccess(currentUser(c)); err != nil {
			return err
		}
		req, asCSV, err := reportRequest(c, svc.Location)
		if err != nil {
			return err
		}
		sep, err := inbox.ParseCSVDialect(c.QueryParam("sep"))
		if err != nil {
			return err
		}
		rep, err := svc.Report(c.Request().Context(), currentUser(c), req)
		if err != nil {
			return err
		}
		if asCSV {
			return writeCSV(c, rep, sep)
		}
		return c.JSON(http.StatusOK, rep)
	}
}

// reportRequest reads the report name, the date range in loc, the
// grouping and the format.
func reportRequest(c echo.Context, loc *time.Location) (inbox.ReportRequest, bool, error) {
	name, asCSV := strings.CutSuffix(c.Param("report"), ".csv")
	switch c.QueryParam("format") {
	case "", "json":
	case "csv":
		asCSV = true
	default:
		return inbox.ReportRequest{}, false, inbox.Errorf(inbox.EINVALID, "format ska vara json eller csv. / format must be json or csv.")
	}
	req := inbox.ReportRequest{Kind: inbox.ReportKind(name), GroupBy: inbox.GroupBy(c.QueryParam("group_by"))}
	from, err := reportDate(c.QueryParam("from"), "from", loc)
	if err != nil {
		return req, false, err
	}
	to, err := reportDate(c.QueryParam("to"), "to", loc)
	if err != nil {
		return req, false, err
	}
	req.From, req.To = from, time.Date(to.Year(), to.Month(), to.Day()+1, 0, 0, 0, 0, loc)
	return req, asCSV, nil
}

func reportDate(v, name string, loc *time.Location) (time.Time, error) {
	if v == "" {
		return time.Time{}, inbox.Errorf(inbox.EINVALID, "Ange %s, ett datum som ÅÅÅÅ-MM-DD. / %s is required: a date as YYYY-MM-DD.", name, name)
	}
	t, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		return time.Time{}, inbox.Errorf(inbox.EINVALID, "%s ska vara ett datum som ÅÅÅÅ-MM-DD, inte %q. / %s must be a date as YYYY-MM-DD, got %q.", name, v, name, v)
	}
	return t, nil
}

// writeCSV sends rep as a CSV download in dialect sep.
func writeCSV(c echo.Context, rep *inbox.Report, sep inbox.CSVDialect) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+rep.CSVFilename()+`"`)
	c.Response().WriteHeader(http.StatusOK)
	return rep.WriteCSV(c.Response(), sep)
}
