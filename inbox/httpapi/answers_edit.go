package httpapi

import (
	"math"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"inkorg/answers"
	"inkorg/inbox"
)

// ArticleList is the body of GET /api/v1/answers/articles.
type ArticleList struct {
	Articles []*answers.Article `json:"articles"`
}

// ArticleDetail is the body of GET /api/v1/answers/articles/{id}: the
// article and its audited changes, oldest first.
type ArticleDetail struct {
	*answers.Article
	History []*answers.ArticleChange `json:"history"`
}

const articleFields = "title, an https url on the city's domains, and optionally summary, body, administration, language, keywords, tags, synonyms, templates, topic and active"

// articles serves the answer bank editor API.
type articles struct {
	editor *answers.Editor
}

func articleID(c echo.Context) (int64, error) {
	if err := mayEditAnswers(c); err != nil {
		// Who may is said before what is wrong with the id.
		return 0, err
	}
	return pathID(c, "Article")
}

func (h *articles) list(c echo.Context) error {
	list, err := h.editor.List(c.Request().Context(), currentUser(c))
	if err != nil {
		return err
	}
	if list == nil {
		list = []*answers.Article{}
	}
	return c.JSON(http.StatusOK, ArticleList{Articles: list})
}

func (h *articles) get(c echo.Context) error {
	id, err := articleID(c)
	if err != nil {
		return err
	}
	a, history, err := h.editor.Get(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	if history == nil {
		history = []*answers.ArticleChange{}
	}
	return c.JSON(http.StatusOK, ArticleDetail{Article: a, History: history})
}

func (h *articles) create(c echo.Context) error {
	var a answers.Article
	if err := bindArticle(c, &a); err != nil {
		return err
	}
	out, err := h.editor.Create(c.Request().Context(), currentUser(c), &a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (h *articles) update(c echo.Context) error {
	id, err := articleID(c)
	if err != nil {
		return err
	}
	var a answers.Article
	if err := bindArticle(c, &a); err != nil {
		return err
	}
	a.ID = id
	out, err := h.editor.Update(c.Request().Context(), currentUser(c), &a)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *articles) remove(c echo.Context) error {
	id, err := articleID(c)
	if err != nil {
		return err
	}
	if err := h.editor.Delete(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// bindArticle reads an article body; the editor checks the user first,
// so a body is only judged for who may send one.
func bindArticle(c echo.Context, a *answers.Article) error {
	if err := mayEditAnswers(c); err != nil {
		return err
	}
	return bind(c, a, articleFields)
}

// mayEditAnswers refuses the answer bank's editor to all but supervisors
// and admins.
func mayEditAnswers(c echo.Context) error {
	if !answers.CanEditAnswers(currentUser(c)) {
		return inbox.Errorf(inbox.EFORBIDDEN, "Only supervisors and admins can edit the answer bank.")
	}
	return nil
}

// answerStats serves GET /api/v1/answers/stats[?since=RFC3339]
// [&min_score=x][&limit=n]: the most used articles and the questions with
// no good answer.
func answerStats(store answers.UseStore) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !answers.CanReadAnswerStats(currentUser(c)) {
			return inbox.Errorf(inbox.EFORBIDDEN, "Only supervisors and admins can see answer bank statistics.")
		}
		f, err := statsFilter(c)
		if err != nil {
			return err
		}
		st, err := store.ArticleStats(c.Request().Context(), f)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, st)
	}
}

func statsFilter(c echo.Context) (answers.StatsFilter, error) {
	f := answers.StatsFilter{MinScore: answers.DefaultMinScore, Limit: 20}
	if raw := c.QueryParam("since"); raw != "" {
		// A date or a time, as the conversation list's since.
		t, err := parseDate("since", raw, false)
		if err != nil {
			return f, err
		}
		f.Since = t
	}
	if raw := c.QueryParam("min_score"); raw != "" {
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return f, inbox.Errorf(inbox.EINVALID, "min_score must be a number of 0 or more.")
		}
		f.MinScore = v
	}
	if raw := c.QueryParam("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > answers.MaxLimit {
			return f, inbox.Errorf(inbox.EINVALID, "limit must be a whole number from 1 to %d.", answers.MaxLimit)
		}
		f.Limit = n
	}
	return f, nil
}
