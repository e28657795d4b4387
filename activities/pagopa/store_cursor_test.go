package pagopa

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorm.io/gorm"

	"github.com/sportello/sportello/store/storetest"
)

// TestStoreCursorPrintFile stores positions with debtor addresses, reads them
// back through the cursor in batches (each equal to its single read, address
// included, no other ente's) and merges their notices into a print file in
// postal order.
func TestStoreCursorPrintFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		st := NewStore(db, nil)
		caps := []string{"34136", "34121", "34128", "34121", "34123", "34151", "34122"}
		for i, cap := range caps {
			p := installmentPosition(fmt.Sprintf("TARI-CUR-%d", i))
			p.Debtor.FullName = fmt.Sprintf("Contribuente %05d", i)
			p.Debtor.StreetName, p.Debtor.CivicNumber = "Via Roma", fmt.Sprint(10-i)
			p.Debtor.PostalCode, p.Debtor.City, p.Debtor.Province = cap, "Trieste", "TS"
			if err := st.Create(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		other := demoPosition("OTHER-1")
		other.Creditor.Ente = "c_e098"
		if err := st.Create(ctx, other); err != nil {
			t.Fatal(err)
		}
		next := st.Cursor(ctx, PositionFilter{Ente: "c_l424"}, 3)
		var got []*Position
		for {
			p, err := next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, p)
		}
		if len(got) != len(caps) {
			t.Fatalf("cursor read %d positions, want %d", len(got), len(caps))
		}
		for i, p := range got {
			if i > 0 && p.ID <= got[i-1].ID {
				t.Errorf("cursor out of id order at %d", i)
			}
			one, err := st.Get(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(one, p); diff != "" {
				t.Errorf("cursor vs Get (-get +cursor):\n%s", diff)
			}
			if p.Debtor.PostalCode == "" {
				t.Errorf("%s: address lost", p.IUPD)
			}
		}
		var buf bytes.Buffer
		if _, err := WritePrintFile(ctx, &buf, st.Cursor(ctx, PositionFilter{Ente: "c_l424"}, 2), "it", 2); err != nil {
			t.Fatal(err)
		}
		// CAP first; the two at 34121 by civic number (3 before 9).
		want := []string{"Contribuente 00003", "Contribuente 00001", "Contribuente 00006", "Contribuente 00004",
			"Contribuente 00002", "Contribuente 00000", "Contribuente 00005"}
		if diff := cmp.Diff(want, printPages(t, buf.Bytes())); diff != "" {
			t.Errorf("print order (-want +got):\n%s", diff)
		}
	})
}
