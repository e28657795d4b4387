// Package statelog is the write-ahead log of a simulator's state file: a
// snapshot (the state file) plus a log beside it (path + ".log") of JSON
// lines, one per change, each written before the simulator answers, so what
// it acknowledged survives a kill -9 while a change costs the size of what
// changed, not of the whole state. The log is synced to disk at most every
// SyncEvery; its owner folds it into a new snapshot when Due says so, and at
// every start (Replay, then a snapshot, then Remove).
package statelog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"
)

// SyncEvery is how often at most an open log is synced to disk.
const SyncEvery = 200 * time.Millisecond

// MinCompact is the log size under which Due never asks for a new snapshot.
const MinCompact = 8 << 20

// Path is the log beside the state file stateFile.
func Path(stateFile string) string { return stateFile + ".log" }

// Due reports whether a log of logSize bytes has outgrown the snapshot of
// snapshotSize bytes and should be folded into a new one.
func Due(logSize, snapshotSize int64) bool {
	return logSize > max(2*snapshotSize, MinCompact)
}

// Exists reports whether the state file stateFile has a log left by a run.
func Exists(stateFile string) bool {
	_, err := os.Stat(Path(stateFile))
	return err == nil
}

// Replay calls apply with each line of the log of stateFile, in order; a
// missing log replays nothing. A torn last line (a write cut short, never
// acknowledged) is dropped; a line that apply refuses before the last one
// is an error naming the file and the line.
func Replay(stateFile string, apply func(line []byte) error) error {
	path := Path(stateFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read log: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	line := 0
	var bad error
	for sc.Scan() {
		line++
		if bad != nil {
			return bad // a bad line that was not the last one
		}
		if err := apply(sc.Bytes()); err != nil {
			bad = fmt.Errorf("log %s line %d: %w", path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read log %s: %w", path, err)
	}
	return nil
}

// Remove deletes the log of stateFile, once folded into a snapshot; a
// missing log is not an error.
func Remove(stateFile string) error {
	if err := os.Remove(Path(stateFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove log: %w", err)
	}
	return nil
}

// Log is an open log, appended to by one owner and synced in the background.
type Log struct {
	mu       sync.Mutex
	path     string
	f        *os.File
	size     int64 // bytes in the log
	snapshot int64 // bytes of the snapshot when the log was opened
	dirty    bool  // written since the last sync
	buf      bytes.Buffer
	stop     chan struct{}
	log      *slog.Logger
}

// Open opens the log of stateFile for appending and starts syncing it; a
// sync failure is logged to log (slog.Default when nil).
func Open(stateFile string, log *slog.Logger) (*Log, error) {
	if log == nil {
		log = slog.Default()
	}
	path := Path(stateFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open log: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open log: %w", err)
	}
	l := &Log{path: path, f: f, size: st.Size(), stop: make(chan struct{}), log: log}
	if snap, err := os.Stat(stateFile); err == nil {
		l.snapshot = snap.Size()
	}
	go l.syncLoop()
	return l, nil
}

// Append writes each of vs as one JSON line, all in one write, before it
// returns; the bytes reach the kernel (so survive the process), the disk
// within SyncEvery.
func (l *Log) Append(vs ...any) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return fmt.Errorf("append to log %s: closed", l.path)
	}
	l.buf.Reset()
	enc := json.NewEncoder(&l.buf)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			return fmt.Errorf("encode change: %w", err)
		}
	}
	n, err := l.f.Write(l.buf.Bytes())
	l.size += int64(n)
	l.dirty = true
	if err != nil {
		return fmt.Errorf("append to log %s: %w", l.path, err)
	}
	return nil
}

// Due reports whether the log has outgrown its snapshot (see Due).
func (l *Log) Due() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return Due(l.size, l.snapshot)
}

func (l *Log) syncLoop() {
	t := time.NewTicker(SyncEvery)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		l.mu.Lock()
		if l.dirty {
			l.dirty = false
			if err := l.f.Sync(); err != nil {
				l.log.Error("sync state log", "file", l.path, "err", err)
			}
		}
		l.mu.Unlock()
	}
}

// Close syncs and closes the log and stops its syncing.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	close(l.stop)
	err := errors.Join(l.f.Sync(), l.f.Close())
	l.f = nil
	return err
}
