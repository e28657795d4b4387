package modeler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
)

// Service is the modeller: it saves, checks and publishes forms, templates and
// overlays, compiles plans and validates submissions.
type Service struct {
	Store   *Store
	Forms   *Forms
	Checker *Checker
	Log     *slog.Logger
	// Enti, when set, checks that an overlay's ente exists before it is stored.
	Enti Enti
	// Links makes each published version the one new pratiche start on (nil: nothing is linked).
	Links Linker
	// Now is the clock of date bounds (nil: time.Now).
	Now func() time.Time

	mu    sync.Mutex
	plans map[string]*Plan
}

// NewService builds the modeller over db; refs checks taxonomy, roles and
// offices (the catalog and access control), concepts resolves catalog concepts.
func NewService(db *gorm.DB, refs References, concepts ConceptSource, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{Store: &Store{DB: db}, Forms: NewForms(concepts), Log: log, plans: map[string]*Plan{}}
	s.Checker = &Checker{Refs: refs, Forms: storeForms{s}, Concepts: concepts}
	return s
}

// storeForms serves form versions from the store to the checker.
type storeForms struct{ s *Service }

func (f storeForms) Form(ctx context.Context, ref FormRef) (*Form, error) { return f.s.Form(ctx, ref) }

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{1,62}$`)

// Form reads a form version.
func (s *Service) Form(ctx context.Context, ref FormRef) (*Form, error) {
	rec, err := s.Store.FormVersion(ctx, ref)
	if err != nil {
		return nil, err
	}
	return rec.Form()
}

// SaveForm checks that f's schema compiles and its UI schema names real fields,
// then stores it as the form's draft.
func (s *Service) SaveForm(ctx context.Context, f *Form) (*FormRecord, error) {
	var ps problems
	if !idPattern.MatchString(f.ID) {
		ps.add("/id", "must be 2-63 lowercase letters, digits, '.', '_' or '-'")
	}
	if f.Title.IT == "" {
		ps.add("/title/it", "is required")
	}
	if len(ps) == 0 {
		if _, err := s.Forms.compile(ctx, f.ID+"@draft", f.Schema); err != nil {
			return nil, err
		}
		checkUI(f, &ps)
		checkFormRules(ctx, f, s.Forms.Concepts, &ps)
		checkAttachmentFields(f, &ps)
	}
	if len(ps) > 0 {
		return nil, errs.Fields(ps)
	}
	return s.Store.SaveFormDraft(ctx, f)
}

// checkUI reports UI entries naming fields the schema does not have.
func checkUI(f *Form, ps *problems) {
	if f.UI == nil {
		return
	}
	var schema map[string]any
	_ = json.Unmarshal(f.Schema, &schema)
	fields := map[string]bool{}
	flattenFields(schema, "", false, fields, nil)
	for i, o := range f.UI.Order {
		if !fields["/"+o] {
			ps.add(fmt.Sprintf("/ui/order/%d", i), "%q is not a field of the form", o)
		}
	}
	for i, g := range f.UI.Groups {
		for j, p := range g.Fields {
			if !fields[p] {
				ps.add(fmt.Sprintf("/ui/groups/%d/fields/%d", i, j), "%q is not a field of the form", p)
			}
		}
	}
	for _, p := range sortedKeys(f.UI.Fields) {
		if !fields[p] {
			ps.add("/ui/fields/"+p, "is not a field of the form")
		}
	}
}

// PublishForm publishes the form's draft; a published version never changes.
func (s *Service) PublishForm(ctx context.Context, id string) (*FormRecord, error) {
	return s.Store.PublishFormDraft(ctx, id, formHash)
}

// formHash hashes a form's content without its version number, so republishing
// an unchanged form finds the version it already is.
func formHash(r *FormRecord) string {
	f, err := r.Form()
	if err != nil {
		return sha(r.Document)
	}
	f.Version = 0
	b, _ := json.Marshal(f)
	return sha(string(b))
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// ValidateData validates data against a form version: every problem at once,
// in lang. Rules see no applicant; a pratica's data goes through CheckData.
func (s *Service) ValidateData(ctx context.Context, ref FormRef, data any, lang string) error {
	if m, ok := data.(map[string]any); ok {
		return s.CheckData(ctx, ref, m, Facts{}, lang)
	}
	f, err := s.Form(ctx, ref)
	if err != nil {
		return err
	}
	sch, err := s.Forms.Compile(ctx, f)
	if err != nil {
		return err
	}
	return Validate(sch, data, lang)
}

// CheckData normalises data in place (a codice fiscale upper-cased), then
// checks it against a form version: its schema, its date bounds with today in
// Europe/Rome, and its rules with the applicant as the pratica's owner (facts).
// Every problem comes back at once, each on the field it concerns, in lang.
func (s *Service) CheckData(ctx context.Context, ref FormRef, data map[string]any, facts Facts, lang string) error {
	f, err := s.Form(ctx, ref)
	if err != nil {
		return err
	}
	sch, err := s.Forms.Compile(ctx, f)
	if err != nil {
		return err
	}
	Normalise(sch, data)
	var out []errs.FieldError
	if err := Validate(sch, data, lang); err != nil {
		e, ok := errs.As(err)
		if !ok || len(e.Fields) == 0 {
			return err
		}
		out = append(out, e.Fields...)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if facts.Today == "" {
		facts.Today = Today(now())
	}
	out = append(out, checkDates(f, data, facts, lang)...)
	out = append(out, checkRules(f, data, facts, lang)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return errs.Fields(dedupe(out))
}

// ValidateSubmission normalises and checks a citizen's first submission
// against the form of the start step of a published template version
// (engine.Forms); owner is the applicant the form's rules see.
func (s *Service) ValidateSubmission(ctx context.Context, template string, version int, owner string, data map[string]any, lang string) error {
	p, err := s.Plan(ctx, template, version)
	if err != nil {
		return err
	}
	st := p.Steps[p.Start]
	if st == nil || st.Form == nil {
		return nil
	}
	return s.CheckData(ctx, FormRef{st.Form.FormID, st.Form.Version}, data, Facts{Applicant: owner}, lang)
}

// Plan compiles a published template version (0: the latest) into its Plan, cached.
func (s *Service) Plan(ctx context.Context, id string, version int) (*Plan, error) {
	rec, err := s.Store.TemplateVersion(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if rec.Status != Published {
		return nil, &errs.Error{Code: errs.Conflict, Reason: "not_published", Message: fmt.Sprintf("template %s@%d is a draft", id, rec.Version)}
	}
	key := fmt.Sprintf("%s@%d", rec.ID, rec.Version)
	s.mu.Lock()
	p, ok := s.plans[key]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	t, _, err := Resolve([]byte(rec.Document), rec.Version, nil)
	if err != nil {
		return nil, errs.Wrap(err, "resolve %s", key)
	}
	p, err = Compile(t, rec.Version)
	if err != nil {
		return nil, err
	}
	if p.Hash != rec.Hash {
		return nil, errs.E(errs.Internal, "template %s: stored hash does not match its content", key)
	}
	s.mu.Lock()
	s.plans[key] = p
	s.mu.Unlock()
	return p, nil
}
