package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the maintenance connection: lock and CREATE DATABASE
	"go.temporal.io/server/common/config"
	tlog "go.temporal.io/server/common/log"
	pgplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/schema/sqlite"
	"go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"
)

// schemaLock is the PostgreSQL advisory lock key that serialises the schema
// set-up of Temporal servers starting at once on the same cluster ("tempsetu").
const schemaLock = 0x74656d7073657475

// postgresDBs is where a Temporal server on PostgreSQL keeps its state: the
// main database, named in the URL (default temporal), and its visibility
// database, the same name with _visibility, the layout of the server's own
// schema tools.
type postgresDBs struct {
	main, visibility *config.SQL
	// admins are the URLs the set-up connects to for its lock and CREATE
	// DATABASE: the maintenance database postgres, else (a managed service may
	// refuse it) the main database itself, which must then exist.
	admins []string
}

// parsePostgres reads postgres://user:password@host:port/temporal?sslmode=disable.
// Query parameters are passed to every connection.
func parsePostgres(raw string) (*postgresDBs, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL (postgres://user:password@host:port/temporal?sslmode=disable)")
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, fmt.Errorf("scheme %q is not postgres", u.Scheme)
	}
	host := u.Host
	if host == "" {
		return nil, errors.New("host is missing")
	}
	if _, _, err := net.SplitHostPort(host); err != nil {
		host = net.JoinHostPort(u.Hostname(), "5432")
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		name = "temporal"
	}
	if strings.ContainsAny(name, `/"`) {
		return nil, fmt.Errorf("database name %q is not a plain name", name)
	}
	attrs := map[string]string{}
	for k, vs := range u.Query() {
		if len(vs) > 0 {
			attrs[k] = vs[len(vs)-1]
		}
	}
	pass, _ := u.User.Password()
	db := func(n string) *config.SQL {
		a := make(map[string]string, len(attrs))
		for k, v := range attrs {
			a[k] = v
		}
		return &config.SQL{
			PluginName: pgplugin.PluginNamePGX, DatabaseName: n, ConnectAddr: host,
			ConnectProtocol: "tcp", User: u.User.Username(), Password: pass, ConnectAttributes: a,
			MaxConns: 20, MaxIdleConns: 20,
		}
	}
	var admins []string
	for _, n := range []string{"postgres", name} {
		a := *u
		a.Path = "/" + n
		admins = append(admins, a.String())
	}
	return &postgresDBs{main: db(name), visibility: db(name + "_visibility"), admins: admins}, nil
}

// prepare creates the two databases when missing, brings their schemas to the
// versions this server needs with the server's own schema tasks, and registers
// the namespace. An advisory lock held on the maintenance database makes
// servers starting at once take turns: the second finds everything done.
func (p *postgresDBs) prepare(ctx context.Context, namespace string) error {
	conn, closeConn, err := p.adminConn(ctx)
	if err != nil {
		return err
	}
	defer closeConn()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", int64(schemaLock)); err != nil {
		return fmt.Errorf("take the schema lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", int64(schemaLock))

	logger := tlog.NewNoopLogger()
	for _, s := range []struct {
		db     *config.SQL
		schema string
	}{{p.main, "postgresql/v12/temporal"}, {p.visibility, "postgresql/v12/visibility"}} {
		var exists bool
		if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", s.db.DatabaseName).Scan(&exists); err != nil {
			return fmt.Errorf("look up database %s: %w", s.db.DatabaseName, err)
		}
		if !exists {
			if _, err := conn.ExecContext(ctx, `CREATE DATABASE "`+s.db.DatabaseName+`"`); err != nil {
				return fmt.Errorf("create database %s: %w", s.db.DatabaseName, err)
			}
		}
		tc, err := sqltool.NewConnection(s.db, logger)
		if err != nil {
			return fmt.Errorf("connect to %s: %w", s.db.DatabaseName, err)
		}
		// Version 0.0 then every versioned step: what temporal-sql-tool
		// setup-schema -v 0.0 and update-schema do; both skip what is done.
		err = schema.NewSetupSchemaTask(tc, &schema.SetupConfig{InitialVersion: "0.0"}, logger).Run()
		if err == nil {
			err = schema.NewUpdateSchemaTask(tc, &schema.UpdateConfig{SchemaName: s.schema}, logger).Run()
		}
		tc.Close()
		if err != nil {
			return fmt.Errorf("schema of %s: %w", s.db.DatabaseName, err)
		}
	}
	// The server's helper writes the namespace row through the SQL plugin it
	// is given, PostgreSQL as well as SQLite; an existing namespace is kept.
	ns, err := sqlite.NewNamespaceConfig("active", namespace, false, nil)
	if err != nil {
		return fmt.Errorf("namespace %s: %w", namespace, err)
	}
	if err := sqlite.CreateNamespaces(p.main, ns); err != nil {
		return fmt.Errorf("create namespace %s: %w", namespace, err)
	}
	return nil
}

