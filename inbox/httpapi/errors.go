package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"inkorg/inbox"
)

// statusByCode maps domain error codes to HTTP statuses: the one place
// where they meet.
var statusByCode = map[string]int{
	inbox.EINVALID:      http.StatusBadRequest,
	inbox.EUNAUTHORIZED: http.StatusUnauthorized,
	inbox.EFORBIDDEN:    http.StatusForbidden,
	inbox.ENOTFOUND:     http.StatusNotFound,
	inbox.ECONFLICT:     http.StatusConflict,
	inbox.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	inbox.EUNAVAILABLE:  http.StatusServiceUnavailable,
	inbox.EINTERNAL:     http.StatusInternalServerError,
}

// codeByStatus maps statuses echo produces itself (unknown route, wrong
// method) back to domain codes.
var codeByStatus = map[int]string{
	http.StatusBadRequest:            inbox.EINVALID,
	http.StatusUnauthorized:          inbox.EUNAUTHORIZED,
	http.StatusForbidden:             inbox.EFORBIDDEN,
	http.StatusNotFound:              inbox.ENOTFOUND,
	http.StatusMethodNotAllowed:      inbox.EINVALID,
	http.StatusRequestEntityTooLarge: inbox.ETOOLARGE,
}

// ErrorResponse is the JSON body of every error.
type ErrorResponse struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody carries a neutral code and a message safe to show a user.
type ErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// HeldBy names the user who holds a conversation when another user's
	// action on it was refused with 409.
	HeldBy *inbox.HeldError `json:"held_by,omitempty"`
}

// svStatusText is the Swedish for the statuses echo answers itself.
var svStatusText = map[int]string{
	http.StatusBadRequest:            "Felaktig begäran.",
	http.StatusUnauthorized:          "Inte inloggad.",
	http.StatusForbidden:             "Åtkomst nekad.",
	http.StatusNotFound:              "Adressen finns inte.",
	http.StatusMethodNotAllowed:      "Metoden går inte att använda här.",
	http.StatusRequestEntityTooLarge: "Anropet är för stort.",
}

// statusMessage is the message for a status echo answers itself (an
// unknown route, a wrong method), in Swedish and then English.
func statusMessage(status int) string {
	sv, ok := svStatusText[status]
	if !ok {
		sv = "Något gick fel."
	}
	return sv + " / " + http.StatusText(status) + "."
}

// internalMessage is all a client is told of an internal error.
const internalMessage = "Internt fel. / Internal error."

func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msg := inbox.ErrorCode(err), inbox.ErrorMessage(err)
	var he *echo.HTTPError
	if errors.As(err, &he) {
		code = codeByStatus[he.Code]
		if code == "" {
			code = inbox.EINTERNAL
		}
		msg = statusMessage(he.Code)
	}
	status, ok := statusByCode[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == inbox.EINTERNAL {
		// What went wrong inside goes to the log, not to the client.
		msg = internalMessage
	}
	if he != nil && he.Code == http.StatusMethodNotAllowed {
		// A route that exists, asked with a method it does not take:
		// 405, with the Allow header echo sets, not a bad request.
		status = http.StatusMethodNotAllowed
	}
	if status >= 500 {
		s.logger.Error("request failed", slog.String("path", c.Path()), slog.String("code", code), slog.Any("err", err))
	}
	if code == inbox.EUNAUTHORIZED {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="inkorg"`)
	}
	if err := c.JSON(status, ErrorResponse{Error: ErrorBody{Code: code, Message: msg, HeldBy: inbox.HolderOf(err)}}); err != nil {
		s.logger.Warn("write error response", slog.Any("err", err))
	}
}
