package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/api"
)

// Config is every setting of every subcommand. Each field is a flag and a
// SPORTELLO_* environment variable; the flag wins over the variable, the variable
// over the default. Fields marked secret are never logged.
type Config struct {
	DataDir   string `flag:"data-dir" env:"SPORTELLO_DATA_DIR" default:"./data" usage:"folder of the embedded default's SQLite files (dev)"`
	HTTPAddr  string `flag:"http-addr" env:"SPORTELLO_HTTP_ADDR" default:":8080" usage:"address the HTTP server (API, UI, simulators) listens on"`
	PublicURL string `flag:"public-url" env:"SPORTELLO_PUBLIC_URL" default:"" usage:"URL citizens reach this server at (default http://localhost<http-addr port>)"`
	// TrustedProxies are the only peers whose X-Forwarded-For is believed.
	TrustedProxies string `flag:"trusted-proxies" env:"SPORTELLO_TRUSTED_PROXIES" default:"" usage:"comma-separated CIDRs of the reverse proxies whose X-Forwarded-For is believed (default none: the peer address counts)"`

	DBDriver string `flag:"db-driver" env:"SPORTELLO_DB_DRIVER" default:"sqlite" usage:"application database: sqlite or postgres"`
	DBDSN    string `flag:"db-dsn" env:"SPORTELLO_DB_DSN" default:"" usage:"database DSN: a file path for sqlite (default <data-dir>/sportello.db), a URL or key=value string for postgres" secret:"true"`

	TemporalAddress    string `flag:"temporal-address" env:"SPORTELLO_TEMPORAL_ADDRESS" default:"127.0.0.1:7233" usage:"Temporal frontend host:port (dev: where the embedded server listens)"`
	TemporalNamespace  string `flag:"temporal-namespace" env:"SPORTELLO_TEMPORAL_NAMESPACE" default:"sportello" usage:"Temporal namespace"`
	TemporalTaskQueue  string `flag:"temporal-task-queue" env:"SPORTELLO_TEMPORAL_TASK_QUEUE" default:"sportello" usage:"task queue of the pratiche workers"`
	TemporalTLS        bool   `flag:"temporal-tls" env:"SPORTELLO_TEMPORAL_TLS" default:"false" usage:"connect to Temporal over TLS"`
	TemporalTLSCert    string `flag:"temporal-tls-cert" env:"SPORTELLO_TEMPORAL_TLS_CERT" default:"" usage:"client certificate file (mTLS)"`
	TemporalTLSKey     string `flag:"temporal-tls-key" env:"SPORTELLO_TEMPORAL_TLS_KEY" default:"" usage:"client key file (mTLS)" secret:"true"`
	TemporalTLSCA      string `flag:"temporal-tls-ca" env:"SPORTELLO_TEMPORAL_TLS_CA" default:"" usage:"CA bundle that signed the Temporal server certificate"`
	TemporalServerName string `flag:"temporal-tls-server-name" env:"SPORTELLO_TEMPORAL_TLS_SERVER_NAME" default:"" usage:"server name expected in the Temporal certificate"`
	// TemporalDB puts the embedded Temporal server (dev, temporal) on PostgreSQL.
	TemporalDB string `flag:"temporal-db" env:"SPORTELLO_TEMPORAL_DB" default:"" usage:"dev, temporal: PostgreSQL URL of the embedded Temporal server, e.g. postgres://user:pw@host:5432/temporal?sslmode=disable; databases <name> and <name>_visibility are created with their schemas when missing (default: SQLite file <data-dir>/temporal.db)" secret:"true"`

	WorkerActivities int `flag:"worker-activities" env:"SPORTELLO_WORKER_ACTIVITIES" default:"50" usage:"activities a worker runs at once"`
	WorkerWorkflows  int `flag:"worker-workflows" env:"SPORTELLO_WORKER_WORKFLOWS" default:"50" usage:"workflow tasks a worker runs at once"`

	OIDCIssuer       string `flag:"oidc-issuer" env:"SPORTELLO_OIDC_ISSUER" default:"" usage:"OIDC issuer of the identity broker (dev: the local provider at <public-url>/idp)"`
	OIDCClientID     string `flag:"oidc-client-id" env:"SPORTELLO_OIDC_CLIENT_ID" default:"sportello" usage:"OIDC client id of this application"`
	OIDCClientSecret string `flag:"oidc-client-secret" env:"SPORTELLO_OIDC_CLIENT_SECRET" default:"" usage:"OIDC client secret" secret:"true"`
	// OIDCRoleClaims trusts the broker's role, ente and office claims; staff
	// roles otherwise come only from the role assignments in the database.
	OIDCRoleClaims bool `flag:"oidc-role-claims" env:"SPORTELLO_OIDC_ROLE_CLAIMS" default:"false" usage:"trust the role, ente and office claims of the broker's tokens (dev: always, for its own provider); otherwise staff roles come from the role assignments"`
	// RegionalAdmins bootstraps the region's administrators under a broker
	// that asserts no roles: somebody has to grant the first assignment.
	RegionalAdmins string `flag:"regional-admins" env:"SPORTELLO_REGIONAL_ADMINS" default:"" usage:"comma-separated codici fiscali (or eIDAS identifiers) given the regional-admin role at start, if they do not hold it"`
	SessionKey     string `flag:"session-key" env:"SPORTELLO_SESSION_KEY" default:"" usage:"key that signs session cookies (dev: generated and kept in <data-dir>)" secret:"true"`

	PagoPAURL     string        `flag:"pagopa-url" env:"SPORTELLO_PAGOPA_URL" default:"" usage:"GPD API base URL of the pagoPA intermediary (dev: the simulator at <public-url>/sim/pagopa)"`
	PagoPAKey     string        `flag:"pagopa-key" env:"SPORTELLO_PAGOPA_KEY" default:"" usage:"subscription key of the GPD API" secret:"true"`
	PagoPABulkURL string        `flag:"pagopa-bulk-url" env:"SPORTELLO_PAGOPA_BULK_URL" default:"" usage:"GPD massive upload API base URL, before /brokers (dev: the simulator at <public-url>/sim/pagopa)"`
	PagoPABroker  string        `flag:"pagopa-broker" env:"SPORTELLO_PAGOPA_BROKER" default:"15376371009" usage:"broker code (the intermediary's fiscal code) of the GPD massive upload API"`
	FdrURL        string        `flag:"fdr-url" env:"SPORTELLO_FDR_URL" default:"" usage:"FdR API for organisations base URL, polled every hour for new flows (dev: the simulator at <public-url>/sim/reporting/fdr)"`
	FdrKey        string        `flag:"fdr-key" env:"SPORTELLO_FDR_KEY" default:"" usage:"subscription key of the FdR API" secret:"true"`
	AppIOURL      string        `flag:"appio-url" env:"SPORTELLO_APPIO_URL" default:"" usage:"App IO API base URL (dev: the simulator at <public-url>/sim/appio)"`
	SMTPHost      string        `flag:"smtp-host" env:"SPORTELLO_SMTP_HOST" default:"" usage:"SMTP server of e-mail notify steps (dev: a local mail catcher, inbox at <public-url>/sim/mail)"`
	SMTPPort      int           `flag:"smtp-port" env:"SPORTELLO_SMTP_PORT" default:"587" usage:"SMTP server port"`
	SMTPUser      string        `flag:"smtp-user" env:"SPORTELLO_SMTP_USER" default:"" usage:"SMTP user (empty: no authentication)"`
	SMTPPassword  string        `flag:"smtp-password" env:"SPORTELLO_SMTP_PASSWORD" default:"" usage:"SMTP password" secret:"true"`
	SMTPFrom      string        `flag:"smtp-from" env:"SPORTELLO_SMTP_FROM" default:"Sportello <noreply@localhost>" usage:"sender of e-mail messages"`
	SMTPTLS       string        `flag:"smtp-tls" env:"SPORTELLO_SMTP_TLS" default:"starttls" usage:"SMTP encryption: starttls, opportunistic, tls (implicit, port 465) or none"`
	SimSMTPAddr   string        `flag:"sim-smtp-addr" env:"SPORTELLO_SIM_SMTP_ADDR" default:"127.0.0.1:0" usage:"dev: address of the local mail catcher's SMTP server (port 0: any free port)"`
	SimFaults     string        `flag:"sim-pagopa-faults" env:"SPORTELLO_SIM_PAGOPA_FAULTS" default:"" usage:"dev: faults of the pagoPA simulator, e.g. delay=500ms,error-rate=0.2,duplicate-receipts"`
	Demo          bool          `flag:"demo" env:"SPORTELLO_DEMO" default:"true" usage:"load the demo data on first start (dev)"`
	DemoRoll      int           `flag:"demo-roll" env:"SPORTELLO_DEMO_ROLL" default:"0" usage:"dev: households of a deterministic TARI roll for Trieste (Mario Rossi included) issued in the background at start, e.g. 3000; 0: none"`
	LogLevel      string        `flag:"log-level" env:"SPORTELLO_LOG_LEVEL" default:"info" usage:"debug, info, warn or error"`
	LogFormat     string        `flag:"log-format" env:"SPORTELLO_LOG_FORMAT" default:"text" usage:"text or json"`
	ShutdownGrace time.Duration `flag:"shutdown-grace" env:"SPORTELLO_SHUTDOWN_GRACE" default:"10s" usage:"how long in-flight work may take to finish on stop"`

	// Attachments is where uploaded files are kept.
	Attachments string `flag:"attachments" env:"SPORTELLO_ATTACHMENTS" default:"db" usage:"where attachment content is kept: db (the application database), dir:<folder> (relative to data-dir unless absolute) or s3://bucket[/prefix]?endpoint=host:port[&region=r][&tls=false] (S3-compatible object storage; credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"`
}

