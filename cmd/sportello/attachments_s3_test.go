package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// TestAttachmentsInS3 runs the real program with its attachments in an
// S3-compatible object storage (gofakes3 over real HTTP): the file a citizen
// uploads lands in the bucket under the prefix, and comes back on download;
// a bucket that does not exist stops the start with a clear message.
func TestAttachmentsInS3(t *testing.T) {
	be := s3mem.New()
	if err := be.CreateBucket("comune"); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(gofakes3.New(be).Server())
	defer ts.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "sportello")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "sportello-secret")
	host := strings.TrimPrefix(ts.URL, "http://")

	p := startDev(t, "--attachments", "s3://comune/allegati?endpoint="+host+"&tls=false")
	mario := p.token("mario.rossi")
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	code, a, e := p.upload(mario, "planimetria.pdf", "application/pdf", pdf)
	if code != http.StatusCreated {
		t.Fatalf("upload = %d %+v", code, e)
	}
	obj, err := be.GetObject("comune", "allegati/"+a.ID, nil)
	if err != nil {
		t.Fatalf("the file is not in the bucket: %v", err)
	}
	obj.Contents.Close()
	if obj.Size != int64(len(pdf)) {
		t.Errorf("object size %d, want %d", obj.Size, len(pdf))
	}
	code, got, _ := p.fetch("GET", "/api/attachments/"+a.ID+"?download=1", mario, "", nil)
	if code != http.StatusOK || !bytes.Equal(got, pdf) {
		t.Errorf("download = %d %q", code, got)
	}

	cmd := exec.Command(p.bin, "dev", "--data-dir", t.TempDir(), "--attachments", "s3://missing?endpoint="+host+"&tls=false",
		"--http-addr", fmt.Sprintf("127.0.0.1:%d", freePort(t)), "--temporal-address", fmt.Sprintf("127.0.0.1:%d", freePort(t)))
	b, err := cmd.CombinedOutput()
	out := string(b)
	if err == nil || !strings.Contains(out, "bucket missing does not exist") {
		t.Errorf("start with a missing bucket: %v\n%s", err, out)
	}
}
