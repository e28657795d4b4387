package auth

import (
	"context"
	"fmt"
	"sync"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/sportello/sportello/store"
)

// casbinRule is one row of casbin_rule: a policy ("p") or a role link ("g").
type casbinRule struct {
	ID    string `gorm:"column:id;primaryKey"`
	Ptype string `gorm:"column:ptype"`
	V0    string `gorm:"column:v0"`
	V1    string `gorm:"column:v1"`
	V2    string `gorm:"column:v2"`
	V3    string `gorm:"column:v3"`
	V4    string `gorm:"column:v4"`
	V5    string `gorm:"column:v5"`
}

func (casbinRule) TableName() string { return "casbin_rule" }

func (r casbinRule) values() []string {
	vs := []string{r.V0, r.V1, r.V2, r.V3, r.V4, r.V5}
	for len(vs) > 0 && vs[len(vs)-1] == "" {
		vs = vs[:len(vs)-1]
	}
	return vs
}

func newRule(ptype string, rule []string) casbinRule {
	r := casbinRule{ID: uuid.NewString(), Ptype: ptype}
	dst := []*string{&r.V0, &r.V1, &r.V2, &r.V3, &r.V4, &r.V5}
	for i, v := range rule {
		if i < len(dst) {
			*dst[i] = v
		}
	}
	return r
}

// Adapter is a casbin persist.Adapter over the casbin_rule table. We write our
// own because github.com/casbin/gorm-adapter pulls SQLite drivers that clash with
// the pinned modernc.org/sqlite. Every write bumps casbin_version in the same
// transaction, so other processes notice and reload.
type Adapter struct {
	db *gorm.DB

	mu sync.Mutex
	// byPerson indexes the live assignments loaded with the g2 links, oldest
	// first, with their offices: the guard looks a person up on every request.
	byPerson map[string][]assignmentRow
}

var _ persist.Adapter = (*Adapter)(nil)

// NewAdapter returns the adapter over db.
func NewAdapter(db *gorm.DB) *Adapter { return &Adapter{db: db} }

// LoadPolicy loads every rule into m, and every live role assignment as a g2
// link (person, role, ente).
func (a *Adapter) LoadPolicy(m model.Model) error {
	var rows []casbinRule
	if err := a.db.Order("ptype, v0, v1, v2, v3").Find(&rows).Error; err != nil {
		return fmt.Errorf("load policy: %w", err)
	}
	for _, r := range rows {
		if r.Ptype == assignmentType {
			continue // assignments live in their own table
		}
		if err := persist.LoadPolicyArray(append([]string{r.Ptype}, r.values()...), m); err != nil {
			return fmt.Errorf("load policy %s: %w", r.ID, err)
		}
	}
	assigned, err := loadAssignments(a.db)
	if err != nil {
		return err
	}
	byPerson := make(map[string][]assignmentRow, len(assigned))
	for _, r := range assigned {
		if err := persist.LoadPolicyArray([]string{assignmentType, r.Person, r.Role, r.Ente}, m); err != nil {
			return fmt.Errorf("load role assignment %s: %w", r.ID, err)
		}
		byPerson[r.Person] = append(byPerson[r.Person], r)
	}
	a.mu.Lock()
	a.byPerson = byPerson
	a.mu.Unlock()
	return nil
}

// assignmentType is the casbin ptype of role assignments.
const assignmentType = "g2"

// assignmentsOf returns the live assignments of person as last loaded, oldest first.
func (a *Adapter) assignmentsOf(person string) []assignmentRow {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.byPerson[person]
}

// SavePolicy replaces every stored rule with the rules of m.
func (a *Adapter) SavePolicy(m model.Model) error {
	var rows []casbinRule
	for _, sec := range []string{"p", "g"} {
		for ptype, ast := range m[sec] {
			if ptype == assignmentType {
				continue // written to auth_role_assignments only
			}
			for _, rule := range ast.Policy {
				rows = append(rows, newRule(ptype, rule))
			}
		}
	}
	return a.write(func(tx *gorm.DB) error {
		if err := tx.Where("1 = 1").Delete(&casbinRule{}).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		return tx.CreateInBatches(rows, 100).Error
	})
}

// AddPolicy stores one rule.
func (a *Adapter) AddPolicy(_ string, ptype string, rule []string) error {
	return a.write(func(tx *gorm.DB) error { return tx.Create(ptr(newRule(ptype, rule))).Error })
}

// RemovePolicy deletes one rule.
func (a *Adapter) RemovePolicy(_ string, ptype string, rule []string) error {
	r := newRule(ptype, rule)
	return a.write(func(tx *gorm.DB) error {
		return tx.Where("ptype = ? AND v0 = ? AND v1 = ? AND v2 = ? AND v3 = ? AND v4 = ? AND v5 = ?",
			r.Ptype, r.V0, r.V1, r.V2, r.V3, r.V4, r.V5).Delete(&casbinRule{}).Error
	})
}

// RemoveFilteredPolicy deletes the rules whose fields from fieldIndex on match
// fieldValues; an empty value matches anything.
func (a *Adapter) RemoveFilteredPolicy(_ string, ptype string, fieldIndex int, fieldValues ...string) error {
	return a.write(func(tx *gorm.DB) error {
		q := tx.Where("ptype = ?", ptype)
		for i, v := range fieldValues {
			idx := fieldIndex + i
			if v == "" || idx > 5 {
				continue
			}
			q = q.Where(fmt.Sprintf("v%d = ?", idx), v)
		}
		return q.Delete(&casbinRule{}).Error
	})
}

func (a *Adapter) write(f func(tx *gorm.DB) error) error {
	return store.Tx(context.Background(), a.db, func(tx *gorm.DB) error {
		if err := f(tx); err != nil {
			return fmt.Errorf("save policy: %w", err)
		}
		return tx.Exec("UPDATE casbin_version SET version = version + 1 WHERE name = 'policy'").Error
	})
}

// version reads the policy version counter.
func (a *Adapter) version(ctx context.Context) (int64, error) {
	var v int64
	err := a.db.WithContext(ctx).Raw("SELECT version FROM casbin_version WHERE name = 'policy'").Scan(&v).Error
	return v, err
}

func ptr[T any](v T) *T { return &v }
