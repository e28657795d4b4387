package pagopa

import (
	"context"
	"maps"
	"sync"

	"go.temporal.io/sdk/activity"
)

// bulkFiles remembers, by group, the massive upload files one activity
// attempt has sent, seeded with those of the attempt before it: an activity
// that sends several groups (one per intermediary, each its own GPD) records
// them all in its heartbeat, so a retry after a crash resumes each group's
// file instead of the last one's or a new upload.
type bulkFiles struct {
	mu    sync.Mutex
	files map[string]string // group → file id
}

type bulkFilesKey struct{}
type bulkGroupKey struct{}

// WithBulkFiles returns a context under which the massive upload files of
// several groups (see WithBulkGroup) are recorded together in the activity's
// heartbeat (BulkProgress.Files), starting from those the previous attempt
// recorded.
func WithBulkFiles(ctx context.Context) context.Context {
	if _, ok := ctx.Value(bulkFilesKey{}).(*bulkFiles); ok {
		return ctx
	}
	f := &bulkFiles{files: map[string]string{}}
	if last, ok := lastProgress(ctx); ok {
		maps.Copy(f.files, last.Files)
	}
	return context.WithValue(ctx, bulkFilesKey{}, f)
}

// WithBulkGroup returns a context whose massive uploads belong to group (an
// intermediary's id; "" is the ente's own): BulkCreate resumes the file the
// previous attempt heartbeated for that group only.
func WithBulkGroup(ctx context.Context, group string) context.Context {
	return context.WithValue(ctx, bulkGroupKey{}, group)
}

func bulkGroup(ctx context.Context) string {
	g, _ := ctx.Value(bulkGroupKey{}).(string)
	return g
}

// lastProgress is the heartbeat the previous attempt of ctx's activity recorded.
func lastProgress(ctx context.Context) (BulkProgress, bool) {
	var last BulkProgress
	if !activity.IsActivity(ctx) || !activity.HasHeartbeatDetails(ctx) {
		return last, false
	}
	if err := activity.GetHeartbeatDetails(ctx, &last); err != nil {
		return last, false
	}
	return last, true
}

// resumeFile is the file id the previous attempt heartbeated for ctx's
// group. A heartbeat without Files (recorded before groups existed) was the
// ente's own intermediary's.
func resumeFile(ctx context.Context) string {
	last, ok := lastProgress(ctx)
	if !ok {
		return ""
	}
	if last.Files == nil {
		if bulkGroup(ctx) == "" {
			return last.FileID
		}
		return ""
	}
	return last.Files[bulkGroup(ctx)]
}

// bulkFilesOf records fileID as ctx's group's file and returns every file
// the activity has sent so far, by group.
func bulkFilesOf(ctx context.Context, fileID string) map[string]string {
	f, ok := ctx.Value(bulkFilesKey{}).(*bulkFiles)
	if !ok {
		return map[string]string{bulkGroup(ctx): fileID}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[bulkGroup(ctx)] = fileID
	return maps.Clone(f.files)
}
