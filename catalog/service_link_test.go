package catalog_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/catalog"
	"github.com/sportello/sportello/store/storetest"
)

// TestLinkTemplate: a regional version reaches the service type and every
// ente service that runs the regional template; an ente's resolved overlay
// reaches only that ente's services, whether they named the regional template
// or the overlay; linking the same version again changes nothing.
func TestLinkTemplate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		s := seeded(t, db)
		templateOf := func(id string) catalog.TemplateRef {
			t.Helper()
			sv, err := s.GetService(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return *sv.Template
		}
		regional := catalog.TemplateRef{ID: "matrimonio", Version: 2, Hash: "r2"}
		moved, err := s.LinkTemplate(ctx, "", []string{"matrimonio"}, regional, "test")
		if err != nil {
			t.Fatal(err)
		}
		// The type moves; the enti that inherit its template follow it without an override.
		if !slices.Contains(moved, "matrimonio") || slices.Contains(moved, "tari") {
			t.Errorf("moved = %v, want the marriage type and no other template's service", moved)
		}
		for _, id := range []string{"matrimonio", "c_l424.matrimonio", "c_f081.matrimonio", "c_e098.matrimonio"} {
			if got := templateOf(id); got != regional {
				t.Errorf("%s runs %+v, want %+v", id, got, regional)
			}
		}
		if got := templateOf("c_l424.tari"); got.ID != "tari" || got.Version != 0 {
			t.Errorf("TARI moved with the marriage: %+v", got)
		}

		overlay := catalog.TemplateRef{ID: "c_l424.matrimonio", Version: 1, Hash: "o1"}
		moved, err = s.LinkTemplate(ctx, "c_l424", []string{"c_l424.matrimonio", "matrimonio"}, overlay, "test")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"c_l424.matrimonio"}, moved); diff != "" {
			t.Errorf("overlay moved (-want +got):\n%s", diff)
		}
		if got := templateOf("c_f081.matrimonio"); got != regional {
			t.Errorf("Medea followed Trieste's overlay: %+v", got)
		}
		next := catalog.TemplateRef{ID: "c_l424.matrimonio", Version: 2, Hash: "o2"}
		if _, err := s.LinkTemplate(ctx, "c_l424", []string{"c_l424.matrimonio", "matrimonio"}, next, "test"); err != nil {
			t.Fatal(err)
		}
		if got := templateOf("c_l424.matrimonio"); got != next {
			t.Errorf("Trieste runs %+v, want %+v", got, next)
		}
		// A later regional version leaves Trieste on its overlay.
		if _, err := s.LinkTemplate(ctx, "", []string{"matrimonio"}, catalog.TemplateRef{ID: "matrimonio", Version: 3, Hash: "r3"}, "test"); err != nil {
			t.Fatal(err)
		}
		if got := templateOf("c_l424.matrimonio"); got != next {
			t.Errorf("a regional publish moved Trieste's overlay service to %+v", got)
		}
		if moved, _ := s.LinkTemplate(ctx, "c_l424", []string{"c_l424.matrimonio"}, next, "test"); len(moved) != 0 {
			t.Errorf("linking the same version again moved %v", moved)
		}
	})
}
