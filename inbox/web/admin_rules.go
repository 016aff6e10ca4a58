package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// ruleChannels are the channels a rule may be limited to.
var ruleChannels = []inbox.Channel{inbox.ChannelMessenger, inbox.ChannelFacebookComment,
	inbox.ChannelInstagramDirect, inbox.ChannelInstagramComment}

// ruleMatches are the ways a pattern matches, "" for no pattern.
var ruleMatches = []inbox.MatchKind{"", inbox.MatchWords, inbox.MatchPhrase, inbox.MatchRegex}

// rulePriorities are the priorities a rule may set, "" for none.
var rulePriorities = []inbox.Priority{"", inbox.PriorityUrgent, inbox.PriorityNormal, inbox.PriorityLow}

// ruleForm is a rule as entered, kept as typed so a refused form shows
// it again unchanged.
type ruleForm struct {
	ID             int64
	Name           string
	Position       string
	Enabled        bool
	Match          inbox.MatchKind
	Pattern        string
	Channels       []inbox.Channel
	Accounts       []string
	Languages      string
	Administration string
	Tags           string
	Priority       inbox.Priority
}

// rulesData is what the rules page shows.
type rulesData struct {
	Rules   []*inbox.Rule
	CanEdit bool
	names   map[string]string
}

// AdminName is the display name of an administration id.
func (d rulesData) AdminName(id string) string { return usersData{names: d.names}.AdminName(id) }

// UnknownAdmin tells whether id is not among the routing targets, such as
// an administration removed from the list after the rule was written:
// triage ignores it and the rule only adds its tags and priority.
func (d rulesData) UnknownAdmin(id string) bool {
	_, ok := d.names[id]
	return !ok
}

// ruleData is what one rule's page shows: its form (read-only for
// supervisors) and history.
type ruleData struct {
	Form       ruleForm
	CanEdit    bool
	Channels   []inbox.Channel
	Matches    []inbox.MatchKind
	Priorities []inbox.Priority
	Accounts   []*inbox.Account
	Admins     []Administration
	History    []historyEntry
	Errors     formErrors
}

// UnknownAdmin tells whether the form's administration is set but not
// among the routing targets; the form keeps it as an option of its own
// so that the rule is not saved without it unnoticed.
func (d ruleData) UnknownAdmin() bool {
	if d.Form.Administration == "" {
		return false
	}
	for _, a := range d.Admins {
		if a.ID == d.Form.Administration {
			return false
		}
	}
	return true
}

// UnknownAccounts are the form's accounts that are not managed (any
// more); the form keeps them as ticked options of their own so that
// saving the rule does not drop the condition unnoticed, which would let
// it hold for every account.
func (d ruleData) UnknownAccounts() []string {
	var unknown []string
	for _, id := range d.Form.Accounts {
		if !slices.ContainsFunc(d.Accounts, func(a *inbox.Account) bool { return a.ExternalID == id }) {
			unknown = append(unknown, id)
		}
	}
	return unknown
}

// RoutingRules serves GET /admin/rules: the rules in the order they are
// tried, with what they match and what they do. Supervisors read, admins
// also edit, delete and reorder.
func (ui *UI) RoutingRules(c echo.Context) error {
	me := currentUser(c)
	list, err := ui.rules.List(c.Request().Context(), me)
	if err != nil {
		return ui.fail(c, err)
	}
	p := ui.newPage(c, "rules.title", "admin")
	p.Data = rulesData{Rules: list, CanEdit: me.CanManageRules(), names: ui.names}
	return ui.render(c, http.StatusOK, "rules", p)
}

