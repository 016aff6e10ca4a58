package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// RuleInput is the body of POST /api/v1/rules and PUT /api/v1/rules/{id}:
// a whole rule.
type RuleInput struct {
	Name           string          `json:"name"`
	Position       int             `json:"position"`
	Enabled        *bool           `json:"enabled"`
	Match          inbox.MatchKind `json:"match"`
	Pattern        string          `json:"pattern"`
	Channels       []inbox.Channel `json:"channels"`
	Accounts       []string        `json:"accounts"`
	Languages      []string        `json:"languages"`
	Administration string          `json:"administration"`
	Tags           []string        `json:"tags"`
	Priority       inbox.Priority  `json:"priority"`
}

// rule returns the input as a rule with id; a rule is enabled unless the
// input says otherwise.
func (in *RuleInput) rule(id int64) *inbox.Rule {
	return &inbox.Rule{
		ID: id, Name: in.Name, Position: in.Position, Enabled: in.Enabled == nil || *in.Enabled,
		Match: in.Match, Pattern: in.Pattern, Channels: in.Channels, Accounts: in.Accounts,
		Languages: in.Languages, Administration: in.Administration, Tags: in.Tags, Priority: in.Priority,
	}
}

// RuleList is the body of GET /api/v1/rules.
type RuleList struct {
	Rules []*inbox.Rule `json:"rules"`
}

// RuleDetail is the body of GET /api/v1/rules/{id}: the rule and its audit
// entries, oldest first.
type RuleDetail struct {
	*inbox.Rule
	History []*inbox.AuditEntry `json:"history"`
}

const ruleFields = "name, match and pattern, channels, accounts or languages, and administration, tags or priority"

// rules serves the admin-defined routing rules.
type rules struct {
	svc *inbox.Rules
}

func ruleID(c echo.Context) (int64, error) {
	return pathID(c, "Rule")
}

func (h *rules) list(c echo.Context) error {
	list, err := h.svc.List(c.Request().Context(), currentUser(c))
	if err != nil {
		return err
	}
	if list == nil {
		list = []*inbox.Rule{}
	}
	return c.JSON(http.StatusOK, RuleList{Rules: list})
}

func (h *rules) get(c echo.Context) error {
	if err := inbox.CheckRuleReading(currentUser(c)); err != nil {
		return err
	}
	id, err := ruleID(c)
	if err != nil {
		return err
	}
	r, history, err := h.svc.Get(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	if history == nil {
		history = []*inbox.AuditEntry{}
	}
	return c.JSON(http.StatusOK, RuleDetail{Rule: r, History: history})
}

func (h *rules) create(c echo.Context) error {
	if err := inbox.CheckRuleManagement(currentUser(c)); err != nil {
		return err
	}
	var in RuleInput
	if err := bind(c, &in, ruleFields); err != nil {
		return err
	}
	r, err := h.svc.Create(c.Request().Context(), currentUser(c), in.rule(0))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

func (h *rules) update(c echo.Context) error {
	if err := inbox.CheckRuleManagement(currentUser(c)); err != nil {
		return err
	}
	id, err := ruleID(c)
	if err != nil {
		return err
	}
	var in RuleInput
	if err := bind(c, &in, ruleFields); err != nil {
		return err
	}
	r, err := h.svc.Update(c.Request().Context(), currentUser(c), in.rule(id))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (h *rules) remove(c echo.Context) error {
	if err := inbox.CheckRuleManagement(currentUser(c)); err != nil {
		return err
	}
	id, err := ruleID(c)
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
