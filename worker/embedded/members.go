package embedded

import (
	"database/sql"
	"fmt"
	"os"

	_ "modernc.org/sqlite" // the driver the server's SQLite plugin uses
)

// forgetMembers removes the cluster members a previous run recorded in file.
// One process owns the file and its server is not running yet, so every member
// listed is dead; left there, members on other ports than this run's would own
// the history shard and the task queues until they expire, about a minute in
// which nothing moves (memberPorts avoids that when the ports can be reused).
func forgetMembers(file string) error {
	if _, err := os.Stat(file); err != nil {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("embedded temporal: open %s: %w", file, err)
	}
	defer db.Close()
	if _, err := db.Exec("DELETE FROM cluster_membership"); err != nil {
		return fmt.Errorf("embedded temporal: forget the members of the last run: %w", err)
	}
	return nil
}
