package httpapi

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
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
	svc := inbox.NewService(cfg.Store, nil)
	svc.KnownAdministration = cfg.KnownAdministration
	work := &actions{svc: svc}
	api.POST("/conversations/:id/claim", respond(work.claim))
	api.POST("/conversations/:id/assign", respond(work.assign))
	api.POST("/conversations/:id/unassign", respond(work.unassign))
	api.POST("/conversations/:id/route", respond(work.route))
	api.POST("/conversations/:id/accept", respond(work.accept))
	api.POST("/conversations/:id/answer", respond(work.answer))
	api.POST("/conversations/:id/return", respond(work.giveBack))
	api.POST("/conversations/:id/notes", work.addNote)
	api.POST("/conversations/:id/tags", respond(work.tags))
	api.POST("/conversations/:id/status", respond(work.status))
	api.POST("/conversations/:id/snooze", respond(work.snooze))
	api.GET("/accounts", s.listAccounts)
	api.POST("/accounts", s.createAccount)
	api.DELETE("/accounts/:platform/:id", s.removeAccount)
	if cfg.Answers != nil {
		api.GET("/answers/search", searchAnswers(cfg.Answers))
		api.GET("/conversations/:id/suggestions", conversationSuggestions(cfg.Store, cfg.Answers))
	}
}
