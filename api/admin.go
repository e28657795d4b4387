package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/errs"
)

// Admin is the access-control module: browser login and logout, the caller's
// identity, API keys of an ente, and the audit log.
type Admin struct {
	access Access
	// secure marks cookies Secure; false only for plain-http development.
	secure bool
}

// NewAdmin returns the module; secureCookies is false only when serving plain
// http outside localhost in development.
func NewAdmin(access Access, secureCookies bool) *Admin {
	return &Admin{access: access, secure: secureCookies}
}

// ParamDomain takes the request's domain (an ente id) from a path parameter.
func ParamDomain(name string) func(echo.Context) string {
	return func(c echo.Context) string { return c.Param(name) }
}

// Me is the answer of GET /api/me.
type Me struct {
	Principal
	// CSRFToken must be sent back in X-CSRF-Token on unsafe requests of a cookie session.
	CSRFToken string `json:"csrfToken,omitempty"`
}

// Routes registers the module's routes.
func (a *Admin) Routes(r *Router) {
	r.Handle(Route{Method: http.MethodGet, Path: "/auth/login", Perm: Public, Tag: "access",
		Summary: "Sign in: redirects to the identity provider (SPID, CIE, eIDAS) / Accedi"}, a.login)
	r.Handle(Route{Method: http.MethodGet, Path: "/auth/callback", Perm: Public, Tag: "access",
		Summary: "Identity provider callback: opens the session / Ritorno dal fornitore di identità"}, a.callback)
	r.Handle(Route{Method: http.MethodPost, Path: "/auth/logout", Perm: Authenticated, Tag: "access",
		Summary: "Sign out / Esci"}, a.logout)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/me", Perm: Authenticated, Tag: "access",
		Summary: "Who am I / Utente corrente", Response: Me{}}, a.me)
	keys := func(action string) Perm { return Perm{Object: "apikey", Action: action} }
	r.Handle(Route{Method: http.MethodGet, Path: "/api/enti/:ente/apikeys", Perm: keys("read"), Tag: "access",
		Summary: "API keys of an ente / Chiavi API dell'ente", Response: []APIKey{}, Domain: ParamDomain("ente")}, a.listKeys)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/enti/:ente/apikeys", Perm: keys("create"), Tag: "access",
		Summary: "Create an API key (the secret is shown once) / Crea una chiave API", Request: NewAPIKey{},
		Response: CreatedAPIKey{}, Domain: ParamDomain("ente")}, a.createKey)
	r.Handle(Route{Method: http.MethodDelete, Path: "/api/enti/:ente/apikeys/:id", Perm: keys("delete"), Tag: "access",
		Summary: "Revoke an API key / Revoca una chiave API", Domain: ParamDomain("ente")}, a.revokeKey)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/audit", Perm: Perm{Object: "audit", Action: "read"}, Tag: "access",
		Summary: "Audit log (?ente=&subject=&after=&limit=) / Registro di audit", Response: []AuditEntry{},
		Domain: func(c echo.Context) string { return c.QueryParam("ente") }}, a.audit)
	pol := func(action string) Perm { return Perm{Object: "policy", Action: action} }
	r.Handle(Route{Method: http.MethodGet, Path: "/api/policies", Perm: pol("read"), Tag: "access",
		Summary: "Authorization rules and grants / Regole di autorizzazione", Response: []PolicyRule{}}, a.policies)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/policies", Perm: pol("create"), Tag: "access",
		Summary: "Add a rule or a grant; every server reloads / Aggiungi una regola", Request: PolicyRule{}}, a.addRule)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/policies/remove", Perm: pol("delete"), Tag: "access",
		Summary: "Remove a rule or a grant / Rimuovi una regola", Request: PolicyRule{}}, a.removeRule)
	a.roleRoutes(r)
}

func (a *Admin) policies(c echo.Context) error {
	rules, err := a.access.Policies(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rules)
}

