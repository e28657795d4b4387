package modeler_test

import (
	"context"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/sportello/sportello/modeler"
	"github.com/sportello/sportello/modeler/demo"
	"github.com/sportello/sportello/store/storetest"
)

// TestSlovenianMessages: the demo marriage's App IO messages speak Slovenian to
// a citizen who chose it, Italian stays the fallback, and a Slovenian text's
// placeholders are checked like the others, at their own path.
func TestSlovenianMessages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		if err := modeler.Seed(ctx, db); err != nil {
			t.Fatal(err)
		}
		s := modeler.NewService(db, modeler.DefaultRefs(), nil, nil)
		p, err := s.Plan(ctx, "matrimonio", 1)
		if err != nil {
			t.Fatal(err)
		}
		subject := p.Steps["ricevuta"].Notify.Subject
		for lang, want := range map[string]string{"sl": "Plačilo prejeto: poroka", "it": "Pagamento ricevuto: matrimonio", "en": "Payment received: marriage", "de": "Pagamento ricevuto: matrimonio"} {
			if got := subject.In(lang); got != want {
				t.Errorf("ricevuta subject in %s = %q, want %q", lang, got, want)
			}
		}
		if got := (modeler.Text{IT: "ciao", EN: "hello"}).In("sl"); got != "ciao" {
			t.Errorf("a text without Slovenian, in sl = %q, want the Italian", got)
		}

		b, _ := demo.FS.ReadFile("templates/matrimonio.json")
		doc := strings.Replace(string(b), `"sl": "Plačilo prejeto: poroka"`, `"sl": "Plačilo prejeto: {{data.nessuno.campo}}"`, 1)
		rec, err := s.SaveTemplate(ctx, []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, pr := range rec.Problems {
			if strings.HasSuffix(pr.Field, "/notify/subject/sl") {
				found = true
			}
		}
		if !found {
			t.Errorf("a bad placeholder in the Slovenian subject is not reported at .../notify/subject/sl: %+v", rec.Problems)
		}
	})
}
