package modeler

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// App IO message limits.
const (
	IOSubjectMin  = 10
	IOSubjectMax  = 120
	IOMarkdownMin = 80
	IOMarkdownMax = 10000
)

// checkStep validates one step's own configuration and its references.
func (c *Checker) checkStep(ctx context.Context, t *Template, i int, idx map[string]int, env map[string]any, ps *problems) {
	s := &t.Steps[i].Step
	at := fmt.Sprintf("/steps/%d", i)
	ref := func(path, id string) {
		if id == "" {
			ps.add(path, "is required")
		} else if _, ok := idx[id]; !ok {
			ps.add(path, "step %q does not exist", id)
		}
	}
	optRef := func(path, id string) {
		if id != "" {
			ref(path, id)
		}
	}
	exprAt := func(path, code, want string) {
		if code == "" {
			ps.add(path, "is required")
			return
		}
		if err := orderedOnly(code); err != nil {
			ps.add(path, "%s", err)
		} else if err := checkExpr(code, env, want); err != nil {
			ps.add(path, "expression does not type-check: %s", firstLine(err.Error()))
		}
	}
	set := configOf(s)
	want := strings.ToUpper(string(s.Type[:min(1, len(s.Type))])) + string(s.Type[min(1, len(s.Type)):])
	if len(set) != 1 || set[0] != want {
		if !isStepType(s.Type) {
			ps.add(at+"/type", "%q is not a step type (form, task, payment, notify, ledger, wait, deadline, decision, parallel, end)", s.Type)
			return
		}
		ps.add(at+"/"+s.Type, "a %s step needs exactly its %q configuration", s.Type, s.Type)
		return
	}
	if s.Type != StepEnd && s.Type != StepTask && s.Type != StepDecision {
		optRef(at+"/next", s.Next)
	}
	switch s.Type {
	case StepForm:
		if s.Form.Version < 1 {
			ps.add(at+"/form/version", "must be a published version number, from 1")
		}
	case StepTask:
		task := s.Task
		if task.Role == "" {
			ps.add(at+"/task/role", "is required")
		} else if c.Refs != nil {
			if err := c.Refs.Role(ctx, task.Role); err != nil {
				ps.add(at+"/task/role", "role %q is unknown", task.Role)
			}
		}
		if task.Office != "" && c.Refs != nil {
			if err := c.Refs.Office(ctx, t.Ente, task.Office); err != nil {
				ps.add(at+"/task/office", "office %q is unknown", task.Office)
			}
		}
		if len(task.Outcomes) == 0 {
			ps.add(at+"/task/outcomes", "must list at least one outcome")
		}
		seen := map[string]bool{}
		for j, o := range task.Outcomes {
			p := fmt.Sprintf("%s/task/outcomes/%d", at, j)
			if o.Action == "" || seen[o.Action] {
				ps.add(p+"/action", "must be a unique, non-empty action")
			}
			seen[o.Action] = true
			if o.Label.IT == "" {
				ps.add(p+"/label/it", "is required")
			}
			ref(p+"/next", o.Next)
		}
	case StepPayment:
		c.checkPayment(ctx, at+"/payment", s.Payment, exprAt, optRef, ps)
		checkPaymentNotice(at+"/payment/notify", s.Payment, env, ps)
	case StepNotify:
		n := s.Notify
		switch n.Channel {
		case "appio":
			checkLen(at+"/notify/subject", n.Subject, IOSubjectMin, IOSubjectMax, ps)
			checkLen(at+"/notify/markdown", n.Markdown, IOMarkdownMin, IOMarkdownMax, ps)
			if n.To != "" {
				ps.add(at+"/notify/to", "must be empty: App IO messages go to the citizen's codice fiscale")
			}
		case "email":
			checkLen(at+"/notify/subject", n.Subject, 1, 200, ps)
			checkLen(at+"/notify/markdown", n.Markdown, 1, 100000, ps)
			if len(Placeholders(n.To)) == 0 {
				ps.add(at+"/notify/to", "is required for the email channel: the recipient's address from the data, e.g. {{data.email}}")
			}
			for _, code := range Placeholders(n.To) {
				if err := checkExpr(code, env, ""); err != nil {
					ps.add(at+"/notify/to", "placeholder {{%s}} does not type-check: %s", code, firstLine(err.Error()))
				}
			}
		default:
			ps.add(at+"/notify/channel", "must be appio or email")
		}
		for _, part := range []struct {
			path string
			text Text
		}{{"/notify/subject", n.Subject}, {"/notify/markdown", n.Markdown}} {
			for lang, s := range part.text.langs() {
				for _, code := range Placeholders(s) {
					if err := orderedOnly(code); err != nil {
						ps.add(at+part.path+"/"+lang, "placeholder {{%s}}: %s", code, err)
					} else if err := checkExpr(code, env, ""); err != nil {
						ps.add(at+part.path+"/"+lang, "placeholder {{%s}} does not type-check: %s", code, firstLine(err.Error()))
					}
				}
			}
		}
		if n.WithPayment && !hasType(t, StepPayment) {
			ps.add(at+"/notify/withPayment", "the template has no payment step")
		}
	case StepLedger:
		if s.Ledger.Kind != "accertamento" && s.Ledger.Kind != "reversale" {
			ps.add(at+"/ledger/kind", "must be accertamento or reversale")
		}
		if s.Ledger.Capitolo == "" {
			ps.add(at+"/ledger/capitolo", "is required")
		}
	case StepWait:
		w := s.Wait
		switch {
		case (w.Duration == "") == (w.UntilExpr == ""):
			ps.add(at+"/wait", "needs exactly one of duration and untilExpr")
		case w.Duration != "":
			if d, err := time.ParseDuration(w.Duration); err != nil || d <= 0 {
				ps.add(at+"/wait/duration", "must be a positive duration like 72h")
			}
		default:
			exprAt(at+"/wait/untilExpr", w.UntilExpr, "")
		}
	case StepDeadline:
		checkDeadline(at+"/deadline", s.Deadline, idx, ps)
	case StepDecision:
		d := s.Decision
		if len(d.Cases) == 0 {
			ps.add(at+"/decision/cases", "must list at least one case")
		}
		for j, cs := range d.Cases {
			exprAt(fmt.Sprintf("%s/decision/cases/%d/when", at, j), cs.When, "bool")
			ref(fmt.Sprintf("%s/decision/cases/%d/next", at, j), cs.Next)
		}
		if d.Default == "" && !coversAll(d.Cases, env) {
			ps.add(at+"/decision/default", "is required: the cases do not cover every value")
		}
		optRef(at+"/decision/default", d.Default)
	case StepParallel:
		if len(s.Parallel.Branches) < 2 {
			ps.add(at+"/parallel/branches", "must list at least two branches")
		}
		for j, b := range s.Parallel.Branches {
			ref(fmt.Sprintf("%s/parallel/branches/%d", at, j), b)
		}
		ref(at+"/next", s.Next)
	case StepEnd:
		if !contains(EndOutcomes, s.End.Outcome) {
			ps.add(at+"/end/outcome", "must be one of %s", strings.Join(EndOutcomes, ", "))
		}
		if s.Next != "" {
			ps.add(at+"/next", "an end step has no next step")
		}
	}
}

