package attachment_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/attachment"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/pratica"
	"github.com/sportello/sportello/store/storetest"
)

// Small real files of each accepted type: the magic numbers are what counts.
var (
	pdf  = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	jpeg = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9")
	// A DER ContentInfo whose contentType is signedData, as a CAdES .p7m starts.
	p7m = []byte{0x30, 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80}
)

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"pdf", pdf, attachment.PDF},
		{"png", png, attachment.PNG},
		{"jpeg", jpeg, attachment.JPEG},
		{"p7m", p7m, attachment.P7M},
		{"p7m indefinite length", append([]byte{0x30, 0x80}, p7m[4:]...), attachment.P7M},
		{"other DER", []byte{0x30, 0x82, 0x01, 0x00, 0x06, 0x03, 0x55, 0x04, 0x03}, "application/octet-stream"},
		{"html", []byte("<html><script>alert(1)</script>"), "text/html"},
		{"text", []byte("just words"), "text/plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := attachment.Sniff(tc.content); got != tc.want {
				t.Errorf("Sniff = %q, want %q", got, tc.want)
			}
		})
	}
}

// fields is the start form of the test template: one PDF up to 100 bytes, and a list of images.
type fields struct{}

func (fields) StartAttachmentFields(context.Context, string, int) ([]modeler.AttachmentField, error) {
	fs, bad := modeler.AttachmentFields(json.RawMessage(`{"type":"object","properties":{
		"domanda":{"type":"string","format":"attachment","x-accept":["application/pdf"],"x-maxSize":100},
		"foto":{"type":"array","items":{"type":"string","format":"attachment","x-accept":["image/png","image/jpeg"]}}}}`), nil)
	if len(bad) > 0 {
		panic(bad)
	}
	return fs, nil
}

func newService(t *testing.T, db *gorm.DB, blobs attachment.Blobs) *attachment.Service {
	if blobs == nil {
		blobs = attachment.DBBlobs{DB: db}
	}
	return &attachment.Service{DB: db, Blobs: blobs, Fields: fields{}}
}

func fieldsOf(err error) []string {
	e, ok := errs.As(err)
	if !ok {
		return []string{"not an errs.Error: " + err.Error()}
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestUploadChecksContent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := newService(t, db, nil)
		for _, tc := range []struct {
			name, typ string
			content   []byte
			want      string // the message part that must be there
		}{
			{"html as pdf", "application/pdf", []byte("<html></html>"), "text/html"},
			{"png declared pdf", "application/pdf", png, "declared application/pdf"},
			{"empty", "application/pdf", nil, "empty"},
		} {
			_, _, err := s.Upload(ctx, attachment.Upload{Owner: "RSSMRA80A01L424F", Name: "x", Type: tc.typ, Field: "/domanda", Content: tc.content})
			if errs.CodeOf(err) != errs.Invalid || !cmp.Equal(fieldsOf(err), []string{"/domanda"}) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: err = %v, want invalid naming /domanda with %q", tc.name, err, tc.want)
			}
		}
		a, created, err := s.Upload(ctx, attachment.Upload{Owner: "RSSMRA80A01L424F", Name: `C:\scans\"carta".pdf`, Type: "", Content: pdf})
		if err != nil || !created || a.MediaType != attachment.PDF || a.Name != "carta.pdf" || a.Size != int64(len(pdf)) {
			t.Fatalf("upload = %+v %v %v", a, created, err)
		}
		again, created, err := s.Upload(ctx, attachment.Upload{Owner: "RSSMRA80A01L424F", Name: `C:\scans\"carta".pdf`, Type: "application/pdf", Content: pdf})
		if err != nil || created || again.ID != a.ID {
			t.Errorf("a retried upload = %+v created %v %v, want the same attachment", again, created, err)
		}
		other, created, err := s.Upload(ctx, attachment.Upload{Owner: "BNCGLI85C55L424K", Name: "carta.pdf", Content: pdf})
		if err != nil || !created || other.ID == a.ID {
			t.Errorf("another citizen's same file = %+v %v %v, want a new attachment", other, created, err)
		}
		b, err := s.Content(ctx, a)
		if err != nil || string(b) != string(pdf) {
			t.Errorf("content = %q %v", b, err)
		}
	})
}

func TestClaimChecksFieldsAndOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := newService(t, db, nil)
		mario, giulia := "RSSMRA80A01L424F", "BNCGLI85C55L424K"
		up := func(owner string, content []byte) string {
			a, _, err := s.Upload(ctx, attachment.Upload{Owner: owner, Name: "f", Content: content})
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		doc, img, big, giulias := up(mario, pdf), up(mario, png), up(mario, append(append([]byte{}, pdf...), make([]byte, 100)...)), up(giulia, jpeg)
		claim := func(owner, pid string, data map[string]any) ([]string, error) {
			return s.Claim(ctx, attachment.Claim{Owner: owner, PraticaID: pid, Template: "t", Version: 1, Data: data})
		}
		_, err := claim(mario, "p1", map[string]any{"domanda": img, "foto": []any{doc, giulias, big}})
		want := []string{"/domanda", "/foto/0", "/foto/1", "/foto/2"}
		if got := fieldsOf(err); !cmp.Equal(got, want) {
			t.Errorf("wrong types and another's file: fields %v, want %v (%v)", got, want, err)
		}
		_, err = claim(mario, "p1", map[string]any{"domanda": big})
		if got := fieldsOf(err); !cmp.Equal(got, []string{"/domanda"}) || !strings.Contains(err.Error(), "bytes") {
			t.Errorf("a file over x-maxSize: %v", err)
		}
		got, err := claim(mario, "p1", map[string]any{"domanda": doc, "foto": []any{img}})
		if err != nil || !cmp.Equal(got, []string{doc, img}) {
			t.Fatalf("claim = %v %v", got, err)
		}
		if got, err := claim(mario, "p1", map[string]any{"domanda": doc}); err != nil || len(got) != 0 {
			t.Errorf("claiming again for the same pratica = %v %v, want nothing new", got, err)
		}
		if _, err := claim(mario, "p2", map[string]any{"domanda": doc}); !cmp.Equal(fieldsOf(err), []string{"/domanda"}) {
			t.Errorf("claiming another pratica's file: %v", err)
		}
		list, err := s.List(ctx, "p1")
		if err != nil || len(list) != 2 || list[0].Field == "" {
			t.Errorf("list = %+v %v", list, err)
		}
		if err := s.Release(ctx, "p1", []string{img}); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.List(ctx, "p1"); len(list) != 1 || list[0].ID != doc {
			t.Errorf("after release: %+v", list)
		}
	})
}

func TestSweepDeletesWhatNoPraticaHolds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		s := newService(t, db, attachment.DirBlobs{Dir: t.TempDir()})
		s.Now = func() time.Time { return now }
		st := pratica.NewStore(db)
		if err := st.Create(ctx, &pratica.Pratica{ID: "real", Ente: "c_l424", Service: "s", Template: "t@1", Owner: "RSSMRA80A01L424F",
			Status: pratica.Submitted, Data: pratica.JSON(`{}`)}); err != nil {
			t.Fatal(err)
		}
		up := func(content []byte) string {
			a, _, err := s.Upload(ctx, attachment.Upload{Owner: "RSSMRA80A01L424F", Name: "f", Content: content})
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		kept, ghost, loose := up(pdf), up(png), up(p7m)
		if _, err := s.Claim(ctx, attachment.Claim{Owner: "RSSMRA80A01L424F", PraticaID: "real", Data: map[string]any{"domanda": kept}}); err != nil {
			t.Fatal(err)
		}
		// A crash between the claim and the pratica's row: claimed for a pratica that never was.
		if _, err := s.Claim(ctx, attachment.Claim{Owner: "RSSMRA80A01L424F", PraticaID: "never", Data: map[string]any{"foto": []any{ghost}}}); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Sweep(ctx, attachment.Unclaimed); err != nil || n != 0 {
			t.Fatalf("sweep before a day = %d %v", n, err)
		}
		now = now.Add(25 * time.Hour)
		if n, err := s.Sweep(ctx, attachment.Unclaimed); err != nil || n != 2 {
			t.Fatalf("sweep after a day = %d %v, want 2", n, err)
		}
		for id, want := range map[string]errs.Code{kept: "", ghost: errs.NotFound, loose: errs.NotFound} {
			if _, err := s.Get(ctx, id); errs.CodeOf(err) != want && !(want == "" && err == nil) {
				t.Errorf("%s after sweep: %v, want %q", id, err, want)
			}
		}
		if a, _ := s.Get(ctx, kept); a != nil {
			if _, err := s.Content(ctx, a); err != nil {
				t.Errorf("kept content: %v", err)
			}
		}
	})
}

func TestDirBlobsRefuseTamperedContent(t *testing.T) {
	db := storetest.SQLite(t)
	dir := t.TempDir()
	s := newService(t, db, attachment.DirBlobs{Dir: dir})
	a, _, err := s.Upload(context.Background(), attachment.Upload{Owner: "RSSMRA80A01L424F", Name: "f.pdf", Content: pdf})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, a.ID), []byte("%PDF-changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Content(context.Background(), a); errs.CodeOf(err) != errs.Internal {
		t.Errorf("tampered content = %v, want internal", err)
	}
	if _, err := (attachment.DirBlobs{Dir: dir}).Get(context.Background(), "../etc/passwd"); err == nil {
		t.Error("a key with a path was read")
	}
}
