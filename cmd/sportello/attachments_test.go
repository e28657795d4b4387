package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Small files of the types a form takes, and one it does not.
var (
	filePDF  = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	filePNG  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	fileHTML = []byte("<html><body><script>alert(document.cookie)</script></body></html>")
)

type uploaded struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
}

type apiError struct {
	Error struct {
		Code   string                   `json:"code"`
		Fields []struct{ Field string } `json:"fields"`
	} `json:"error"`
}

func (e apiError) fields() []string {
	var out []string
	for _, f := range e.Error.Fields {
		out = append(out, f.Field)
	}
	return out
}

// fetch sends a non-JSON request and returns the status, the body and the headers.
func (p *proc) fetch(method, path, token, contentType string, body []byte) (int, []byte, http.Header) {
	req, _ := http.NewRequest(method, p.url(path), bytes.NewReader(body))
	if body == nil {
		req, _ = http.NewRequest(method, p.url(path), nil)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// upload posts a file and decodes the attachment.
func (p *proc) upload(token, name, contentType string, content []byte) (int, uploaded, apiError) {
	code, b, _ := p.fetch("POST", "/api/attachments?field=/allegati&name="+name, token, contentType, content)
	var a uploaded
	var e apiError
	if code < 300 {
		_ = json.Unmarshal(b, &a)
	} else {
		_ = json.Unmarshal(b, &e)
	}
	return code, a, e
}

// TestAttachmentsThroughTheAPI runs the real program: a citizen uploads a
// file (checked by its content, a retry giving the same id), submits the
// general request naming it, and the file is listed on the pratica and
// downloadable by its owner and the ente's operator, not by another citizen
// nor another ente's operator. The office then asks for a document and the
// citizen answers the integration with a second file.
func TestAttachmentsThroughTheAPI(t *testing.T) {
	p := startDev(t)
	mario, giulia := p.token("mario.rossi"), p.token("giulia.bianchi")
	trieste, medea := p.token("op.trieste"), p.token("op.medea")

	// Content decides, not the name or the declared type.
	if code, _, e := p.upload(mario, "domanda.pdf", "application/pdf", fileHTML); code != http.StatusUnprocessableEntity ||
		strings.Join(e.fields(), ",") != "/allegati" {
		t.Errorf("HTML sent as a PDF = %d %+v, want 422 naming /allegati", code, e)
	}
	if code, _, e := p.upload(mario, "foto.png", "image/png", filePDF); code != http.StatusUnprocessableEntity || len(e.fields()) != 1 {
		t.Errorf("a PDF declared PNG = %d %+v, want 422", code, e)
	}
	if code, _, _ := p.fetch("POST", "/api/attachments", mario, "application/pdf", append(append([]byte{}, filePDF...), make([]byte, 10<<20)...)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("an 11 MB upload = %d, want 413", code)
	}
	// Above the 2 MB of most routes, within the upload route's own limit.
	if code, big, _ := p.upload(mario, "scansione.pdf", "application/pdf", append(append([]byte{}, filePDF...), make([]byte, 3<<20)...)); code != http.StatusCreated || big.Size <= 3<<20 {
		t.Errorf("a 3 MB upload = %d %+v, want 201", code, big)
	}
	code, doc, _ := p.upload(mario, "carta-identita.pdf", "application/pdf", filePDF)
	if code != http.StatusCreated || doc.MediaType != "application/pdf" || doc.Name != "carta-identita.pdf" {
		t.Fatalf("upload = %d %+v", code, doc)
	}
	if code, again, _ := p.upload(mario, "carta-identita.pdf", "application/pdf", filePDF); code != http.StatusOK || again.ID != doc.ID {
		t.Errorf("a retried upload = %d %+v, want 200 with id %s", code, again, doc.ID)
	}
	if code, _, _ := p.fetch("GET", "/api/attachments/"+doc.ID+"?download=1", giulia, "", nil); code != http.StatusNotFound {
		t.Errorf("another citizen reads an unclaimed upload = %d, want 404", code)
	}

	request := func(files ...string) map[string]any {
		all := make([]any, 0, len(files))
		for _, f := range files {
			all = append(all, f)
		}
		return map[string]any{"service": "c_l424.richiesta-generica", "data": map[string]any{
			"oggetto": "Rinnovo passo carrabile", "testo": "Allego la carta d'identità come richiesto", "allegati": all}}
	}
	// Giulia cannot attach Mario's file to her own pratica.
	var bad apiError
	if code := p.call("POST", "/api/pratiche", giulia, request(doc.ID), &bad); code != http.StatusUnprocessableEntity ||
		strings.Join(bad.fields(), ",") != "/allegati/0" {
		t.Errorf("another's file = %d %+v, want 422 naming /allegati/0", code, bad)
	}
	if code := p.call("POST", "/api/pratiche", mario, request("not-an-id"), &bad); code != http.StatusUnprocessableEntity ||
		strings.Join(bad.fields(), ",") != "/allegati/0" {
		t.Errorf("a made-up id = %d %+v, want 422 naming /allegati/0", code, bad)
	}
	var started struct {
		ID string `json:"id"`
	}
	if code := p.call("POST", "/api/pratiche", mario, request(doc.ID), &started); code != http.StatusCreated {
		t.Fatalf("start with the file = %d", code)
	}
	// One file, one pratica: a second pratica may not take it.
	if code := p.call("POST", "/api/pratiche", mario, request(doc.ID), &bad); code != http.StatusUnprocessableEntity {
		t.Errorf("a file already attached, again = %d, want 422", code)
	}
	p.waitStatus(started.ID, mario, "registered")

	var d struct {
		Extra struct {
			Attachments []uploaded `json:"attachments"`
		} `json:"extra"`
	}
	if p.call("GET", "/api/pratiche/"+started.ID, trieste, nil, &d); len(d.Extra.Attachments) != 1 || d.Extra.Attachments[0].ID != doc.ID {
		t.Fatalf("the operator's detail lists %+v, want the file", d.Extra.Attachments)
	}
	path := "/api/pratiche/" + started.ID + "/attachments/" + doc.ID
	for _, who := range []struct {
		name, token string
		want        int
	}{{"owner", mario, 200}, {"operator of the ente", trieste, 200}, {"another citizen", giulia, 403}, {"another ente's operator", medea, 403}} {
		code, body, h := p.fetch("GET", path, who.token, "", nil)
		if code != who.want {
			t.Errorf("%s downloads = %d, want %d", who.name, code, who.want)
		}
		if code == 200 && (!bytes.Equal(body, filePDF) || h.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("X-Content-Type-Options") != "nosniff") {
			t.Errorf("%s got %q %v", who.name, body, h)
		}
	}
	if code, _, _ := p.fetch("GET", "/api/pratiche/"+started.ID+"/attachments", giulia, "", nil); code != http.StatusForbidden {
		t.Errorf("another citizen lists the files = %d, want 403", code)
	}

	// An integration nobody asked for is refused, and its file stays the uploader's, unclaimed.
	code, plan, _ := p.upload(mario, "planimetria.png", "image/png", filePNG)
	if code != http.StatusCreated {
		t.Fatalf("upload the plan = %d", code)
	}
	if code := p.call("POST", "/api/pratiche/"+started.ID+"/actions", mario, map[string]any{"action": "integrate",
		"data": map[string]any{"allegati": []any{doc.ID, plan.ID}}}, nil); code != http.StatusConflict {
		t.Errorf("an integration not asked for = %d, want 409", code)
	}
	if code, _, _ := p.fetch("GET", "/api/attachments/"+plan.ID, mario, "", nil); code != http.StatusOK {
		t.Errorf("after a refused integration the file is not its uploader's again: %d", code)
	}

	// The office asks for a document; the citizen answers with a file.
	task := p.inboxOf(trieste, started.ID)
	if task == nil {
		t.Fatal("no task in the inbox")
	}
	if code := p.call("POST", "/api/tasks/"+task.ID+"/complete", trieste, map[string]any{"action": "request_integration",
		"reason": "Manca la planimetria del passo carrabile"}, nil); code != http.StatusOK {
		t.Fatalf("request integration = %d", code)
	}
	p.waitStatus(started.ID, mario, "integration_requested")
	if code := p.call("POST", "/api/pratiche/"+started.ID+"/actions", mario, map[string]any{"action": "integrate",
		"data": map[string]any{"allegati": []any{doc.ID, plan.ID}}}, nil); code != http.StatusOK {
		t.Fatalf("integrate with the file = %d", code)
	}
	p.waitStatus(started.ID, mario, "submitted_after_integration")
	var files []uploaded
	if p.call("GET", "/api/pratiche/"+started.ID+"/attachments", trieste, nil, &files); len(files) != 2 || files[1].ID != plan.ID {
		t.Fatalf("after the integration the pratica lists %+v", files)
	}
	if code, body, _ := p.fetch("GET", "/api/pratiche/"+started.ID+"/attachments/"+plan.ID, trieste, "", nil); code != 200 || !bytes.Equal(body, filePNG) {
		t.Errorf("the operator downloads the integration's file = %d", code)
	}
	// A file of another pratica is not found through this one, even for its owner.
	var other struct {
		ID string `json:"id"`
	}
	_, third, _ := p.upload(mario, "altro.pdf", "application/pdf", append(append([]byte{}, filePDF...), '\n'))
	if code := p.call("POST", "/api/pratiche", mario, request(third.ID), &other); code != http.StatusCreated {
		t.Fatalf("second pratica = %d", code)
	}
	if code, _, _ := p.fetch("GET", "/api/pratiche/"+started.ID+"/attachments/"+third.ID, mario, "", nil); code != http.StatusNotFound {
		t.Errorf("another pratica's file through this one = %d, want 404", code)
	}
}
