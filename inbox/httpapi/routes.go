package httpapi

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

//go:embed openapi.json
var openAPIDocument []byte

// routes lists inkorg's whole HTTP surface.
func (s *Server) routes(cfg Config) {
	e := s.echo
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", s.readyz)
	if cfg.Metrics != nil {
		e.GET("/metrics", echo.WrapHandler(cfg.Metrics))
	}

	if cfg.Webhooks != nil {
		e.GET("/webhooks/meta", echo.WrapHandler(cfg.Webhooks.Verify))
		e.POST("/webhooks/meta", echo.WrapHandler(cfg.Webhooks.Receive))
	}

	if cfg.Store == nil {
		return
	}
	e.GET("/api/v1/openapi.json", func(c echo.Context) error {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDocument)
	})
	api := e.Group("/api/v1", s.requireToken)
	api.GET("/conversations", s.listConversations)
	api.GET("/conversations/:id", s.getConversation)
}