// NewRuleForm serves GET /admin/rules/new.
func (ui *UI) NewRuleForm(c echo.Context) error {
	if !currentUser(c).CanManageRules() {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	return ui.renderRule(c, http.StatusOK, ruleForm{Enabled: true, Position: "0"}, nil, formErrors{})
}

// RoutingRule serves GET /admin/rules/:id.
func (ui *UI) RoutingRule(c echo.Context) error {
	id, ok := pathID(c)
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	r, history, err := ui.rules.Get(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return ui.fail(c, err)
	}
	return ui.renderRule(c, http.StatusOK, formOfRule(r), history, formErrors{})
}

func (ui *UI) renderRule(c echo.Context, status int, f ruleForm, history []*inbox.AuditEntry, errs formErrors) error {
	ctx := c.Request().Context()
	accounts, err := ui.cfg.Store.FindAccounts(ctx)
	if err != nil {
		return ui.fail(c, err)
	}
	d := ruleData{Form: f, CanEdit: currentUser(c).CanManageRules(), Channels: ruleChannels, Matches: ruleMatches,
		Priorities: rulePriorities, Accounts: accounts, Admins: ui.cfg.Administrations, Errors: errs}
	if len(history) > 0 {
		names, err := ui.userNames(c)
		if err != nil {
			return ui.fail(c, err)
		}
		d.History = withActors(history, names)
	}
	title := "rules.new"
	if f.ID != 0 {
		title = "rules.edit"
	}
	p := ui.newPage(c, title, "admin")
	p.Data = d
	return ui.render(c, status, "rule", p)
}

// CreateRule serves POST /admin/rules.
func (ui *UI) CreateRule(c echo.Context) error {
	return ui.saveRule(c, 0)
}

// UpdateRule serves POST /admin/rules/:id.
func (ui *UI) UpdateRule(c echo.Context) error {
	id, ok := pathID(c)
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	return ui.saveRule(c, id)
}

// saveRule creates (id 0) or replaces a rule from the form; a refused
// form is shown again as entered with what is wrong.
func (ui *UI) saveRule(c echo.Context, id int64) error {
	me := currentUser(c)
	if !me.CanManageRules() {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	lang := langOf(c)
	f := readRuleForm(c)
	f.ID = id
	kept := ""
	if id != 0 {
		old, _, err := ui.rules.Get(c.Request().Context(), me, id)
		if err != nil {
			return ui.fail(c, err)
		}
		kept = old.Administration
	}
	errs := ui.checkRuleForm(lang, f, kept)
	if !errs.Any() {
		r := f.rule()
		var err error
		if id == 0 {
			_, err = ui.rules.Create(c.Request().Context(), me, r)
		} else {
			_, err = ui.rules.Update(c.Request().Context(), me, r)
		}
		if err == nil {
			setFlash(c, "ok", "flash.rule_saved", lang)
			return c.Redirect(http.StatusSeeOther, "/admin/rules")
		}
		if inbox.ErrorCode(err) == inbox.ENOTFOUND {
			return ui.fail(c, err)
		}
		if err := formFailure(lang, err, errs, ""); err != nil {
			return ui.fail(c, err)
		}
	}
	return ui.renderRule(c, http.StatusUnprocessableEntity, f, nil, errs)
}

// DeleteRule serves POST /admin/rules/:id/delete.
func (ui *UI) DeleteRule(c echo.Context) error {
	id, ok := pathID(c)
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	if !currentUser(c).CanManageRules() {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	err := ui.rules.Delete(c.Request().Context(), currentUser(c), id)
	return ui.done(c, err, "flash.rule_deleted", "/admin/rules")
}

// MoveRule serves POST /admin/rules/:id/move with dir=up or down: the rule
// trades places with its neighbour, and the rules are numbered again in
// steps of 10 where their position changes.
func (ui *UI) MoveRule(c echo.Context) error {
	id, ok := pathID(c)
	if !ok {
		return ui.errorPage(c, http.StatusNotFound, "error.not_found")
	}
	ctx, me := c.Request().Context(), currentUser(c)
	if !me.CanManageRules() {
		return ui.errorPage(c, http.StatusForbidden, "error.forbidden")
	}
	err := ui.rules.Move(ctx, me, id, c.FormValue("dir") == "down")
	return ui.done(c, err, "flash.rule_moved", "/admin/rules#rule-"+strconv.FormatInt(id, 10))
}

func formOfRule(r *inbox.Rule) ruleForm {
	return ruleForm{ID: r.ID, Name: r.Name, Position: strconv.Itoa(r.Position), Enabled: r.Enabled, Match: r.Match,
		Pattern: r.Pattern, Channels: r.Channels, Accounts: r.Accounts, Languages: strings.Join(r.Languages, ", "),
		Administration: r.Administration, Tags: strings.Join(r.Tags, ", "), Priority: r.Priority}
}

func readRuleForm(c echo.Context) ruleForm {
	f := ruleForm{Name: strings.TrimSpace(c.FormValue("name")), Position: strings.TrimSpace(c.FormValue("position")),
		Enabled: c.FormValue("enabled") == "on", Match: inbox.MatchKind(c.FormValue("match")),
		Pattern: strings.TrimSpace(c.FormValue("pattern")), Accounts: formValues(c, "account"),
		Languages: c.FormValue("languages"), Administration: c.FormValue("administration"),
		Tags: c.FormValue("tags"), Priority: inbox.Priority(c.FormValue("priority"))}
	for _, ch := range formValues(c, "channel") {
		f.Channels = append(f.Channels, inbox.Channel(ch))
	}
	return f
}

// rule is the rule the form describes; call checkRuleForm first.
func (f ruleForm) rule() *inbox.Rule {
	pos, _ := strconv.Atoi(f.Position)
	return &inbox.Rule{ID: f.ID, Name: f.Name, Position: pos, Enabled: f.Enabled, Match: f.Match, Pattern: f.Pattern,
		Channels: f.Channels, Accounts: f.Accounts, Languages: splitList(strings.ReplaceAll(f.Languages, " ", ",")),
		Administration: f.Administration, Tags: splitList(f.Tags), Priority: f.Priority}
}

var formLanguageCode = regexp.MustCompile(`^[a-z]{2,3}$`)

// checkRuleForm says, per field, what keeps the form from being a rule.
// The rule service checks again; this is so staff read it in their
// language, next to the field. kept is the administration the rule has
// already, which may stay when it is no longer a routing target.
func (ui *UI) checkRuleForm(lang string, f ruleForm, kept string) formErrors {
	errs := formErrors{}
	switch {
	case f.Name == "":
		errs.add("name", translate(lang, "rules.err.name"))
	case utf8.RuneCountInString(f.Name) > inbox.MaxRuleNameLength:
		errs.add("name", fmt.Sprintf(translate(lang, "rules.err.name_long"), inbox.MaxRuleNameLength))
	}
	if _, err := strconv.ParseInt(f.Position, 10, 32); err != nil {
		errs.add("position", translate(lang, "rules.err.position"))
	}
	switch {
	case !slices.Contains(ruleMatches, f.Match):
		errs.add("match", translate(lang, "rules.err.match_kind"))
	case f.Pattern != "" && f.Match == "":
		errs.add("match", translate(lang, "rules.err.match"))
	case len(f.Pattern) > inbox.MaxRulePattern:
		errs.add("pattern", fmt.Sprintf(translate(lang, "rules.err.pattern_long"), inbox.MaxRulePattern))
	case f.Match == inbox.MatchRegex:
		if err := inbox.CheckRegex(f.Pattern); err != nil {
			errs.add("pattern", domainText(lang, err))
		}
	}
	r := f.rule()
	checkRuleLists(lang, r, errs)
	if f.Pattern == "" && len(r.Channels) == 0 && len(r.Accounts) == 0 && len(r.Languages) == 0 {
		errs.add("conditions", translate(lang, "rules.err.condition"))
	}
	if r.Administration == "" && len(r.Tags) == 0 && r.Priority == "" {
		errs.add("outcomes", translate(lang, "rules.err.outcome"))
	}
	known := ui.knownAdministration()
	if r.Administration != "" && r.Administration != kept && known != nil && !known(r.Administration) {
		errs.add("administration", translate(lang, "rules.err.administration"))
	}
	if !slices.Contains(rulePriorities, r.Priority) {
		errs.add("priority", translate(lang, "rules.err.priority"))
	}
	return errs
}

// checkRuleLists checks the form's channels, accounts, languages and
// tags: known channels, no empty account, language codes, and at most
// inbox.MaxRuleItems of each.
func checkRuleLists(lang string, r *inbox.Rule, errs formErrors) {
	tooMany := fmt.Sprintf(translate(lang, "rules.err.too_many"), inbox.MaxRuleItems)
	for _, c := range r.Channels {
		if !slices.Contains(ruleChannels, c) {
			errs.add("channels", translate(lang, "rules.err.channel"))
		}
	}
	if slices.ContainsFunc(r.Accounts, func(a string) bool { return strings.TrimSpace(a) == "" }) {
		errs.add("accounts", translate(lang, "rules.err.account"))
	}
	for _, l := range r.Languages {
		if !formLanguageCode.MatchString(strings.ToLower(l)) {
			errs.add("languages", translate(lang, "rules.err.language"))
		}
	}
	for field, n := range map[string]int{"channels": len(r.Channels), "accounts": len(r.Accounts),
		"languages": len(r.Languages), "tags": len(r.Tags)} {
		if n > inbox.MaxRuleItems {
			errs.add(field, tooMany)
		}
	}
}
