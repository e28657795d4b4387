package issuance_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sportello/sportello/activities/appio"
	"github.com/sportello/sportello/activities/issuance"
	"github.com/sportello/sportello/store/storetest"
	"gorm.io/gorm"
)

// TestCampaignMessagesLanguage sends a campaign's App IO notice and its
// first installment's reminder to the simulator over HTTP in each plan
// language: Slovenian and German campaigns speak their own language (before,
// they got the Italian text followed by the English one), with the amount in
// the local format and nothing Italian or English in the text; the subject
// and body stay within IO's limits.
func TestCampaignMessagesLanguage(t *testing.T) {
	cases := []struct {
		lang           string
		notice, remind string // words the subjects must carry
		body           []string
		forbidden      []string
	}{
		{"it", "avviso di pagamento", "Promemoria", []string{"Gentile Mario Rossi", "Importo", "euro", "la rata 1 di 3"}, []string{"Dear", "Spoštovani"}},
		{"en", "payment notice", "Reminder", []string{"Dear Mario Rossi", "Amount", "EUR", "installment 1 of 3"}, []string{"Gentile", "Spoštovani"}},
		{"sl", "obvestilo o plačilu", "Opomnik", []string{"Spoštovani Mario Rossi", "Znesek", "EUR", "obrok 1 od 3", "pagoPA"}, []string{"Gentile", "Dear", "Importo", "Amount", "---"}},
		{"de", "Zahlungsaufforderung", "Erinnerung", []string{"Sehr geehrte", "Mario Rossi", "Betrag", "Euro", "Rate 1 von 3", "pagoPA"}, []string{"Gentile", "Dear", "Importo", "Amount", "---"}},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *gorm.DB) {
				ctx := context.Background()
				plan := tariPlan(2027)
				plan.Lang = tc.lang
				c, acts := issued(t, db, plan, 3)
				mario := issuance.DemoRows(1, 2027)[0].Debtor.FiscalCode
				ioSim := appio.NewSimulator()
				hs := httptest.NewServer(ioSim)
				defer hs.Close()
				acts.IO, acts.Keys, acts.Throttle = appio.NewClient(hs.URL+"/api/v1"), tariKey{}, issuance.NewThrottle(1000)
				for _, in := range []issuance.MessagesInput{
					{CampaignID: c.ID, Kind: issuance.KindNotice, Size: 10},
					{CampaignID: c.ID, Kind: issuance.ReminderKind(7), Installment: 1, Size: 10},
				} {
					res, err := acts.SendMessages(ctx, in)
					if err != nil || res.Sent != 3 {
						t.Fatalf("send %s: %+v, %v; want 3 sent", in.Kind, res, err)
					}
				}
				inbox := ioSim.Inbox(mario)
				if len(inbox) != 2 {
					t.Fatalf("Mario's inbox holds %d messages, want the notice and the reminder", len(inbox))
				}
				// Inbox is newest first: the reminder, then the notice.
				reminder, notice := inbox[0].Content, inbox[1].Content
				if !strings.Contains(notice.Subject, tc.notice) {
					t.Errorf("notice subject = %q, want it to hold %q", notice.Subject, tc.notice)
				}
				if !strings.Contains(reminder.Subject, tc.remind) {
					t.Errorf("reminder subject = %q, want it to hold %q", reminder.Subject, tc.remind)
				}
				both := notice.Markdown + "\n" + reminder.Markdown
				for _, w := range tc.body {
					if !strings.Contains(both, w) {
						t.Errorf("the %s texts lack %q:\n%s", tc.lang, w, both)
					}
				}
				for _, w := range tc.forbidden {
					if strings.Contains(both+notice.Subject+reminder.Subject, w) {
						t.Errorf("the %s texts hold %q:\n%s", tc.lang, w, both)
					}
				}
				if tc.lang != "en" && !strings.Contains(notice.Markdown, strings.Replace(issuance.Euro(notice.PaymentData.Amount), ".", ",", 1)) {
					t.Errorf("the %s notice does not write the amount %d with a decimal comma:\n%s", tc.lang, notice.PaymentData.Amount, notice.Markdown)
				}
				for _, m := range []appio.Content{notice, reminder} {
					if n := utf8.RuneCountInString(m.Subject); n < appio.SubjectMin || n > appio.SubjectMax {
						t.Errorf("subject %q has %d characters", m.Subject, n)
					}
					if n := utf8.RuneCountInString(m.Markdown); n < appio.MarkdownMin || n > appio.MarkdownMax {
						t.Errorf("markdown has %d characters", n)
					}
				}
			})
		})
	}
}
