// Package embedded runs a Temporal server inside the sportello process, persisted
// in a SQLite file for the one-machine default (`sportello dev`) or in PostgreSQL
// through the server's own SQL plugin (`sportello temporal`, the production
// layout's Temporal as a process of its own).
//
// It is the only package that imports go.temporal.io/server, so that every other
// package and most test binaries stay small.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	tlog "go.temporal.io/server/common/log"
	"go.temporal.io/server/temporal"
)

// Config says where the embedded server keeps its state and listens.
type Config struct {
	// File is the SQLite database of the server; created with its schema on first start.
	// Ignored when Postgres is set.
	File string
	// Postgres, when set, is the URL of the PostgreSQL database of the server,
	// postgres://user:password@host:port/temporal?sslmode=disable; the databases
	// temporal and temporal_visibility are created with their schemas when missing.
	Postgres string
	// IP and Port of the frontend; Port 0 picks a free port. On PostgreSQL the
	// other services listen on Port+1..Port+3 and membership on Port-300..Port-297
	// (Temporal's own 7233/6933 pattern), so that a restarted server is the
	// cluster member its database remembers.
	IP   string
	Port int
	// Namespace is registered on start when missing.
	Namespace string
	// LogLevel of the server's own logger (debug, info, warn, error).
	LogLevel string
}

// Server is a running embedded Temporal server.
type Server struct {
	srv      temporal.Server
	hostPort string
}

// Start creates the schema on first use, registers the namespace and starts all
// four Temporal services in this process.
func Start(cfg Config) (*Server, error) {
	if cfg.File == "" && cfg.Postgres == "" {
		return nil, errors.New("embedded temporal: file or postgres is required")
	}
	if cfg.IP == "" {
		cfg.IP = "127.0.0.1"
	}
	if cfg.Namespace == "" {
		cfg.Namespace = "default"
	}
	if cfg.LogLevel == "" {
		cfg.LogLevel = "error"
	}
	var (
		ports []int
		store persistence
		err   error
	)
	if cfg.Postgres != "" {
		store, ports, err = postgresStore(cfg)
	} else {
		store, ports, err = sqliteStore(cfg)
	}
	if err != nil {
		return nil, err
	}

	hostPort := net.JoinHostPort(cfg.IP, strconv.Itoa(ports[0]))
	svc := func(grpc, membership int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: grpc, MembershipPort: membership, BindOnIP: cfg.IP}}
	}
	sc := &config.Config{
		Global: config.Global{
			Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: cfg.IP},
		},
		Persistence: config.Persistence{
			DefaultStore:     "default",
			VisibilityStore:  "visibility",
			NumHistoryShards: store.shards,
			DataStores: map[string]config.DataStore{
				"default": {SQL: store.main}, "visibility": {SQL: store.visibility},
			},
		},
		ClusterMetadata: &cluster.Config{
			FailoverVersionIncrement: 10,
			MasterClusterName:        "active",
			CurrentClusterName:       "active",
			ClusterInformation: map[string]cluster.ClusterInformation{
				"active": {Enabled: true, InitialFailoverVersion: 1, RPCAddress: hostPort},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services: map[string]config.Service{
			"frontend": svc(ports[0], ports[1]),
			"history":  svc(ports[2], ports[3]),
			"matching": svc(ports[4], ports[5]),
			"worker":   svc(ports[6], ports[7]),
		},
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
			History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
			Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
		}},
		PublicClient: config.PublicClient{HostPort: hostPort},
	}
	logger := tlog.NewZapLogger(tlog.BuildZapLogger(tlog.Config{Stdout: true, Level: cfg.LogLevel}))
	srv, err := temporal.NewServer(
		temporal.WithConfig(sc),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dynamicconfig.StaticClient{
			// One process, one machine: poll less, answer sooner.
			dynamicconfig.FrontendEnableUpdateWorkflowExecution.Key(): true,
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("embedded temporal: new server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("embedded temporal: start: %w", err)
	}
	return &Server{srv: srv, hostPort: hostPort}, nil
}

// persistence is where the server keeps its state.
type persistence struct {
	main, visibility *config.SQL
	// shards is fixed for the life of the database: Temporal cannot change it.
	shards int32
}

// HostPort is the frontend address for clients and workers.
func (s *Server) HostPort() string { return s.hostPort }

// Stop stops every service of the server.
func (s *Server) Stop() error { return s.srv.Stop() }

// WaitReady dials the frontend until it answers a health check or ctx ends.
func (s *Server) WaitReady(ctx context.Context, namespace string) error {
	for {
		c, err := client.Dial(client.Options{HostPort: s.hostPort, Namespace: namespace})
		if err == nil {
			_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
			c.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("embedded temporal not ready: %w", err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// freePorts returns n ports on ip: first (when not zero) then free ones.
func freePorts(ip string, first, n int) ([]int, error) {
	var ports []int
	if first != 0 {
		ports = append(ports, first)
	}
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for len(ports) < n {
		l, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
