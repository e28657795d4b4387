package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gorm.io/gorm"

	"github.com/sportello/sportello/errs"
)

// ConceptBase is the prefix of every concept's $id: <ConceptBase><name>/v<version>.
const ConceptBase = "https://sportello.regione.fvg.it/concepts/"

// ConceptInput publishes a new version of a data concept of the business catalog.
type ConceptInput struct {
	Name  string `json:"name"` // e.g. codice-fiscale
	Label Text   `json:"label"`
	Help  Text   `json:"help"`
	// Schema is the JSON Schema 2020-12 of the concept's value, without $id and
	// $schema: they are set here. It may $ref other concepts by their $id.
	Schema   json.RawMessage   `json:"schema"`
	Examples []json.RawMessage `json:"examples"`
}

// Concept is one immutable version of a data concept.
type Concept struct {
	ID        string          `json:"$id"`
	Name      string          `json:"name"`
	Version   int             `json:"version"`
	Label     Text            `json:"label"`
	Schema    json.RawMessage `json:"schema"` // the full schema with $id, labels, help and examples
	CreatedAt time.Time       `json:"createdAt"`
}

type conceptRow struct {
	ID        string    `gorm:"column:id;primaryKey"`
	Name      string    `gorm:"column:name"`
	Version   int       `gorm:"column:version"`
	LabelIt   string    `gorm:"column:label_it"`
	LabelEn   string    `gorm:"column:label_en"`
	Body      string    `gorm:"column:body"`
	Search    string    `gorm:"column:search"`
	CreatedAt time.Time `gorm:"column:created_at"`
}

func (conceptRow) TableName() string { return "catalog_concepts" }

func (r *conceptRow) concept() Concept {
	return Concept{ID: r.ID, Name: r.Name, Version: r.Version, Label: Text{It: r.LabelIt, En: r.LabelEn},
		Schema: json.RawMessage(r.Body), CreatedAt: r.CreatedAt.UTC()}
}

// ConceptID is the $id of version v of the concept name.
func ConceptID(name string, v int) string { return fmt.Sprintf("%s%s/v%d", ConceptBase, name, v) }

// PublishConcept checks the input and stores it as the next version of the
// concept; publishing the same content as the latest version returns it unchanged.
func (s *Store) PublishConcept(ctx context.Context, in ConceptInput) (*Concept, error) {
	var fe []errs.FieldError
	add := func(f, m string, a ...any) { fe = append(fe, errs.FieldError{Field: f, Message: fmt.Sprintf(m, a...)}) }
	if !slugRE.MatchString(in.Name) {
		add("name", "must be lower-case letters, digits and dashes")
	}
	for _, f := range []struct{ name, v string }{{"label.it", in.Label.It}, {"label.en", in.Label.En}, {"help.it", in.Help.It}, {"help.en", in.Help.En}} {
		if strings.TrimSpace(f.v) == "" {
			add(f.name, "is required")
		}
	}
	var body map[string]any
	if err := json.Unmarshal(in.Schema, &body); err != nil || body == nil {
		add("schema", "must be a JSON Schema object")
	}
	if len(in.Examples) == 0 {
		add("examples", "at least one example is required")
	}
	if err := errs.Fields(fe); err != nil {
		return nil, err
	}
	var out *Concept
	err := s.tx(ctx, func(ts *Store) error {
		var latest conceptRow
		err := ts.conn(ctx).Where("name = ?", in.Name).Order("version DESC").Take(&latest).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("load concept %s: %w", in.Name, err)
		}
		version := latest.Version + 1
		doc := buildConcept(body, in, ConceptID(in.Name, version), version)
		if latest.ID != "" {
			prev := buildConcept(body, in, latest.ID, latest.Version)
			if b, _ := json.Marshal(prev); bytes.Equal(compact(b), compact([]byte(latest.Body))) {
				c := latest.concept()
				out = &c
				return nil
			}
		}
		raw, _ := json.Marshal(doc)
		if err := ts.compileConcept(ctx, doc["$id"].(string), raw, in.Examples); err != nil {
			return err
		}
		row := conceptRow{ID: ConceptID(in.Name, version), Name: in.Name, Version: version, LabelIt: in.Label.It,
			LabelEn: in.Label.En, Body: string(raw), CreatedAt: s.now(),
			Search: Normalize(in.Name + " " + in.Label.It + " " + in.Label.En + " " + in.Help.It + " " + in.Help.En)}
		if err := ts.conn(ctx).Create(&row).Error; err != nil {
			return fmt.Errorf("save concept %s: %w", row.ID, err)
		}
		c := row.concept()
		out = &c
		return nil
	})
	return out, err
}

// buildConcept completes the schema with its identity, labels, help and examples.
func buildConcept(schema map[string]any, in ConceptInput, id string, version int) map[string]any {
	doc := map[string]any{}
	for k, v := range schema {
		doc[k] = v
	}
	doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	doc["$id"] = id
	doc["title"] = in.Label.It
	doc["description"] = in.Help.It
	doc["examples"] = in.Examples
	doc["x-label"] = in.Label
	doc["x-help"] = in.Help
	doc["x-version"] = version
	return doc
}

