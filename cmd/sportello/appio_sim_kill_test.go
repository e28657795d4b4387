package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sportello/sportello/activities/appio"
)

// TestAppIOSimStateSurvivesKill sends messages to the App IO simulator of
// sportello dev over HTTP and kills the program (SIGKILL) right after the
// last one: every message the simulator acknowledged is in its inbox after
// the restart, read from its write-ahead log.
func TestAppIOSimStateSurvivesKill(t *testing.T) {
	const n, cf = 500, "RSSMRA80A01H501U"
	p := startDev(t)
	ctx := context.Background()
	c := appio.NewClient(p.url("/sim/appio/api/v1"))
	c.Sleep = func(context.Context, time.Duration) error { return nil }
	body := "Il Comune ha emesso l'avviso di pagamento della TARI 2026: lo trovi in allegato, con le rate e le scadenze."
	sent := map[string]bool{}
	for i := range n {
		id, err := c.Submit(ctx, "key-kill-test", &appio.NewMessage{FiscalCode: cf, Content: appio.Content{Subject: fmt.Sprintf("Avviso TARI n. %d", i), Markdown: body}})
		if err != nil {
			t.Fatal(err)
		}
		sent[id] = true
	}
	if _, err := os.Stat(filepath.Join(p.dir, "appio-sim.json.log")); err != nil {
		t.Errorf("no write-ahead log beside the state file: %v", err)
	}
	p.kill()
	p.start()
	var inbox []appio.SimMessage
	p.call("GET", "/sim/appio/inbox/"+cf, "", nil, &inbox)
	for _, m := range inbox {
		delete(sent, m.ID)
	}
	if len(sent) > 0 {
		t.Errorf("%d of %d acknowledged messages missing after the kill", len(sent), n)
	}
}
