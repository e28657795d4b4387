package main

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// tariDetail is what the status API shows of a TARI pratica's payment.
type tariDetail struct {
	Status   string `json:"status"`
	Timeline []struct {
		Kind string `json:"kind"`
	} `json:"timeline"`
	Extra struct {
		Payments []struct {
			Status   string `json:"status"`
			Creditor struct {
				FiscalCode string `json:"fiscalCode"`
			} `json:"creditor"`
			Options []struct {
				NoticeNumber string `json:"noticeNumber"`
				Amount       int64  `json:"amount"`
				Installment  bool   `json:"installment"`
				State        string `json:"state"`
				Payable      bool   `json:"payable"`
			} `json:"options"`
		} `json:"payments"`
	} `json:"extra"`
}

// TestTariPaidInThreeInstallments pays a TARI notice in its three installments
// at the simulated PSP: the pratica completes, the status API shows each
// installment and the position's state on the way, and the single option
// stops being payable once the first installment is paid.
func TestTariPaidInThreeInstallments(t *testing.T) {
	p := startDev(t)
	citizen := p.token("mario.rossi")
	var started struct {
		ID string `json:"id"`
	}
	code := p.call("POST", "/api/pratiche", citizen, map[string]any{"service": "c_l424.tari",
		"data": map[string]any{"anno": 2026, "utenza": "TS-000123", "superficie": 80, "componenti": 3, "importoCents": 30000}}, &started)
	if code != http.StatusCreated {
		t.Fatalf("start TARI = %d", code)
	}
	p.waitStatus(started.ID, citizen, "payment_pending")
	var d tariDetail
	p.call("GET", "/api/pratiche/"+started.ID, citizen, nil, &d)
	if len(d.Extra.Payments) != 1 || len(d.Extra.Payments[0].Options) != 4 {
		t.Fatalf("payments = %+v", d.Extra.Payments)
	}
	pos := d.Extra.Payments[0]
	org := pos.Creditor.FiscalCode
	for i, o := range pos.Options {
		if o.State != "due" || !o.Payable {
			t.Errorf("option %d before paying: state %q payable %v, want due and payable", i, o.State, o.Payable)
		}
	}

	p.pay(org, pos.Options[1].NoticeNumber)
	// The single option is no longer payable, at the PSP nor in the status API.
	resp, err := http.PostForm(p.url("/sim/pagopa/checkout/pay"), url.Values{"org": {org}, "notice": {pos.Options[0].NoticeNumber}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("paying the single option after an installment = %d, want 422", resp.StatusCode)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		d = tariDetail{}
		p.call("GET", "/api/pratiche/"+started.ID, citizen, nil, &d)
		if len(d.Extra.Payments) == 1 && d.Extra.Payments[0].Status == "PARTIALLY_PAID" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("position not PARTIALLY_PAID after one installment: %+v", d.Extra.Payments)
		}
		time.Sleep(200 * time.Millisecond)
	}
	got := d.Extra.Payments[0].Options
	want := []struct {
		state   string
		payable bool
	}{{"superseded", false}, {"paid", false}, {"due", true}, {"due", true}}
	for i, w := range want {
		if got[i].State != w.state || got[i].Payable != w.payable {
			t.Errorf("option %d after one installment: state %q payable %v, want %q %v", i, got[i].State, got[i].Payable, w.state, w.payable)
		}
	}
	if d.Status != "payment_pending" {
		t.Errorf("status after one installment = %q, want payment_pending", d.Status)
	}

	p.pay(org, pos.Options[2].NoticeNumber)
	p.pay(org, pos.Options[3].NoticeNumber)
	p.waitStatus(started.ID, citizen, "completed")
	d = tariDetail{}
	p.call("GET", "/api/pratiche/"+started.ID, citizen, nil, &d)
	received := 0
	for _, e := range d.Timeline {
		if e.Kind == "installment_received" {
			received++
		}
	}
	if received != 3 {
		t.Errorf("timeline has %d installment_received, want 3: %+v", received, d.Timeline)
	}
	if s := d.Extra.Payments[0].Status; s != "PAID" {
		t.Errorf("position = %q, want PAID", s)
	}
	for i, o := range d.Extra.Payments[0].Options[1:] {
		if o.State != "paid" {
			t.Errorf("installment %d = %q, want paid", i+1, o.State)
		}
	}
}