// settings describes each field of Config through its tags.
type setting struct {
	field                 reflect.StructField
	flag, env, def, usage string
	secret                bool
}

func settings() []setting {
	t := reflect.TypeOf(Config{})
	out := make([]setting, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		out = append(out, setting{field: f, flag: f.Tag.Get("flag"), env: f.Tag.Get("env"),
			def: f.Tag.Get("default"), usage: f.Tag.Get("usage"), secret: f.Tag.Get("secret") == "true"})
	}
	return out
}

// parseConfig fills a Config from defaults, then SPORTELLO_* variables, then args.
// Every bad value is an error that names the setting.
func parseConfig(cmd string, args []string, getenv func(string) string) (*Config, error) {
	cfg := &Config{}
	v := reflect.ValueOf(cfg).Elem()
	fs := flag.NewFlagSet("sportello "+cmd, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	for _, s := range settings() {
		val := s.def
		if e := getenv(s.env); e != "" {
			val = e
		}
		fv := v.FieldByIndex(s.field.Index)
		if err := set(fv, val); err != nil {
			return nil, fmt.Errorf("setting %s: %q is not a valid %s", s.env, val, kind(fv))
		}
		fs.Var(flagValue{fv}, s.flag, s.usage+" ("+s.env+")")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("flags: %w", err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("flags: unexpected argument %q", fs.Arg(0))
	}
	return cfg, cfg.validate()
}

func (c *Config) validate() error {
	switch c.DBDriver {
	case "sqlite", "postgres":
	default:
		return fmt.Errorf("setting SPORTELLO_DB_DRIVER (--db-driver): %q is not one of sqlite, postgres", c.DBDriver)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("setting SPORTELLO_LOG_FORMAT (--log-format): %q is not one of text, json", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("setting SPORTELLO_LOG_LEVEL (--log-level): %q is not one of debug, info, warn, error", c.LogLevel)
	}
	if c.WorkerActivities < 1 || c.WorkerWorkflows < 1 {
		return errors.New("setting SPORTELLO_WORKER_ACTIVITIES / SPORTELLO_WORKER_WORKFLOWS: must be at least 1")
	}
	if _, _, err := splitHostPort(c.TemporalAddress); err != nil {
		return fmt.Errorf("setting SPORTELLO_TEMPORAL_ADDRESS (--temporal-address): %q is not host:port", c.TemporalAddress)
	}
	if c.DemoRoll < 0 || c.DemoRoll > 110000 {
		return errors.New("setting SPORTELLO_DEMO_ROLL (--demo-roll): must be 0 to 110000 households")
	}
	if _, err := parseFaults(c.SimFaults); err != nil {
		return fmt.Errorf("setting SPORTELLO_SIM_PAGOPA_FAULTS (--sim-pagopa-faults): %v", err)
	}
	if _, _, err := parseAttachments(c.Attachments); err != nil {
		return fmt.Errorf("setting SPORTELLO_ATTACHMENTS (--attachments): %v", err)
	}
	if _, err := api.ParseCIDRs(c.TrustedProxies); err != nil {
		return fmt.Errorf("setting SPORTELLO_TRUSTED_PROXIES (--trusted-proxies): %v", err)
	}
	if _, err := regionalAdmins(c.RegionalAdmins); err != nil {
		return fmt.Errorf("setting SPORTELLO_REGIONAL_ADMINS (--regional-admins): %v", err)
	}
	if _, _, err := splitHostPort(c.HTTPAddr); err != nil {
		return fmt.Errorf("setting SPORTELLO_HTTP_ADDR (--http-addr): %q is not [host]:port", c.HTTPAddr)
	}
	if err := validTemporalDB(c.TemporalDB); err != nil {
		return fmt.Errorf("setting SPORTELLO_TEMPORAL_DB (--temporal-db): %v", err)
	}
	return c.validateSMTP()
}

// Redacted lists the settings for the start-up log, secrets hidden.
func (c *Config) Redacted() []any {
	v := reflect.ValueOf(c).Elem()
	var out []any
	for _, s := range settings() {
		val := fmt.Sprint(v.FieldByIndex(s.field.Index).Interface())
		if s.secret && val != "" {
			val = "(set)"
		}
		out = append(out, s.flag, val)
	}
	return out
}

type flagValue struct{ v reflect.Value }

func (f flagValue) String() string {
	if !f.v.IsValid() {
		return ""
	}
	return fmt.Sprint(f.v.Interface())
}

func (f flagValue) Set(s string) error {
	if err := set(f.v, s); err != nil {
		return fmt.Errorf("not a valid %s", kind(f.v))
	}
	return nil
}

func (f flagValue) IsBoolFlag() bool { return f.v.IsValid() && f.v.Kind() == reflect.Bool }

var durationType = reflect.TypeOf(time.Duration(0))

func set(v reflect.Value, s string) error {
	if v.Type() == durationType {
		d, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case reflect.Int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return err
		}
		v.SetInt(int64(n))
	default:
		return fmt.Errorf("unsupported kind %s", v.Kind())
	}
	return nil
}

func kind(v reflect.Value) string {
	if v.Type() == durationType {
		return "duration (e.g. 10s)"
	}
	switch v.Kind() {
	case reflect.Bool:
		return "boolean (true or false)"
	case reflect.Int:
		return "whole number"
	}
	return "value"
}

func splitHostPort(a string) (string, int, error) {
	i := strings.LastIndex(a, ":")
	if i < 0 {
		return "", 0, errors.New("no port")
	}
	p, err := strconv.Atoi(a[i+1:])
	if err != nil || p < 0 || p > 65535 {
		return "", 0, errors.New("bad port")
	}
	return a[:i], p, nil
}

// faults are the configurable misbehaviours of the pagoPA simulator.
type faults struct {
	Delay      time.Duration
	ErrorRate  float64
	RejectRate float64
	Duplicates bool
	// Bulk are the faults of the GPD massive upload API.
	Bulk pagosim.BulkFaults
}

// parseFaults reads "delay=500ms,error-rate=0.2,reject-rate=0.1,duplicate-receipts".
func parseFaults(s string) (faults, error) {
	var f faults
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		var err error
		switch k {
		case "delay":
			f.Delay, err = time.ParseDuration(v)
		case "error-rate":
			f.ErrorRate, err = strconv.ParseFloat(v, 64)
			if err == nil && (f.ErrorRate < 0 || f.ErrorRate > 1) {
				err = errors.New("must be between 0 and 1")
			}
		case "reject-rate":
			f.RejectRate, err = strconv.ParseFloat(v, 64)
			if err == nil && (f.RejectRate < 0 || f.RejectRate > 1) {
				err = errors.New("must be between 0 and 1")
			}
		case "duplicate-receipts":
			f.Duplicates = true
		case "bulk-status-faults", "bulk-in-progress", "bulk-report-missing", "bulk-upload-lost", "bulk-refuse-every":
			err = f.parseBulk(k, v)
		default:
			return f, fmt.Errorf("%q is not one of delay=<duration>, error-rate=<0..1>, reject-rate=<0..1>, duplicate-receipts, "+
				"bulk-status-faults=<n>, bulk-in-progress=<n>, bulk-report-missing=<n>, bulk-upload-lost=<n>, bulk-refuse-every=<n>", k)
		}
		if err != nil {
			return f, fmt.Errorf("%s: %v", k, err)
		}
	}
	return f, nil
}
