package modeler

// checkPaymentNotice checks the message a payment step sends at issuance: the
// channel's length limits, its placeholders, and a reminder that falls after
// the issue and before the due date.
func checkPaymentNotice(at string, p *PaymentStep, env map[string]any, ps *problems) {
	n := p.Notify
	if n == nil {
		return
	}
	switch n.Channel {
	case "appio", "":
		checkLen(at+"/subject", n.Subject, IOSubjectMin, IOSubjectMax, ps)
		checkLen(at+"/markdown", n.Markdown, IOMarkdownMin, IOMarkdownMax, ps)
	case "email":
		checkLen(at+"/subject", n.Subject, 1, 200, ps)
		checkLen(at+"/markdown", n.Markdown, 1, 100000, ps)
	default:
		ps.add(at+"/channel", "must be appio or email")
	}
	for _, part := range []struct {
		path string
		text Text
	}{{"/subject", n.Subject}, {"/markdown", n.Markdown}} {
		for lang, s := range part.text.langs() {
			for _, code := range Placeholders(s) {
				if err := checkExpr(code, env, ""); err != nil {
					ps.add(at+part.path+"/"+lang, "placeholder {{%s}} does not type-check: %s", code, firstLine(err.Error()))
				}
			}
		}
	}
	due := p.DueDays
	for _, in := range p.Installments {
		due = min(due, in.DueDays)
	}
	if n.RemindDays < 0 || (n.RemindDays > 0 && due > 0 && n.RemindDays >= due) {
		ps.add(at+"/remindDays", "must be between 0 and the first due date's days (%d)", due)
	}
}
