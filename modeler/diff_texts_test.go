package modeler_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/modeler/demo"
	"github.com/sportello/sportello/store/storetest"
)

// TestDiffShowsTexts publishes a version of the marriage template whose title,
// a step's title and the payment's Slovenian subject changed, and a step
// removed: the diff lists each text with its old and new value, by step id.
func TestDiffShowsTexts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := modeler.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		b, _ := demo.FS.ReadFile("templates/matrimonio.json")
		doc := strings.NewReplacer(
			`"title": {"it": "Celebrazione del matrimonio civile", "en": "Civil marriage celebration"}`,
			`"title": {"it": "Matrimonio civile", "en": "Civil marriage", "sl": "Civilna poroka"}`,
			`"title": {"it": "Istruttoria", "en": "Review"}`, `"title": {"it": "Esame della domanda", "en": "Review"}`,
			`"sl": "Poroka: obvestilo o plačilu pristojbine"`, `"sl": "Poroka: plačilo"`,
		).Replace(string(b))
		if doc == string(b) {
			t.Fatal("the demo template changed: the replacements match nothing")
		}
		if _, err := s.SaveTemplate(ctx, []byte(doc)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishTemplate(ctx, "matrimonio"); err != nil {
			t.Fatal(err)
		}
		d, err := s.DiffVersions(ctx, "matrimonio", 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := []modeler.TextChange{
			{Path: "/steps/istruttoria/title", From: &modeler.Text{IT: "Istruttoria", EN: "Review"}, To: &modeler.Text{IT: "Esame della domanda", EN: "Review"}},
			{Path: "/steps/pagamento/payment/notify/subject",
				From: &modeler.Text{IT: "Matrimonio: avviso di pagamento della tariffa", EN: "Marriage: notice to pay the fee", SL: "Poroka: obvestilo o plačilu pristojbine"},
				To:   &modeler.Text{IT: "Matrimonio: avviso di pagamento della tariffa", EN: "Marriage: notice to pay the fee", SL: "Poroka: plačilo"}},
			{Path: "/title", From: &modeler.Text{IT: "Celebrazione del matrimonio civile", EN: "Civil marriage celebration"},
				To: &modeler.Text{IT: "Matrimonio civile", EN: "Civil marriage", SL: "Civilna poroka"}},
		}
		if diff := cmp.Diff(want, d.Texts); diff != "" {
			t.Errorf("texts (-want +got):\n%s", diff)
		}
		if d.Breaking {
			t.Errorf("a change of texts only is breaking: %v", d.Reasons)
		}
		// Back to version 1: the same changes, the other way round.
		back, err := s.DiffVersions(ctx, "matrimonio", 2, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(back.Texts) != 3 || *back.Texts[2].From != *want[2].To {
			t.Errorf("reverse diff texts = %+v", back.Texts)
		}
	})
}
