package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/issuance"
)

// TestCampaignNoticesCLI issues the demo roll on sportello dev and downloads
// its notices with "sportello campaign notices": a zip with one PDF per
// household, a progress bar that reaches the total, and the print file; an
// unknown campaign fails and leaves no file.
func TestCampaignNoticesCLI(t *testing.T) {
	const n = 150
	p := startDev(t, "--demo-roll", "150")
	admin := p.token("admin.trieste")
	var camp issuance.Campaign
	deadline := time.Now().Add(90 * time.Second)
	for {
		var list []issuance.Campaign
		p.call("GET", "/api/issuances", admin, nil, &list)
		if len(list) == 1 && list[0].Status == issuance.Done {
			camp = list[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo campaign not done: %+v", list)
		}
		time.Sleep(300 * time.Millisecond)
	}
	dir := t.TempDir()
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := runCampaignCLI(append(args, "--url", p.url(""), "--token", admin), func(string) string { return "" }, &out, &errOut)
		return code, out.String(), errOut.String()
	}
	file := filepath.Join(dir, "avvisi.zip")
	code, out, errOut := run("notices", camp.ID, "-o", file)
	if code != 0 || !strings.Contains(out, "150/150 notices") {
		t.Fatalf("notices: %d\n%s\n%s", code, out, errOut)
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	pdfs := 0
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".pdf") {
			pdfs++
		}
	}
	if pdfs != n {
		t.Errorf("zip holds %d PDFs, want %d", pdfs, n)
	}
	print := filepath.Join(dir, "stampa.pdf")
	if code, out, errOut := run("notices", camp.ID, "--print", "-o", print); code != 0 {
		t.Fatalf("print file: %d\n%s\n%s", code, out, errOut)
	}
	if b, _ := os.ReadFile(print); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("print file starts %q", b[:min(8, len(b))])
	}
	missing := filepath.Join(dir, "none.zip")
	if code, _, errOut := run("notices", "no-such-campaign", "-o", missing); code == 0 || !strings.Contains(errOut, "404") {
		t.Errorf("unknown campaign: %d %s", code, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the directory holds %d files, want the zip and the print file only", len(entries))
	}
}