func (a *Admin) addRule(c echo.Context) error {
	var in PolicyRule
	if err := BindStrict(c, &in); err != nil {
		return err
	}
	if err := a.access.AddRule(c.Request().Context(), in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *Admin) removeRule(c echo.Context) error {
	var in PolicyRule
	if err := BindStrict(c, &in); err != nil {
		return err
	}
	if err := a.access.RemoveRule(c.Request().Context(), in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// signIn records a sign-in attempt; the guard does not see public routes.
func (a *Admin) signIn(c echo.Context, p *Principal, outcome string, status int, err error) {
	e := AuditEntry{Action: "login", Object: "session", Method: c.Request().Method, Path: c.Path(),
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID), Address: c.RealIP(), Outcome: outcome, Status: status}
	if p != nil {
		e.Subject, e.Role, e.Ente, e.Domain = p.Subject, p.Role, p.Ente, p.Ente
	}
	if ee, ok := errs.As(err); ok {
		e.Reason = ee.Reason
	}
	a.access.Record(c.Request().Context(), e)
}

func (a *Admin) cookie(name, value string, expires time.Time, httpOnly bool) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", Expires: expires, HttpOnly: httpOnly,
		Secure: a.secure, SameSite: http.SameSiteLaxMode}
}

func (a *Admin) login(c echo.Context) error {
	to, state, err := a.access.LoginStart(c.Request().Context(), c.QueryParam("return"))
	if err != nil {
		return err
	}
	c.SetCookie(a.cookie(LoginCookie, state, time.Now().Add(10*time.Minute), true))
	return c.Redirect(http.StatusFound, to)
}

func (a *Admin) callback(c echo.Context) error {
	ses, to, err := a.finish(c)
	if err != nil {
		a.signIn(c, nil, "unauthenticated", http.StatusUnauthorized, err)
		return err
	}
	a.signIn(c, &ses.Principal, "allowed", http.StatusFound, nil)
	c.SetCookie(a.cookie(LoginCookie, "", time.Unix(0, 0), true))
	c.SetCookie(a.cookie(SessionCookie, ses.Token, ses.Expires, true))
	return c.Redirect(http.StatusFound, to)
}

func (a *Admin) finish(c echo.Context) (Session, string, error) {
	if e := c.QueryParam("error"); e != "" {
		return Session{}, "", &errs.Error{Code: errs.Unauth, Message: "sign-in was not completed / accesso non completato", Reason: "provider_" + e}
	}
	state := c.QueryParam("state")
	ck, err := c.Cookie(LoginCookie)
	if err != nil || state == "" || ck.Value != state {
		return Session{}, "", &errs.Error{Code: errs.Unauth, Message: "sign-in started in another browser, try again / accesso avviato altrove, riprova", Reason: "state"}
	}
	return a.access.LoginFinish(c.Request().Context(), state, c.QueryParam("code"))
}

func (a *Admin) logout(c echo.Context) error {
	if ck, err := c.Cookie(SessionCookie); err == nil && ck.Value != "" {
		if err := a.access.Logout(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	c.SetCookie(a.cookie(SessionCookie, "", time.Unix(0, 0), true))
	return c.NoContent(http.StatusNoContent)
}

func (a *Admin) me(c echo.Context) error {
	p := PrincipalOf(c)
	me := Me{Principal: *p}
	me.CSRFToken, _ = c.Get(CSRFKey).(string)
	return c.JSON(http.StatusOK, me)
}

func (a *Admin) listKeys(c echo.Context) error {
	keys, err := a.access.ListKeys(c.Request().Context(), c.Param("ente"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, keys)
}

func (a *Admin) createKey(c echo.Context) error {
	var in NewAPIKey
	if err := BindStrict(c, &in); err != nil {
		return err
	}
	k, err := a.access.CreateKey(c.Request().Context(), PrincipalOf(c), c.Param("ente"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, k)
}

func (a *Admin) revokeKey(c echo.Context) error {
	if err := a.access.RevokeKey(c.Request().Context(), c.Param("ente"), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (a *Admin) audit(c echo.Context) error {
	p := PrincipalOf(c)
	f := AuditFilter{Domain: c.QueryParam("ente"), Subject: c.QueryParam("subject")}
	// Only the region reads across enti; everyone else reads their own ente.
	if p.Role != RoleRegionalAdmin {
		f.Domain = p.Ente
	}
	var err error
	if s := c.QueryParam("after"); s != "" {
		if f.After, err = strconv.ParseInt(s, 10, 64); err != nil || f.After < 0 {
			return errs.Field("after", "must be a sequence number / deve essere un numero di sequenza")
		}
	}
	if s := c.QueryParam("limit"); s != "" {
		if f.Limit, err = strconv.Atoi(s); err != nil || f.Limit < 1 || f.Limit > 1000 {
			return errs.Field("limit", "must be between 1 and 1000 / deve essere tra 1 e 1000")
		}
	}
	rows, err := a.access.Audit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rows)
}
