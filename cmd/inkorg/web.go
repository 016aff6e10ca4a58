package main

import (
	"context"

	"inkorg/answers"
	"inkorg/inbox"
	"inkorg/inbox/httpapi"
	"inkorg/inbox/web"
	"inkorg/routing"
)

// newWebUI returns the staff web UI on store, with a service set up like
// the API's (replies on the same outbound queue, the same live updates
// and reply hooks), and single sign-on when configured (the provider is
// discovered at start).
func newWebUI(ctx context.Context, e *env, store inbox.Store, search answers.Search, admins *routing.Administrations,
	api httpapi.Config) (*web.UI, error) {
	svc := inbox.NewService(store, nil)
	svc.KnownAdministration = api.KnownAdministration
	svc.Outbound = api.Outbound
	svc.ReplyHooks = api.ReplyHooks
	if api.Live != nil {
		svc.Publisher = api.Live
	}
	var targets []web.Administration
	for _, id := range admins.IDs() {
		a, _ := admins.Get(id)
		targets = append(targets, web.Administration{ID: a.ID, Name: a.Name})
	}
	var sso *web.OIDC
	if e.cfg.OIDC != nil {
		var err error
		if sso, err = web.NewOIDC(ctx, *e.cfg.OIDC); err != nil {
			return nil, err
		}
	}
	return web.New(web.Config{Store: store, Service: svc, Sessions: api.Sessions, Answers: search,
		Reports: api.Reports, Location: e.cfg.SLA.Calendar.Location(),
		Administrations: targets, Logger: e.logger, OIDC: sso, AnswerEditor: api.AnswerEditor, AnswerUses: api.AnswerUses})
}