// EndOutcomes lists the ways a pratica can end.
var EndOutcomes = []string{"accepted", "rejected", "withdrawn", "completed", "expired", "silenzio-assenso"}

func (c *Checker) checkPayment(ctx context.Context, at string, p *PaymentStep, exprAt func(string, string, string), optRef func(string, string), ps *problems) {
	switch {
	case p.AmountExpr != "" && p.AmountCents != 0:
		ps.add(at+"/amountCents", "set either amountCents or amountExpr, not both")
	case p.AmountExpr != "":
		exprAt(at+"/amountExpr", p.AmountExpr, "int")
	case p.AmountCents <= 0:
		ps.add(at+"/amountCents", "must be a positive amount in euro cents")
	}
	if !taxonomyCode.MatchString(p.Taxonomy) {
		ps.add(at+"/taxonomy", "must be a taxonomy code like 9/0104102TS/")
	} else if c.Refs != nil {
		if err := c.Refs.Taxonomy(ctx, p.Taxonomy); err != nil {
			ps.add(at+"/taxonomy", "%s is not in the pagoPA taxonomy", p.Taxonomy)
		}
	}
	if p.Remittance.IT == "" {
		ps.add(at+"/remittance/it", "is required")
	} else if utf8.RuneCountInString(p.Remittance.IT) > 140 {
		ps.add(at+"/remittance/it", "must be at most 140 characters (pagoPA causale)")
	}
	if len(p.Transfers) > 5 {
		ps.add(at+"/transfers", "at most 5 transfers are allowed")
	}
	pct := 0
	for j, tr := range p.Transfers {
		tp := fmt.Sprintf("%s/transfers/%d", at, j)
		if tr.IBAN != "" {
			if err := CheckIBAN(tr.IBAN); err != nil {
				ps.add(tp+"/iban", "%v", err)
			}
		}
		if (tr.Percent == 0) == (tr.AmountCents == 0) || tr.Percent < 0 || tr.AmountCents < 0 {
			ps.add(tp, "needs exactly one of a positive percent or amountCents")
		}
		pct += tr.Percent
	}
	if pct != 0 && pct != 100 {
		ps.add(at+"/transfers", "percents add up to %d, not 100", pct)
	}
	if len(p.Installments) > 0 {
		sum := 0
		for _, in := range p.Installments {
			sum += in.Percent
		}
		if sum != 100 {
			ps.add(at+"/installments", "percents add up to %d, not 100", sum)
		}
	}
	if p.ExpiryDays <= 0 {
		ps.add(at+"/expiryDays", "must be a positive number of days")
	}
	if p.DueDays < 0 || p.DueDays > p.ExpiryDays {
		ps.add(at+"/dueDays", "must be between 0 and expiryDays")
	}
	optRef(at+"/onExpiry", p.OnExpiry)
}

