package email

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/store/statelog"
)

// WithStateFile keeps the caught messages in path across restarts: it loads
// path and the write-ahead log beside it (path + ".log", package statelog)
// now, replacing what c holds, folds them into a new snapshot, and from then
// on appends each message to the log before answering, so a message costs
// its own size, not the inbox's, and what the catcher accepted survives a
// kill -9. A missing file is an empty inbox; a corrupt one is an error.
func (c *Catcher) WithStateFile(path string) (*Catcher, error) {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("mail catcher: read state: %w", err)
	}
	var msgs []Caught
	if err == nil {
		if err := json.Unmarshal(data, &msgs); err != nil {
			return nil, fmt.Errorf("mail catcher: state file %s: %w", path, err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.log != nil {
		c.log.Close()
		c.log = nil
	}
	c.file, c.messages = path, msgs
	if !statelog.Exists(path) {
		return c, nil
	}
	seen := make(map[string]bool, len(msgs))
	for _, m := range msgs {
		seen[m.ID] = true
	}
	err = statelog.Replay(path, func(line []byte) error {
		var m Caught
		if err := json.Unmarshal(line, &m); err != nil {
			return err
		}
		if !seen[m.ID] {
			seen[m.ID] = true
			c.messages = append(c.messages, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mail catcher: %w", err)
	}
	if err := c.compactLocked(); err != nil {
		return nil, err
	}
	return c, nil
}

// logLocked appends m to the state log, if there is a state file, before
// the caller answers; c.mu must be held. Should the log fail, the whole
// inbox is saved as a snapshot instead; an error means neither worked.
func (c *Catcher) logLocked(m Caught) error {
	if c.file == "" {
		return nil
	}
	if c.log == nil {
		l, err := statelog.Open(c.file, c.logger())
		if err != nil {
			c.logger().Error("mail catcher: open log", "file", c.file, "err", err)
			return c.compactLocked()
		}
		c.log = l
	}
	if err := c.log.Append(&m); err != nil {
		c.logger().Error("mail catcher: log message", "err", err)
		return c.compactLocked()
	}
	if c.log.Due() {
		if err := c.compactLocked(); err != nil {
			c.logger().Error("mail catcher: compact log", "err", err) // the message is in the log
		}
	}
	return nil
}

// compactLocked writes the whole inbox as a new snapshot (temp file, then
// rename) and removes the log; c.mu must be held. Should it stop between the
// two, the log replays over the snapshot; messages already there (by id)
// are not added twice.
func (c *Catcher) compactLocked() error {
	if c.file == "" {
		return nil
	}
	msgs := c.messages
	if msgs == nil {
		msgs = []Caught{}
	}
	data, err := json.Marshal(msgs)
	if err == nil {
		err = store.WriteFileAtomic(c.file, data, 0o600)
	}
	if err != nil {
		return fmt.Errorf("mail catcher: save state %s: %w", c.file, err)
	}
	if c.log != nil {
		c.log.Close()
		c.log = nil
	}
	if err := statelog.Remove(c.file); err != nil {
		return fmt.Errorf("mail catcher: %w", err)
	}
	return nil
}

// closeLog folds an open state log into the snapshot, as on a clean stop.
func (c *Catcher) closeLog() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.log == nil {
		return nil
	}
	return c.compactLocked()
}
