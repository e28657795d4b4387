package embedded

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.temporal.io/server/common/config"
	sqliteplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/sqlite"
	"go.temporal.io/server/schema/sqlite"
)

// sqliteStore creates the SQLite file with its schema on first start and
// registers the namespace; one file holds executions and visibility.
func sqliteStore(cfg Config) (persistence, []int, error) {
	if err := os.MkdirAll(filepath.Dir(cfg.File), 0o755); err != nil {
		return persistence{}, nil, fmt.Errorf("embedded temporal: %w", err)
	}
	if err := forgetMembers(cfg.File); err != nil {
		return persistence{}, nil, err
	}
	ports, err := memberPorts(cfg.File+".ports", cfg.IP, cfg.Port, 8)
	if err != nil {
		return persistence{}, nil, fmt.Errorf("embedded temporal: %w", err)
	}
	sqlCfg := &config.SQL{
		PluginName:   sqliteplugin.PluginName,
		DatabaseName: cfg.File,
		// WAL with synchronous=NORMAL survives a killed process: only an OS crash
		// can lose the last transactions.
		ConnectAttributes: map[string]string{"mode": "rwc", "_journal_mode": "wal", "_synchronous": "normal"},
	}
	if _, err := os.Stat(cfg.File); errors.Is(err, os.ErrNotExist) {
		if err := sqlite.SetupSchema(sqlCfg); err != nil {
			return persistence{}, nil, fmt.Errorf("embedded temporal: set up schema in %s: %w", cfg.File, err)
		}
	}
	ns, err := sqlite.NewNamespaceConfig("active", cfg.Namespace, false, nil)
	if err != nil {
		return persistence{}, nil, fmt.Errorf("embedded temporal: namespace %s: %w", cfg.Namespace, err)
	}
	if err := sqlite.CreateNamespaces(sqlCfg, ns); err != nil {
		return persistence{}, nil, fmt.Errorf("embedded temporal: create namespace %s: %w", cfg.Namespace, err)
	}
	return persistence{main: sqlCfg, visibility: sqlCfg, shards: 1}, ports, nil
}
