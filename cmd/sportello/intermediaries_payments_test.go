package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/activities/pagopa"
	pagosim "github.com/sportello/sportello/activities/pagopa/sim"
	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// TestServicePaymentsGoToItsIntermediary: a pratica's or a spontaneous
// payment of a service whose payment mode names Trieste's concessionaire
// (its IUVs carry code 47) is created, published and invalidated at the
// concessionaire's GPD with its key; a payment of the ente's own code still
// goes to the main GPD.
func TestServicePaymentsGoToItsIntermediary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		cat := concEnte(t, db)
		mainGPD, concGPD := newGPDCalls(t, pagosim.Config{}), newGPDCalls(t, pagosim.Config{})
		t.Setenv("SPORTELLO_PAGOPA_URL_CONC", concGPD.srv.URL)
		t.Setenv("SPORTELLO_PAGOPA_KEY_PAGOPA_CONC", "conc-secret")
		a := &app{cfg: &Config{PagoPAURL: mainGPD.srv.URL, PagoPAKey: "main-secret"}, log: slog.Default()}
		pos := pagopa.NewStore(db, nil)
		svc := &pagopa.Service{Positions: pos, GPD: a.paymentsGPD(cat, pos)}
		ts, _ := cat.GetEnte(ctx, catalog.Trieste)
		issue := func(iupd, seg string) *pagopa.Position {
			t.Helper()
			cr := pagopa.Creditor{Ente: ts.ID, FiscalCode: ts.FiscalCode, Name: ts.Name, AuxDigit: 3, SegregationCode: seg, IBAN: ts.Accounts[0].IBAN}
			p, err := svc.Issue(ctx, pagopa.IssueRequest{IUPD: iupd, ServiceID: "c_l424.mensa", Creditor: cr,
				Debtor: pagopa.Debtor{Type: "F", FiscalCode: "RSSMRA80A01H501U", FullName: "Mario Rossi"}, Subject: "Mensa scolastica", Publish: true,
				Options: []pagopa.OptionRequest{{Amount: 4200, DueDate: time.Now().AddDate(0, 1, 0),
					Transfers: []pagopa.TransferRequest{{Amount: 4200, Category: "9/0201102IM/", RemittanceInformation: "Mensa"}}}}})
			if err != nil {
				t.Fatalf("issue %s: %v", iupd, err)
			}
			return p
		}
		conc := issue("MENSA-CONC-1", "47")
		if conc.Options[0].IUV[:2] != "47" || conc.Status != pagopa.Valid {
			t.Fatalf("position %+v, want an IUV of code 47, valid", conc)
		}
		if _, err := svc.Invalidate(ctx, ts.FiscalCode, conc.IUPD); err != nil {
			t.Fatal(err)
		}
		g, err := pagopa.NewClient(concGPD.srv.URL, "conc-secret").GetPosition(ctx, ts.FiscalCode, conc.IUPD)
		if err != nil || g.Status != string(pagopa.Invalid) {
			t.Errorf("concessionaire's GPD holds %+v, %v; want it invalid", g, err)
		}
		if _, s := concGPD.counts(); s != 1 || !concGPD.keys["conc-secret"] || len(concGPD.keys) != 1 {
			t.Errorf("concessionaire's GPD: %d creations, keys %v; want 1 with conc-secret", s, concGPD.keys)
		}
		if _, s := mainGPD.counts(); s != 0 {
			t.Errorf("main GPD got %d creations of the concessionaire's payment", s)
		}
		own := issue("MENSA-OWN-1", ts.SegregationCode)
		if _, s := mainGPD.counts(); s != 1 || own.Status != pagopa.Valid {
			t.Errorf("main GPD: %d creations, position %s; want 1, valid", s, own.Status)
		}
		if _, s := concGPD.counts(); s != 1 {
			t.Errorf("concessionaire's GPD: %d creations after the ente's own payment, want still 1", s)
		}
	})
}
