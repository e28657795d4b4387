package sim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"time"

	"github.com/sportello/sportello/store"
)

// The state file is a snapshot plus a write-ahead log beside it (StateFile
// + ".log"): each change appends one JSON line holding the whole record it
// touched (a position, a payment, an upload), written to the file before the
// simulator answers, so what it acknowledged survives a kill -9. Changes cost
// the size of what changed, not of the whole state; the log is synced to
// disk at most every walSyncEvery and folded into a new snapshot when it
// outgrows it, and at every start.
const (
	walSyncEvery  = 200 * time.Millisecond
	walMinCompact = 8 << 20
)

// change is one line of the log: an upsert of a position, a payment (by
// receipt id) or an upload, or the removal of a position.
type change struct {
	Position *storedPosition `json:"position,omitempty"`
	Removed  *removed        `json:"removed,omitempty"`
	Payment  *Payment        `json:"payment,omitempty"`
	Upload   *upload         `json:"upload,omitempty"`
}

type removed struct {
	Org  string `json:"org"`
	IUPD string `json:"iupd"`
}

// wal is the open log of a simulator with a state file.
type wal struct {
	f        *os.File
	size     int64 // bytes in the log
	snapshot int64 // bytes of the last snapshot
	dirty    bool  // written since the last sync
	buf      bytes.Buffer
}

func (s *Simulator) walPath() string { return s.cfg.StateFile + ".log" }

// replay applies the log left by the last run over the snapshot just read.
// A torn last line (a write cut short) is dropped: it was never acknowledged.
func (s *Simulator) replay() error {
	f, err := os.Open(s.walPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("pagopa sim: read log: %w", err)
	}
	defer f.Close()
	byReceipt := make(map[string]int, len(s.payments))
	for i, p := range s.payments {
		byReceipt[p.ReceiptID] = i
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	line := 0
	var bad error
	for sc.Scan() {
		line++
		if bad != nil {
			return bad // a bad line that was not the last one
		}
		var c change
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			bad = fmt.Errorf("pagopa sim: log %s line %d: %w", s.walPath(), line, err)
			continue
		}
		s.apply(&c, byReceipt)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("pagopa sim: read log %s: %w", s.walPath(), err)
	}
	return nil
}

func (s *Simulator) apply(c *change, byReceipt map[string]int) {
	if sp := c.Position; sp != nil && sp.Position != nil {
		k := key{sp.Org, sp.Position.IUPD}
		if old, ok := s.positions[k]; ok {
			s.dropLocked(sp.Org, old)
		}
		s.positions[k] = sp.Position
		for _, o := range sp.Position.PaymentOption {
			s.navs[sp.Org+"/"+o.NAV] = k
		}
	}
	if r := c.Removed; r != nil {
		if old, ok := s.positions[key{r.Org, r.IUPD}]; ok {
			s.dropLocked(r.Org, old)
		}
	}
	if p := c.Payment; p != nil {
		if i, ok := byReceipt[p.ReceiptID]; ok {
			s.payments[i] = p
		} else {
			byReceipt[p.ReceiptID] = len(s.payments)
			s.payments = append(s.payments, p)
		}
	}
	if u := c.Upload; u != nil && u.ID != "" {
		s.uploads[u.ID] = u
	}
}

// logPositionLocked logs the position of org and iupd as it is now, or its removal.
func (s *Simulator) logPositionLocked(org, iupd string) {
	if p, ok := s.positions[key{org, iupd}]; ok {
		s.logLocked(change{Position: &storedPosition{Org: org, Position: p}})
	} else {
		s.logLocked(change{Removed: &removed{Org: org, IUPD: iupd}})
	}
}

// logLocked appends changes to the log and writes them out before the
// caller answers; s.mu must be held. Without a state file it does nothing.
// A failure is logged and the next change retries with a full snapshot.
func (s *Simulator) logLocked(cs ...change) {
	if s.cfg.StateFile == "" {
		return
	}
	if s.wal == nil {
		if err := s.openWAL(); err != nil {
			s.cfg.Log.Error("pagopa sim: open log", "file", s.walPath(), "err", err)
			s.compactLocked()
			return
		}
	}
	w := s.wal
	w.buf.Reset()
	enc := json.NewEncoder(&w.buf)
	for i := range cs {
		if err := enc.Encode(&cs[i]); err != nil {
			s.cfg.Log.Error("pagopa sim: encode change", "err", err)
			return
		}
	}
	n, err := w.f.Write(w.buf.Bytes())
	w.size += int64(n)
	w.dirty = true
	if err != nil {
		s.cfg.Log.Error("pagopa sim: append to log", "file", s.walPath(), "err", err)
		s.compactLocked()
		return
	}
	if w.size > max(2*w.snapshot, walMinCompact) {
		s.compactLocked()
	}
}

func (s *Simulator) openWAL() error {
	f, err := os.OpenFile(s.walPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	s.wal = &wal{f: f, size: st.Size()}
	if snap, err := os.Stat(s.cfg.StateFile); err == nil {
		s.wal.snapshot = snap.Size()
	}
	go s.syncLoop(s.wal)
	return nil
}

// syncLoop syncs the log to disk at most every walSyncEvery while it is open.
func (s *Simulator) syncLoop(w *wal) {
	t := time.NewTicker(walSyncEvery)
	defer t.Stop()
	for range t.C {
		s.mu.Lock()
		if s.wal != w {
			s.mu.Unlock()
			return
		}
		if w.dirty {
			w.dirty = false
			if err := w.f.Sync(); err != nil {
				s.cfg.Log.Error("pagopa sim: sync log", "file", s.walPath(), "err", err)
			}
		}
		s.mu.Unlock()
	}
}

// compactLocked writes the whole state as a new snapshot and removes the
// log; s.mu must be held. Should it stop between the two, the log replays
// over the new snapshot to the same state, every line being an upsert.
func (s *Simulator) compactLocked() {
	if s.cfg.StateFile == "" {
		return
	}
	if err := s.writeSnapshotLocked(); err != nil {
		s.cfg.Log.Error("pagopa sim: save state", "file", s.cfg.StateFile, "err", err)
		return
	}
	if s.wal != nil {
		s.wal.f.Close()
		s.wal = nil
	}
	if err := os.Remove(s.walPath()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.cfg.Log.Error("pagopa sim: remove log", "file", s.walPath(), "err", err)
	}
}

// writeSnapshotLocked writes the state file (temp file, then rename).
func (s *Simulator) writeSnapshotLocked() error {
	st := state{Positions: make([]storedPosition, 0, len(s.positions)), Payments: s.payments}
	for k, p := range s.positions {
		st.Positions = append(st.Positions, storedPosition{Org: k.org, Position: p})
	}
	sort.Slice(st.Positions, func(i, j int) bool {
		a, b := st.Positions[i], st.Positions[j]
		return a.Org < b.Org || a.Org == b.Org && a.Position.IUPD < b.Position.IUPD
	})
	if st.Payments == nil {
		st.Payments = []*Payment{}
	}
	st.Uploads = s.sortedUploadsLocked()
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return store.WriteFileAtomic(s.cfg.StateFile, data, 0o600)
}

// Close syncs and closes the log of the state file, if open.
func (s *Simulator) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wal == nil {
		return nil
	}
	err := errors.Join(s.wal.f.Sync(), s.wal.f.Close())
	s.wal = nil
	return err
}