// compileConcept compiles the schema, its references resolved from the stored
// concepts, and checks every example against it.
func (s *Store) compileConcept(ctx context.Context, id string, raw []byte, examples []json.RawMessage) error {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.UseLoader(conceptLoader{ctx: ctx, s: s})
	// Examples must be right to the check character, so formats are assertions here.
	c.AssertFormat()
	for _, f := range Formats() {
		c.RegisterFormat(f)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return errs.Field("schema", "is not valid JSON")
	}
	if err := c.AddResource(id, doc); err != nil {
		return errs.Field("schema", "%v", err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		return errs.Field("schema", "is not a valid JSON Schema 2020-12: %v", err)
	}
	var fe []errs.FieldError
	for i, ex := range examples {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(ex))
		if err == nil {
			err = sch.Validate(v)
		}
		if err != nil {
			fe = append(fe, errs.FieldError{Field: fmt.Sprintf("examples[%d]", i), Message: "does not match the schema: " + oneLine(err.Error())})
		}
	}
	return errs.Fields(fe)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// conceptLoader resolves $ref to other concepts from the store; nothing is fetched from the network.
type conceptLoader struct {
	ctx context.Context
	s   *Store
}

// Load implements jsonschema.URLLoader.
func (l conceptLoader) Load(url string) (any, error) {
	b, err := l.s.Concept(l.ctx, url)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}

// Concept returns the schema of a concept by its $id; a bare name or an $id
// without version gives the latest version. The modeller builds forms with it.
func (s *Store) Concept(ctx context.Context, id string) ([]byte, error) {
	c, err := s.ConceptInfo(ctx, id)
	if err != nil {
		return nil, err
	}
	return c.Schema, nil
}

// ConceptInfo returns a concept version by $id or name.
func (s *Store) ConceptInfo(ctx context.Context, id string) (*Concept, error) {
	q := s.conn(ctx)
	name := strings.TrimSuffix(strings.TrimPrefix(id, ConceptBase), "/")
	if strings.Contains(name, "/") {
		q = q.Where("id = ?", id)
	} else {
		q = q.Where("name = ?", name).Order("version DESC")
	}
	var r conceptRow
	err := q.Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.NotFound, "concept %s does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load concept %s: %w", id, err)
	}
	c := r.concept()
	return &c, nil
}

// Concepts lists the latest version of every concept, or every version when all
// is true, optionally searching labels and help.
func (s *Store) Concepts(ctx context.Context, q string, all bool) ([]Concept, error) {
	db := s.conn(ctx).Model(&conceptRow{})
	for _, w := range strings.Fields(Normalize(q)) {
		db = db.Where("search LIKE ?", "%"+likeEscape(w)+"%")
	}
	if !all {
		db = db.Where("version = (SELECT MAX(c2.version) FROM catalog_concepts c2 WHERE c2.name = catalog_concepts.name)")
	}
	var rows []conceptRow
	if err := db.Order("name, version").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list concepts: %w", err)
	}
	out := make([]Concept, len(rows))
	for i := range rows {
		out[i] = rows[i].concept()
	}
	return out, nil
}

// importConcept stores an exported concept version: the same $id with the same
// schema is already there; a different schema under a stored $id is refused,
// since versions are immutable; a new one must be the next version.
func (s *Store) importConcept(ctx context.Context, c Concept) error {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(c.Schema, &doc); err != nil {
		return errs.Field("schema", "must be a JSON object")
	}
	in := ConceptInput{Name: c.Name}
	_ = json.Unmarshal(doc["x-label"], &in.Label)
	_ = json.Unmarshal(doc["x-help"], &in.Help)
	_ = json.Unmarshal(doc["examples"], &in.Examples)
	for _, k := range []string{"$id", "$schema", "title", "description", "examples", "x-label", "x-help", "x-version"} {
		delete(doc, k)
	}
	in.Schema, _ = json.Marshal(doc)
	if c.ID != ConceptID(c.Name, c.Version) {
		return errs.Field("$id", "must be %s for version %d of %s", ConceptID(c.Name, c.Version), c.Version, c.Name)
	}
	if cur, err := s.ConceptInfo(ctx, c.ID); err == nil {
		if !bytes.Equal(compact(cur.Schema), compact(c.Schema)) {
			return errs.Field("schema", "%s exists with a different schema: concepts are immutable, publish a new version", c.ID)
		}
		return nil
	} else if !errs.Is(err, errs.NotFound) {
		return err
	}
	got, err := s.PublishConcept(ctx, in)
	if err != nil {
		return err
	}
	if got.ID != c.ID {
		return errs.Field("version", "%s would be stored as %s: import the earlier versions first", c.ID, got.ID)
	}
	return nil
}
