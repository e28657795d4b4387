package issuance

import (
	"fmt"
	"strings"
)

// messageTexts writes a campaign's App IO messages in one language.
type messageTexts struct {
	notice   func(c *Campaign, r *recipient, o OptionState, date string, installments int) (subject, markdown string)
	reminder func(c *Campaign, r *recipient, o OptionState, date string, inst, installments int) (subject, markdown string)
}

// texts returns the texts of lang: Italian, English, Slovenian and German
// are written; any other language gets the Italian text followed by the
// English one, as IO shows a single text per message.
func texts(lang string) messageTexts {
	switch lang {
	case "en":
		return messageTexts{notice: noticeEN, reminder: reminderEN}
	case "sl":
		return messageTexts{notice: noticeSL, reminder: reminderSL}
	case "de":
		return messageTexts{notice: noticeDE, reminder: reminderDE}
	case "", "it":
		return messageTexts{notice: noticeIT, reminder: reminderIT}
	}
	return messageTexts{
		notice: func(c *Campaign, r *recipient, o OptionState, date string, n int) (string, string) {
			s, it := noticeIT(c, r, o, date, n)
			_, en := noticeEN(c, r, o, date, n)
			return s, it + "\n\n---\n\n" + en
		},
		reminder: func(c *Campaign, r *recipient, o OptionState, date string, i, n int) (string, string) {
			s, it := reminderIT(c, r, o, date, i, n)
			_, en := reminderEN(c, r, o, date, i, n)
			return s, it + "\n\n---\n\n" + en
		},
	}
}

func euro(cents int64) string { return strings.Replace(Euro(cents), ".", ",", 1) }

func noticeIT(c *Campaign, r *recipient, o OptionState, date string, n int) (string, string) {
	subject := fmt.Sprintf("%s: avviso di pagamento", c.Plan.Subject)
	body := fmt.Sprintf("Gentile %s,\n\n%s ha emesso l'avviso di pagamento **%s** (%s %d).\n\n"+
		"- Importo: **%s euro**\n- Scadenza: **%s**\n- Codice avviso: %s\n\nPuoi pagare direttamente da questo messaggio con pagoPA.",
		r.Name, c.Creditor.Name, c.Plan.Subject, c.Plan.Tax, c.Plan.Year, euro(o.Amount), date, o.NoticeNumber)
	if n > 0 {
		body += fmt.Sprintf(" Il pagamento è previsto anche in %d rate: le trovi tutte nell'avviso cartaceo o nello sportello online.", n)
	}
	return subject, body
}

func noticeEN(c *Campaign, r *recipient, o OptionState, date string, n int) (string, string) {
	subject := fmt.Sprintf("%s: payment notice", c.Plan.Subject)
	body := fmt.Sprintf("Dear %s,\n\n%s has issued the payment notice **%s** (%s %d).\n\n"+
		"- Amount: **EUR %s**\n- Due date: **%s**\n- Notice number: %s\n\nYou can pay straight from this message with pagoPA.",
		r.Name, c.Creditor.Name, c.Plan.Subject, c.Plan.Tax, c.Plan.Year, Euro(o.Amount), date, o.NoticeNumber)
	if n > 0 {
		body += fmt.Sprintf(" You may also pay in %d installments: all of them are on the paper notice and in the online desk.", n)
	}
	return subject, body
}

func reminderIT(c *Campaign, r *recipient, o OptionState, date string, i, n int) (string, string) {
	what := "il pagamento"
	if i > 0 {
		what = fmt.Sprintf("la rata %d di %d", i, n)
	}
	subject := fmt.Sprintf("Promemoria %s: scadenza %s", c.Plan.Subject, date)
	body := fmt.Sprintf("Gentile %s,\n\nti ricordiamo che %s di **%s** scade il **%s** e non risulta ancora pagata.\n\n"+
		"- Importo: **%s euro**\n- Codice avviso: %s\n\nPuoi pagare direttamente da questo messaggio con pagoPA. Se hai già pagato, ignora questo promemoria.",
		r.Name, what, c.Plan.Subject, date, euro(o.Amount), o.NoticeNumber)
	return subject, body
}

func reminderEN(c *Campaign, r *recipient, o OptionState, date string, i, n int) (string, string) {
	what := "the payment"
	if i > 0 {
		what = fmt.Sprintf("installment %d of %d", i, n)
	}
	subject := fmt.Sprintf("Reminder %s: due %s", c.Plan.Subject, date)
	body := fmt.Sprintf("Dear %s,\n\nthis is a reminder that %s of **%s** is due on **%s** and is not paid yet.\n\n"+
		"- Amount: **EUR %s**\n- Notice number: %s\n\nYou can pay straight from this message with pagoPA. If you have already paid, please ignore this reminder.",
		r.Name, what, c.Plan.Subject, date, Euro(o.Amount), o.NoticeNumber)
	return subject, body
}
