package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/attachment"
)

// parseAttachments reads SPORTELLO_ATTACHMENTS: "db" (the default),
// "dir:<folder>" or "s3://bucket[/prefix]?endpoint=host:port" (where is the
// folder or the address).
func parseAttachments(s string) (kind, where string, err error) {
	switch {
	case s == "" || s == "db":
		return "db", "", nil
	case strings.HasPrefix(s, "dir:") && strings.TrimSpace(s[4:]) != "":
		return "dir", strings.TrimSpace(s[4:]), nil
	case strings.HasPrefix(s, "s3://"):
		if _, err := attachment.ParseS3(s); err != nil {
			return "", "", err
		}
		return "s3", s, nil
	}
	return "", "", fmt.Errorf("%q is not db, dir:<folder> nor s3://bucket?endpoint=host:port", s)
}

// attachments builds the attachment service on the configured storage and
// starts its sweeper, which deletes unclaimed uploads after a day.
func (a *app) attachments(ctx context.Context, d *domain) (*api.Attachments, error) {
	kind, dir, err := parseAttachments(a.cfg.Attachments)
	if err != nil {
		return nil, fmt.Errorf("setting SPORTELLO_ATTACHMENTS (--attachments): %v", err)
	}
	var blobs attachment.Blobs = attachment.DBBlobs{DB: a.db}
	switch kind {
	case "dir":
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(a.cfg.DataDir, dir)
		}
		blobs = attachment.DirBlobs{Dir: dir}
	case "s3":
		c, _ := attachment.ParseS3(dir)
		s3, err := attachment.NewS3Blobs(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("setting SPORTELLO_ATTACHMENTS (--attachments): %w", err)
		}
		blobs = s3
	}
	svc := &attachment.Service{DB: a.db, Blobs: blobs, Fields: d.modeler, Log: a.log.With("component", "attachments")}
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if n, err := svc.Sweep(ctx, attachment.Unclaimed); err != nil {
				svc.Log.Warn("sweep attachments", "err", err)
			} else if n > 0 {
				svc.Log.Info("expired attachments deleted", "count", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return &api.Attachments{Service: svc, Pratiche: d.pratica, Storage: kind}, nil
}
