package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/email"
	"github.com/sportello/sportello/activities/pagopa"
)

// TestDevStopFoldsSimLogs changes the state of the pagoPA simulator, the App
// IO simulator and the mail catcher of sportello dev, then stops it as an
// operator does (SIGINT): each write-ahead log is folded into its state file
// on the way out (none left beside it), and the snapshots hold the changes.
func TestDevStopFoldsSimLogs(t *testing.T) {
	smtpPort := freePort(t)
	p := startDev(t, "--sim-smtp-addr", fmt.Sprintf("127.0.0.1:%d", smtpPort))
	ctx := context.Background()
	const org, cf = "00210240321", "RSSMRA80A01H501U"
	due := time.Date(2030, 6, 30, 0, 0, 0, 0, time.UTC)
	pos := pagopa.GPDPosition{IUPD: "CLOSE-1", Type: "F", FiscalCode: cf, FullName: "Mario Rossi", CompanyName: "Comune di Trieste",
		PaymentOption: []pagopa.GPDOption{{IUV: "47000000000000124", Amount: 3000, Description: "TARI 2026", DueDate: due,
			Transfer: []pagopa.GPDTransfer{{IDTransfer: "1", Amount: 3000, IBAN: "IT61X0306909606100000012345", Category: "9/0101101IM/",
				RemittanceInformation: "TARI", TransferMetadata: []pagopa.GPDMetadata{}}}}}}
	if _, err := pagopa.NewClient(p.url("/sim/pagopa"), "").CreatePosition(ctx, org, pos, true); err != nil {
		t.Fatal(err)
	}
	io := appio.NewClient(p.url("/sim/appio/api/v1"))
	io.Sleep = func(context.Context, time.Duration) error { return nil }
	ioID, err := io.Submit(ctx, "key-close-test", &appio.NewMessage{FiscalCode: cf, Content: appio.Content{Subject: "Avviso TARI 2026",
		Markdown: "Il Comune ha emesso l'avviso di pagamento della TARI 2026: lo trovi in allegato, con le rate e le scadenze."}})
	if err != nil {
		t.Fatal(err)
	}
	mail, err := email.NewClient(email.Config{Host: "127.0.0.1", Port: smtpPort, From: "noreply@comune.trieste.it", TLS: email.TLSNone, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := mail.Send(ctx, email.Message{To: "sposa@example.it", Subject: "Pratica ricevuta", Text: "La pratica è stata ricevuta.\n", MessageID: "close-test@sportello"}); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"pagopa-sim.json": "CLOSE-1", "appio-sim.json": ioID, "mail-sim.json": "close-test@sportello"}
	for f := range files {
		if _, err := os.Stat(filepath.Join(p.dir, f+".log")); err != nil {
			t.Errorf("%s: no write-ahead log while running: %v", f, err)
		}
	}

	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("sportello dev after SIGINT: %v", err)
		}
	case <-time.After(60 * time.Second):
		p.cmd.Process.Kill()
		t.Fatal("sportello dev did not stop within 60 s of SIGINT")
	}
	for f, want := range files {
		if _, err := os.Stat(filepath.Join(p.dir, f+".log")); !os.IsNotExist(err) {
			t.Errorf("%s: write-ahead log left after a clean stop (err %v); want it folded into the snapshot", f, err)
		}
		data, err := os.ReadFile(filepath.Join(p.dir, f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
		} else if !strings.Contains(string(data), want) {
			t.Errorf("%s: snapshot lacks %q", f, want)
		}
	}
}