func checkDeadline(at string, d *Deadline, idx map[string]int, ps *problems) {
	if d.Days <= 0 {
		ps.add(at+"/days", "must be a positive number of days")
	}
	switch d.OnExpiry {
	case "escalate":
		if d.Substitute == "" {
			ps.add(at+"/substitute", "is required to escalate: the holder of the potere sostitutivo")
		}
	case "silenzio-assenso":
	default:
		ps.add(at+"/onExpiry", "must be escalate or silenzio-assenso")
	}
	if d.Next != "" {
		if _, ok := idx[d.Next]; !ok {
			ps.add(at+"/next", "step %q does not exist", d.Next)
		}
	}
}

func checkLen(at string, t Text, lo, hi int, ps *problems) {
	for lang, s := range t.langs() {
		if s == "" && lang == "en" {
			continue
		}
		if n := utf8.RuneCountInString(s); n < lo || n > hi {
			ps.add(at+"/"+lang, "must be %d to %d characters, it has %d", lo, hi, n)
		}
	}
}

func hasType(t *Template, typ string) bool {
	for _, s := range t.Steps {
		if s.Type == typ {
			return true
		}
	}
	return false
}

func isStepType(s string) bool {
	return contains([]string{StepForm, StepTask, StepPayment, StepNotify, StepLedger, StepWait, StepDeadline, StepDecision, StepParallel, StepEnd}, s)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// coversAll reports whether a decision's cases certainly cover every value: a
// case that is literally true, or a condition together with its negation
// (E and !E, or x == true and x == false). Anything subtler needs a default.
func coversAll(cases []Case, _ map[string]any) bool {
	whens := map[string]bool{}
	for _, c := range cases {
		w := strings.Join(strings.Fields(c.When), " ")
		if w == "true" {
			return true
		}
		whens[w] = true
	}
	for w := range whens {
		for _, neg := range []string{"!" + w, "!(" + w + ")", "not " + w, "not (" + w + ")"} {
			if whens[neg] {
				return true
			}
		}
		if x, ok := strings.CutSuffix(w, " == true"); ok && whens[x+" == false"] {
			return true
		}
	}
	return false
}
