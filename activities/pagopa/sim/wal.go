package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/sportello/sportello/store"
	"github.com/sportello/sportello/store/statelog"
)

// The state file is a snapshot plus a write-ahead log beside it (package
// statelog): each change appends one JSON line holding the whole record it
// touched (a position, a payment, an upload), written before the simulator
// answers, so what it acknowledged survives a kill -9.

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

// replay applies the log left by the last run over the snapshot just read.
// A torn last line (a write cut short) is dropped: it was never acknowledged.
func (s *Simulator) replay() error {
	byReceipt := make(map[string]int, len(s.payments))
	for i, p := range s.payments {
		byReceipt[p.ReceiptID] = i
	}
	err := statelog.Replay(s.cfg.StateFile, func(line []byte) error {
		var c change
		if err := json.Unmarshal(line, &c); err != nil {
			return err
		}
		s.apply(&c, byReceipt)
		return nil
	})
	if err != nil {
		return fmt.Errorf("pagopa sim: %w", err)
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
// A failure is logged and the state is saved as a full snapshot instead.
func (s *Simulator) logLocked(cs ...change) {
	if s.cfg.StateFile == "" {
		return
	}
	if s.wal == nil {
		w, err := statelog.Open(s.cfg.StateFile, s.cfg.Log)
		if err != nil {
			s.cfg.Log.Error("pagopa sim: open log", "file", s.cfg.StateFile, "err", err)
			s.compactLocked()
			return
		}
		s.wal = w
	}
	vs := make([]any, len(cs))
	for i := range cs {
		vs[i] = &cs[i]
	}
	if err := s.wal.Append(vs...); err != nil {
		s.cfg.Log.Error("pagopa sim: log change", "err", err)
		s.compactLocked()
		return
	}
	if s.wal.Due() {
		s.compactLocked()
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
		s.wal.Close()
		s.wal = nil
	}
	if err := statelog.Remove(s.cfg.StateFile); err != nil {
		s.cfg.Log.Error("pagopa sim: remove log", "file", s.cfg.StateFile, "err", err)
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

// Close folds the log of the state file, if open, into the state file (a
// new snapshot) and removes it, as on a clean stop.
func (s *Simulator) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wal == nil {
		return nil
	}
	snapErr := s.writeSnapshotLocked()
	err := s.wal.Close()
	s.wal = nil
	if snapErr != nil { // the log stays, synced, for the next start
		return errors.Join(fmt.Errorf("pagopa sim: save state %s: %w", s.cfg.StateFile, snapErr), err)
	}
	return errors.Join(err, statelog.Remove(s.cfg.StateFile))
}
