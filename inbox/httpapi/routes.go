package httpapi

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
	"inkorg/inbox/businesstime"
)

//go:embed openapi.json
var openAPIDocument []byte

// routes lists inkorg's whole HTTP surface.
func (s *Server) routes(cfg Config) {
	e := s.echo
	// Health checks answer HEAD too, as load balancers and monitors
	// often ask that way.
	healthz := func(c echo.Context) error { return c.String(http.StatusOK, "ok\n") }
	e.GET("/healthz", healthz)
	e.HEAD("/healthz", healthz)
	e.GET("/readyz", s.readyz)
	e.HEAD("/readyz", s.readyz)
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
	api.GET("/queues", s.countQueues)
	api.GET("/tokens", s.listTokens)
	api.DELETE("/tokens/:id", s.revokeToken)
	svc := inbox.NewService(cfg.Store, nil)
	svc.KnownAdministration = cfg.KnownAdministration
	if cfg.Live != nil {
		svc.Publisher = cfg.Live
		s.live = newLiveStream(cfg.Live, cfg.LiveHeartbeat)
		api.GET("/events", s.live.serve)
	}
	s.presence = newPresenceService(cfg)
	api.POST("/conversations/:id/presence", s.announcePresence)
	svc.Outbound = cfg.Outbound
	svc.ReplyHooks = cfg.ReplyHooks
	work := &actions{svc: svc, convs: cfg.Store}
	api.POST("/conversations/:id/claim", work.respond(work.claim))
	api.POST("/conversations/:id/assign", work.respond(work.assign))
	api.POST("/conversations/:id/unassign", work.respond(work.unassign))
	api.POST("/conversations/:id/route", work.respond(work.route))
	api.POST("/conversations/:id/accept", work.respond(work.accept))
	api.POST("/conversations/:id/answer", work.respond(work.answer))
	api.POST("/conversations/:id/return", work.respond(work.giveBack))
	api.POST("/conversations/:id/notes", work.addNote)
	api.POST("/conversations/:id/tags", work.respond(work.tags))
	api.POST("/conversations/:id/status", work.respond(work.status))
	api.POST("/conversations/:id/snooze", work.respond(work.snooze))
	api.POST("/bulk", work.bulk)
	out := &outbound{svc: svc, convs: cfg.Store}
	api.POST("/conversations/:id/reply", out.reply)
	api.GET("/conversations/:id/outbound", out.list)
	api.POST("/messages/:id/hide", out.moderate(inbox.CommentHide))
	api.POST("/messages/:id/unhide", out.moderate(inbox.CommentUnhide))
	api.POST("/messages/:id/delete", out.moderate(inbox.CommentDelete))
	api.POST("/outbound/:id/retry", out.retry)
	api.GET("/channels", out.channels)
	if store, ok := cfg.Store.(inbox.ModerationStores); ok {
		mod := &moderation{svc: &inbox.Moderation{Store: store, Service: svc, Location: businesstime.Default().Location()}, messages: store}
		api.GET("/moderation", mod.queue)
		api.GET("/moderation/report", mod.report)
		api.POST("/moderation/:id", mod.decide)
	}
	if store, ok := cfg.Store.(privacyStores); ok {
		subj := newSubjects(store, cfg.DeadLetters)
		api.GET("/subjects", subj.access)
		api.POST("/subjects/remove", subj.removeByPlatformID)
		api.POST("/subjects/:id/remove", subj.remove)
	}
	if cfg.Sandbox != nil {
		api.GET("/sandbox/calls", sandboxCalls(cfg.Sandbox, cfg.SandboxLog))
	}
	api.GET("/reports/:report", getReport(reportService(cfg)))
	api.GET("/accounts", s.listAccounts)
	api.POST("/accounts", s.createAccount)
	api.DELETE("/accounts/:platform/:id", s.removeAccount)
	routingRules := &rules{svc: &inbox.Rules{Store: cfg.Store, KnownAdministration: cfg.KnownAdministration}}
	api.GET("/rules", routingRules.list)
	api.POST("/rules", routingRules.create)
	api.GET("/rules/:id", routingRules.get)
	api.PUT("/rules/:id", routingRules.update)
	api.DELETE("/rules/:id", routingRules.remove)
	if store, ok := cfg.Store.(inbox.UserAdminStore); ok {
		staff := &users{svc: &inbox.UserAdmin{Store: store, KnownAdministration: cfg.KnownAdministration, Publisher: svc.Publisher}}
		api.GET("/users", staff.list)
		api.POST("/users", staff.create)
		api.GET("/users/:id", staff.get)
		api.PATCH("/users/:id", staff.change)
	}
	api.GET("/alerts", listAlerts(cfg.Store))
	if cfg.Answers != nil {
		api.GET("/answers/search", searchAnswers(cfg.Answers))
		api.GET("/conversations/:id/suggestions", conversationSuggestions(cfg.Store, cfg.Answers))
	}
	if cfg.AnswerEditor != nil {
		bank := &articles{editor: cfg.AnswerEditor}
		api.GET("/answers/articles", bank.list)
		api.POST("/answers/articles", bank.create)
		api.GET("/answers/articles/:id", bank.get)
		api.PUT("/answers/articles/:id", bank.update)
		api.DELETE("/answers/articles/:id", bank.remove)
	}
	if cfg.AnswerUses != nil {
		api.GET("/answers/stats", answerStats(cfg.AnswerUses))
	}
	if ui := cfg.Web; ui != nil {
		// Per-route middleware, not groups: a group would catch every
		// unknown path.
		page := []echo.MiddlewareFunc{ui.SecurityHeaders}
		staff := []echo.MiddlewareFunc{ui.SecurityHeaders, ui.RequireSession}
		e.GET("/static/*", ui.Static)
		e.GET("/login", ui.LoginForm, page...)
		e.POST("/login", ui.Login, page...)
		e.GET("/login/oidc", ui.OIDCStart, page...)
		e.GET("/login/oidc/callback", ui.OIDCCallback, page...)
		e.POST("/logout", ui.Logout, staff...)
		e.POST("/settings/language", ui.SetLanguage, staff...)
		e.GET("/", ui.Inbox, staff...)
		e.GET("/conversations/:id", ui.Conversation, staff...)
		e.POST("/conversations/:id/claim", ui.Claim, staff...)
		e.POST("/conversations/:id/route", ui.Route, staff...)
		e.POST("/conversations/:id/reply", ui.Reply, staff...)
		e.POST("/conversations/:id/notes", ui.Note, staff...)
		e.POST("/conversations/:id/accept", ui.Accept, staff...)
		e.POST("/conversations/:id/answer", ui.Answer, staff...)
		e.POST("/conversations/:id/return", ui.Return, staff...)
		e.POST("/conversations/:id/status", ui.Status, staff...)
		e.POST("/conversations/:id/hide", ui.Hide, staff...)
		e.POST("/conversations/:id/tags", ui.Tags, staff...)
		e.POST("/conversations/:id/snooze", ui.Snooze, staff...)
		e.POST("/conversations/:id/unassign", ui.Unassign, staff...)
		e.POST("/conversations/:id/assign", ui.Assign, staff...)
		e.POST("/bulk", ui.Bulk, staff...)
		e.GET("/dashboard", ui.Dashboard, staff...)
		e.GET("/dashboard.csv", ui.DashboardCSV, staff...)
		e.GET("/admin", ui.Admin, staff...)
		e.GET("/admin/users", ui.Users, staff...)
		e.GET("/admin/users/new", ui.NewUserForm, staff...)
		e.POST("/admin/users", ui.CreateUser, staff...)
		e.GET("/admin/users/:id", ui.User, staff...)
		e.POST("/admin/users/:id/role", ui.SetUserRole, staff...)
		e.POST("/admin/users/:id/password", ui.ResetUserPassword, staff...)
		e.POST("/admin/users/:id/active", ui.SetUserActive, staff...)
		e.POST("/admin/users/:id/unlock", ui.UnlockUser, staff...)
		e.GET("/admin/rules", ui.RoutingRules, staff...)
		e.GET("/admin/rules/new", ui.NewRuleForm, staff...)
		e.POST("/admin/rules", ui.CreateRule, staff...)
		e.GET("/admin/rules/:id", ui.RoutingRule, staff...)
		e.POST("/admin/rules/:id", ui.UpdateRule, staff...)
		e.POST("/admin/rules/:id/delete", ui.DeleteRule, staff...)
		e.POST("/admin/rules/:id/move", ui.MoveRule, staff...)
		e.GET("/admin/answers", ui.Articles, staff...)
		e.GET("/admin/answers/new", ui.NewArticleForm, staff...)
		e.POST("/admin/answers", ui.CreateArticle, staff...)
		e.GET("/admin/answers/:id", ui.Article, staff...)
		e.POST("/admin/answers/:id", ui.UpdateArticle, staff...)
		e.POST("/admin/answers/:id/active", ui.SetArticleActive, staff...)
		e.POST("/admin/answers/:id/delete", ui.DeleteArticle, staff...)
		e.GET("/moderation", ui.Moderation, staff...)
		e.POST("/moderation/:id", ui.Decide, staff...)
	}
}
