package issuance

import "fmt"

// The Slovenian and German texts of a campaign's App IO messages, for the
// comuni of Friuli Venezia Giulia with a Slovenian-speaking minority (L.
// 38/2001) and for German-speaking debtors. The ente is named as the
// creditor rather than as a sentence's subject, so the Slovenian verbs need
// no grammatical gender for it.

func noticeSL(c *Campaign, r *recipient, o OptionState, date string, n int) (string, string) {
	subject := fmt.Sprintf("%s: obvestilo o plačilu", c.Plan.Subject)
	body := fmt.Sprintf("Spoštovani %s,\n\nizdano je bilo obvestilo o plačilu **%s** (%s %d), upnik: %s.\n\n"+
		"- Znesek: **%s EUR**\n- Rok plačila: **%s**\n- Koda obvestila: %s\n\nPlačate lahko neposredno iz tega sporočila prek pagoPA.",
		r.Name, c.Plan.Subject, c.Plan.Tax, c.Plan.Year, c.Creditor.Name, euro(o.Amount), date, o.NoticeNumber)
	if n > 0 {
		body += fmt.Sprintf(" Plačate lahko tudi v %d obrokih: vse najdete na tiskanem obvestilu in na spletnem okencu.", n)
	}
	return subject, body
}

func reminderSL(c *Campaign, r *recipient, o OptionState, date string, i, n int) (string, string) {
	// plačilo is neuter, obrok masculine: the participle follows the noun.
	what := fmt.Sprintf("plačilo za **%s** zapade **%s** in še ni poravnano", c.Plan.Subject, date)
	if i > 0 {
		what = fmt.Sprintf("obrok %d od %d za **%s** zapade **%s** in še ni poravnan", i, n, c.Plan.Subject, date)
	}
	subject := fmt.Sprintf("Opomnik %s: rok %s", c.Plan.Subject, date)
	body := fmt.Sprintf("Spoštovani %s,\n\nobveščamo vas, da %s.\n\n"+
		"- Znesek: **%s EUR**\n- Koda obvestila: %s\n\nPlačate lahko neposredno iz tega sporočila prek pagoPA. Če ste že plačali, ta opomnik prezrite.",
		r.Name, what, euro(o.Amount), o.NoticeNumber)
	return subject, body
}

func noticeDE(c *Campaign, r *recipient, o OptionState, date string, n int) (string, string) {
	subject := fmt.Sprintf("%s: Zahlungsaufforderung", c.Plan.Subject)
	body := fmt.Sprintf("Sehr geehrte/r %s,\n\n%s hat die Zahlungsaufforderung **%s** (%s %d) ausgestellt.\n\n"+
		"- Betrag: **%s Euro**\n- Fälligkeit: **%s**\n- Code der Zahlungsmitteilung: %s\n\nSie können direkt aus dieser Nachricht mit pagoPA bezahlen.",
		r.Name, c.Creditor.Name, c.Plan.Subject, c.Plan.Tax, c.Plan.Year, euro(o.Amount), date, o.NoticeNumber)
	if n > 0 {
		body += fmt.Sprintf(" Sie können auch in %d Raten zahlen: Alle Raten finden Sie in der gedruckten Mitteilung und am Online-Schalter.", n)
	}
	return subject, body
}

func reminderDE(c *Campaign, r *recipient, o OptionState, date string, i, n int) (string, string) {
	what := "die Zahlung"
	if i > 0 {
		what = fmt.Sprintf("die Rate %d von %d", i, n)
	}
	subject := fmt.Sprintf("Erinnerung %s: fällig am %s", c.Plan.Subject, date)
	body := fmt.Sprintf("Sehr geehrte/r %s,\n\nwir erinnern Sie daran, dass %s für **%s** am **%s** fällig ist und noch nicht bezahlt wurde.\n\n"+
		"- Betrag: **%s Euro**\n- Code der Zahlungsmitteilung: %s\n\nSie können direkt aus dieser Nachricht mit pagoPA bezahlen. Falls Sie bereits bezahlt haben, betrachten Sie diese Erinnerung bitte als gegenstandslos.",
		r.Name, what, c.Plan.Subject, date, euro(o.Amount), o.NoticeNumber)
	return subject, body
}
