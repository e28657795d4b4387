package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sportello/sportello/activities"
	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/email"
	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/pratica"
)

// startMailCatcher starts the local SMTP server sportello dev sends e-mail to
// when no SPORTELLO_SMTP_HOST is set; its inbox is served at /sim/mail/.
func (a *app) startMailCatcher() error {
	if a.cfg.SMTPHost != "" {
		return nil
	}
	c, err := email.NewCatcher().WithStateFile(filepath.Join(a.cfg.DataDir, "mail-sim.json"))
	if err != nil {
		return err
	}
	c.Log = a.log.With("component", "mail-catcher")
	addr, err := c.Listen(a.cfg.SimSMTPAddr)
	if err != nil {
		return fmt.Errorf("setting SPORTELLO_SIM_SMTP_ADDR (--sim-smtp-addr): %v", err)
	}
	a.catcher = c
	a.log.Info("mail catcher started", "smtp", addr)
	return nil
}

// mailConfig is the SMTP server e-mail goes to: the configured one, or in dev
// the local catcher (plain text on loopback). ok is false when there is none.
func (a *app) mailConfig() (cfg email.Config, ok bool) {
	c := a.cfg
	cfg = email.Config{Host: c.SMTPHost, Port: c.SMTPPort, User: c.SMTPUser, Password: c.SMTPPassword, From: c.SMTPFrom, TLS: c.SMTPTLS}
	if c.SMTPHost == "" {
		if a.catcher == nil {
			return cfg, false
		}
		host, port, _ := net.SplitHostPort(a.catcher.Addr())
		cfg.Host, cfg.TLS, cfg.User, cfg.Password = host, email.TLSNone, "", ""
		cfg.Port, _ = strconv.Atoi(port)
	}
	return cfg, true
}

// messages routes each notify step's message by its channel: App IO, or
// e-mail through the configured SMTP server. Without one, an email step fails
// with email_not_configured instead of being dropped.
func (a *app) messages() activities.MessageRouter {
	d := a.domain()
	m := &email.Messenger{Intents: email.NewStore(a.db, nil), Log: a.log.With("component", "email")}
	if cfg, ok := a.mailConfig(); ok {
		cl, err := email.NewClient(cfg)
		if err != nil {
			// The settings were checked at start-up; only the catcher's address can be wrong here.
			a.log.Error("e-mail client", "err", err)
		} else {
			m.Sender = cl
		}
	}
	return activities.MessageRouter{"appio": &appio.Messenger{Activities: d.io}, "email": m}
}

// emailExtra adds a pratica's e-mails (recipient, subject, status) to its detail,
// beside its App IO messages.
func (a *app) emailExtra() api.PraticaExtra {
	st := email.NewStore(a.db, nil)
	return func(ctx context.Context, p *pratica.Pratica) (string, any, error) {
		out, err := st.ByPratica(ctx, p.ID)
		return "emails", out, err
	}
}

// validateSMTP checks the SMTP settings when a server is set; without one, dev
// uses its catcher and nothing is checked.
func (c *Config) validateSMTP() error {
	if c.SMTPHost == "" {
		return nil
	}
	mc := email.Config{Host: c.SMTPHost, Port: c.SMTPPort, User: c.SMTPUser, Password: c.SMTPPassword, From: c.SMTPFrom, TLS: c.SMTPTLS}
	err := mc.Check()
	if err == nil {
		return nil
	}
	// Check names the field as smtp.<name>: say which setting that is.
	if e, ok := errs.As(err); ok && len(e.Fields) > 0 {
		name := strings.TrimPrefix(e.Fields[0].Field, "smtp.")
		return fmt.Errorf("setting SPORTELLO_SMTP_%s (--smtp-%s): %s", strings.ToUpper(name), name, e.Fields[0].Message)
	}
	return fmt.Errorf("setting SPORTELLO_SMTP_HOST (--smtp-host): %v", err)
}
