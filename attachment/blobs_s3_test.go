package attachment_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"

	"github.com/sportello/sportello/attachment"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store/storetest"
)

// s3Server is an S3-compatible object storage over real HTTP (gofakes3, in
// memory) with one bucket; the client signs its requests as against AWS.
func s3Server(t *testing.T, bucket string) string {
	t.Helper()
	be := s3mem.New()
	if err := be.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(gofakes3.New(be).Server())
	t.Cleanup(ts.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "sportello")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "sportello-secret")
	return strings.TrimPrefix(ts.URL, "http://")
}

// TestS3Blobs keeps attachments in an S3 bucket under a prefix: upload,
// content, a changed object refused, a missing one not found, delete twice.
func TestS3Blobs(t *testing.T) {
	ctx := context.Background()
	host := s3Server(t, "enti")
	cfg, err := attachment.ParseS3("s3://enti/sportello/allegati?endpoint=" + host + "&tls=false&region=eu-south-1")
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := attachment.NewS3Blobs(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := newService(t, storetest.SQLite(t), blobs)
	a, _, err := s.Upload(ctx, attachment.Upload{Owner: "RSSMRA80A01L424F", Name: "planimetria.pdf", Content: pdf})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Content(ctx, a)
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("content = %q, %v", got, err)
	}
	info, err := blobs.Client.StatObject(ctx, "enti", "sportello/allegati/"+a.ID, minio.StatObjectOptions{})
	if err != nil || info.Size != int64(len(pdf)) {
		t.Fatalf("the object is not under the prefix: %+v %v", info, err)
	}
	// Someone changes the object behind our back, keeping the old metadata.
	if _, err := blobs.Client.PutObject(ctx, "enti", "sportello/allegati/"+a.ID, bytes.NewReader([]byte("%PDF-changed")), 12,
		minio.PutObjectOptions{UserMetadata: map[string]string{"Sha256": attachment.Sum(pdf)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Content(ctx, a); errs.CodeOf(err) != errs.Internal {
		t.Errorf("changed object = %v, want internal", err)
	}
	if err := blobs.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := blobs.Delete(ctx, a.ID); err != nil {
		t.Errorf("second delete: %v", err)
	}
	if _, err := blobs.Get(ctx, a.ID); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("deleted object = %v, want not found", err)
	}
	if _, err := blobs.Get(ctx, "../x"); err == nil {
		t.Error("a key with a path was read")
	}
	if _, err := attachment.NewS3Blobs(ctx, attachment.S3Config{Endpoint: host, Bucket: "missing"}); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing bucket: %v", err)
	}
}

// TestParseS3 reads the storage address and refuses credentials in it.
func TestParseS3(t *testing.T) {
	c, err := attachment.ParseS3("s3://b?region=eu-south-1")
	if err != nil || c.Endpoint != "s3.amazonaws.com" || !c.TLS || c.Prefix != "" || c.Region != "eu-south-1" {
		t.Errorf("defaults: %+v %v", c, err)
	}
	for _, bad := range []string{"s3://key:secret@b", "http://b", "s3://", "s3://b?acl=public"} {
		if _, err := attachment.ParseS3(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
