package auth

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
)

// How a request authenticated.
const (
	viaBearer = "bearer"
	viaKey    = "apikey"
	viaCookie = "cookie"
)

// Guard is api.Options.Guard: it authenticates the request (bearer token, API
// key or session cookie), checks the CSRF token of cookie sessions on unsafe
// methods, asks casbin about (role, domain, object, action) and audits every
// non-GET request and every refusal.
func (s *Service) Guard(rt api.Route) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx := c.Request().Context()
			unsafe := !isSafe(c.Request().Method)
			p, via, csrf, err := s.authenticate(c)
			if err != nil {
				// Anonymous reads are not worth a row; bad credentials and writes are.
				if e, ok := errs.As(err); ok && e.Code == errs.Unauth && (unsafe || e.Reason != "no_credentials") {
					s.record(c, rt, nil, "", "unauthenticated", err)
				}
				return err
			}
			if via != viaKey {
				base := p
				if p, err = s.actAs(ctx, base, c.Request().Header.Get(api.ActAsHeader)); err != nil {
					if e, ok := errs.As(err); ok && e.Code == errs.Forbidden {
						s.record(c, rt, base, base.Ente, "denied", err)
					}
					return err
				}
			}
			api.SetPrincipal(c, p)
			if via == viaCookie {
				c.Set(api.CSRFKey, csrf)
				got := c.Request().Header.Get(api.CSRFHeader)
				if unsafe && subtle.ConstantTimeCompare([]byte(got), []byte(csrf)) != 1 {
					err := &errs.Error{Code: errs.Forbidden, Message: "missing or wrong CSRF token / token CSRF mancante o errato", Reason: "csrf"}
					s.record(c, rt, p, p.Ente, "denied", err)
					return err
				}
			}
			domain := p.Ente
			if rt.Domain != nil {
				if d := rt.Domain(c); d != "" {
					domain = d
				}
			}
			ok, reason, err := s.Authz.Decide(ctx, p, domain, rt.Perm)
			if err != nil {
				return err
			}
			if !ok {
				err := &errs.Error{Code: errs.Forbidden, Reason: reason,
					Message: "you may not " + rt.Perm.Action + " " + rt.Perm.Object + " here / operazione non consentita"}
				s.record(c, rt, p, domain, "denied", err)
				return err
			}
			err = next(c)
			if unsafe {
				outcome := "allowed"
				if err != nil {
					outcome = "failed"
				}
				s.record(c, rt, p, domain, outcome, err)
			}
			return err
		}
	}
}

func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

func (s *Service) authenticate(c echo.Context) (*api.Principal, string, string, error) {
	ctx := c.Request().Context()
	h := c.Request().Header
	if authz := h.Get(echo.HeaderAuthorization); authz != "" {
		scheme, tok, _ := strings.Cut(authz, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			return nil, "", "", &errs.Error{Code: errs.Unauth, Message: "use a Bearer token / usare un token Bearer", Reason: "invalid_token"}
		}
		p, err := s.OIDC.VerifyBearer(ctx, strings.TrimSpace(tok))
		return p, viaBearer, "", err
	}
	if key := h.Get(api.APIKeyHeader); key != "" {
		p, err := s.Keys.Authenticate(ctx, key)
		return p, viaKey, "", err
	}
	if ck, err := c.Cookie(api.SessionCookie); err == nil && ck.Value != "" {
		p, csrf, err := s.Sessions.Lookup(ctx, ck.Value)
		return p, viaCookie, csrf, err
	}
	return nil, "", "", &errs.Error{Code: errs.Unauth, Message: "sign in first / accesso richiesto", Reason: "no_credentials"}
}

// record appends an audit row; a failure to audit is logged, never shown.
func (s *Service) record(c echo.Context, rt api.Route, p *api.Principal, domain, outcome string, err error) {
	e := api.AuditEntry{Domain: domain, Action: rt.Perm.Action, Object: rt.Perm.Object, ObjectID: objectID(c),
		Method: c.Request().Method, Path: rt.Path, RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
		Address: c.RealIP(), Outcome: outcome, Status: statusOf(c, err)}
	if p != nil {
		e.Subject, e.Role, e.Ente = p.Subject, p.Role, p.Ente
	}
	if ee, ok := errs.As(err); ok {
		e.Reason = ee.Reason
	}
	if _, aerr := s.Trail.Append(c.Request().Context(), e); aerr != nil {
		s.log.Error("audit write failed", "err", aerr, "path", rt.Path, "outcome", outcome)
	}
}

// objectID is the last path parameter, the id of the object acted on.
func objectID(c echo.Context) string {
	vals := c.ParamValues()
	names := c.ParamNames()
	for i := len(names) - 1; i >= 0; i-- {
		if i < len(vals) && vals[i] != "" {
			return vals[i]
		}
	}
	return ""
}

func statusOf(c echo.Context, err error) int {
	if err == nil {
		if st := c.Response().Status; st != 0 {
			return st
		}
		return http.StatusOK
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code
	}
	return api.Status(errs.CodeOf(err))
}