// postgresStore prepares the PostgreSQL databases (see postgresDBs.prepare).
func postgresStore(cfg Config) (persistence, []int, error) {
	dbs, err := parsePostgres(cfg.Postgres)
	if err != nil {
		return persistence{}, nil, fmt.Errorf("embedded temporal: postgres URL: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := dbs.prepare(ctx, cfg.Namespace); err != nil {
		return persistence{}, nil, fmt.Errorf("embedded temporal: postgres %s: %w", dbs.main.ConnectAddr, err)
	}
	port := cfg.Port
	if port == 0 {
		if port, err = lowFreePort(cfg.IP); err != nil {
			return persistence{}, nil, fmt.Errorf("embedded temporal: %w", err)
		}
	}
	if port-300 < 1 || port-300+3 > maxMembershipPort {
		return persistence{}, nil, fmt.Errorf("embedded temporal: port %d: on PostgreSQL the membership ports (port-300 .. port-297) must lie between 1 and %d, which its schema stores as smallint", port, maxMembershipPort)
	}
	var ports []int
	for i := range 4 {
		ports = append(ports, port+i, port-300+i)
	}
	return persistence{main: dbs.main, visibility: dbs.visibility, shards: postgresShards}, ports, nil
}

// postgresShards is the history shard count of a server on PostgreSQL: each
// shard is a unit of serialised writes, so more than one lets a few cores
// work at once; a new database is needed to change it.
const postgresShards = 4

// adminConn connects to the first of the admin databases that answers; close
// ends the connection and its pool.
func (p *postgresDBs) adminConn(ctx context.Context) (*sql.Conn, func(), error) {
	var errs []error
	for _, a := range p.admins {
		db, err := sql.Open("pgx", a)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		conn, err := db.Conn(ctx)
		if err == nil {
			if err = conn.PingContext(ctx); err == nil {
				return conn, func() { conn.Close(); db.Close() }, nil
			}
			conn.Close()
		}
		errs = append(errs, err)
		db.Close()
	}
	return nil, nil, fmt.Errorf("connect to database postgres or %s: %w", p.main.DatabaseName, errors.Join(errs...))
}

// maxMembershipPort is the largest port Temporal's PostgreSQL schema can
// record for a cluster member (cluster_membership.rpc_port is a smallint).
const maxMembershipPort = 32767

// lowFreePort finds a frontend port whose three next ports and membership
// ports (300 below) are free and low enough for the membership table; the
// kernel's own free ports are above 32767 on Linux.
func lowFreePort(ip string) (int, error) {
	for range 200 {
		p := 10300 + rand.IntN(maxMembershipPort-10300-3)
		ports := []int{p, p + 1, p + 2, p + 3, p - 300, p - 299, p - 298, p - 297}
		if allFree(ip, ports) {
			return p, nil
		}
	}
	return 0, errors.New("no free ports below 32768 for the Temporal services")
}
