package auth

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
	"github.com/sportello/sportello/store"
)

// assignmentRow is one row of auth_role_assignments.
type assignmentRow struct {
	ID        string     `gorm:"column:id;primaryKey"`
	Person    string     `gorm:"column:person"`
	Ente      string     `gorm:"column:ente"`
	Role      string     `gorm:"column:role"`
	Offices   string     `gorm:"column:offices"` // comma-separated unit codes
	GrantedBy string     `gorm:"column:granted_by"`
	GrantedAt time.Time  `gorm:"column:granted_at"`
	RevokedBy string     `gorm:"column:revoked_by"`
	RevokedAt *time.Time `gorm:"column:revoked_at"`
}

func (assignmentRow) TableName() string { return "auth_role_assignments" }

func (r assignmentRow) api() api.RoleAssignment {
	a := api.RoleAssignment{ID: r.ID, Person: r.Person, Ente: r.Ente, Role: r.Role, Offices: []string{},
		GrantedBy: r.GrantedBy, GrantedAt: r.GrantedAt.UTC()}
	if r.Offices != "" {
		a.Offices = strings.Split(r.Offices, ",")
	}
	return a
}

// unitRe is the shape of an organisation unit code.
var unitRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// enteRoles and regionalRoles are the roles an assignment can give; regional ones sit in the region.
var (
	enteRoles     = []string{api.RoleOperator, api.RoleEnteAdmin}
	regionalRoles = []string{api.RoleDesigner, api.RoleRegionalAdmin}
)

// Orgs checks enti and their offices against the master data.
type Orgs interface {
	// EnteExists returns a not_found error when ente is not in the catalog.
	EnteExists(ctx context.Context, ente string) error
	// Office returns a not_found error when office is not a unit of ente.
	Office(ctx context.Context, ente, office string) error
}

// loadAssignments reads the live assignments, oldest first.
func loadAssignments(db *gorm.DB) ([]assignmentRow, error) {
	var rows []assignmentRow
	if err := db.Where("revoked_at IS NULL").Order("granted_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load role assignments: %w", err)
	}
	return rows, nil
}

// ListRoles lists ente's live role assignments, oldest first.
func (s *Service) ListRoles(ctx context.Context, ente string) ([]api.RoleAssignment, error) {
	var rows []assignmentRow
	if err := s.db.WithContext(ctx).Where("ente = ? AND revoked_at IS NULL", ente).Order("granted_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list role assignments of %s: %w", ente, err)
	}
	out := make([]api.RoleAssignment, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.api())
	}
	return out, nil
}

// mayAssign checks that by may give or take role in ente: the region any staff
// role (regional ones in the region, the others in an ente), an ente admin the
// roles of an ente, no higher than their own, in their own ente only.
func mayAssign(by *api.Principal, ente, role string) error {
	if by == nil {
		return errs.E(errs.Unauth, "sign in first / accesso richiesto")
	}
	if !slices.Contains(enteRoles, role) && !slices.Contains(regionalRoles, role) {
		return errs.Field("role", "must be one of operator, ente-admin, designer, regional-admin / ruolo non assegnabile")
	}
	if slices.Contains(regionalRoles, role) != (ente == api.Region) {
		return errs.Field("role", "designer and regional-admin are held in the region, operator and ente-admin in an ente / "+
			"i ruoli regionali si assegnano nella regione, gli altri in un ente")
	}
	switch by.Role {
	case api.RoleRegionalAdmin:
		return nil
	case api.RoleEnteAdmin:
		if ente != by.Ente {
			return &errs.Error{Code: errs.Forbidden, Reason: ReasonOtherEnte,
				Message: "you manage the roles of " + by.Ente + " only / gestisci solo i ruoli di " + by.Ente}
		}
		if !slices.Contains(enteRoles, role) {
			return &errs.Error{Code: errs.Forbidden, Reason: ReasonNotAllowed,
				Message: "you may not give a role you do not hold / non puoi assegnare un ruolo superiore al tuo"}
		}
		return nil
	}
	return &errs.Error{Code: errs.Forbidden, Reason: ReasonNotAllowed, Message: "you may not assign roles / non puoi assegnare ruoli"}
}

// GrantRole gives a person a role in ente on behalf of by; the person acts in it
// from their next request. Granting a role the person holds there already is a conflict.
func (s *Service) GrantRole(ctx context.Context, by *api.Principal, ente string, in api.NewRoleAssignment) (api.RoleAssignment, error) {
	if err := mayAssign(by, ente, in.Role); err != nil {
		return api.RoleAssignment{}, err
	}
	person, err := NormalizePerson("person", in.Person)
	if err != nil {
		return api.RoleAssignment{}, err
	}
	offices, err := s.checkOffices(ctx, ente, in)
	if err != nil {
		return api.RoleAssignment{}, err
	}
	row := assignmentRow{ID: uuid.NewString(), Person: person, Ente: ente, Role: in.Role, Offices: strings.Join(offices, ","),
		GrantedBy: by.Subject, GrantedAt: time.Now().UTC().Truncate(time.Microsecond)}
	err = store.Tx(ctx, s.db, func(tx *gorm.DB) error {
		// The unique index on the live (person, ente, role) decides, also
		// between two grants racing.
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return &errs.Error{Code: errs.Conflict, Reason: "assigned",
				Message: "the person holds this role in " + ente + " already: revoke it to change the offices / ruolo già assegnato"}
		}
		return bumpPolicy(tx)
	})
	if err != nil {
		return api.RoleAssignment{}, errs.Wrap(err, "grant role")
	}
	s.Authz.invalidate()
	return row.api(), nil
}

// RevokeRole takes an assignment of ente back on behalf of by, who must be
// allowed to grant it; the row stays as history.
func (s *Service) RevokeRole(ctx context.Context, by *api.Principal, ente, id string) (api.RoleAssignment, error) {
	var row assignmentRow
	err := s.db.WithContext(ctx).Where("id = ? AND ente = ? AND revoked_at IS NULL", id, ente).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return api.RoleAssignment{}, errs.E(errs.NotFound, "no live role assignment %s in %s / assegnazione inesistente", id, ente)
	}
	if err != nil {
		return api.RoleAssignment{}, fmt.Errorf("revoke role: %w", err)
	}
	if err := mayAssign(by, ente, row.Role); err != nil {
		return api.RoleAssignment{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	err = store.Tx(ctx, s.db, func(tx *gorm.DB) error {
		res := tx.Model(&assignmentRow{}).Where("id = ? AND revoked_at IS NULL", id).
			Updates(map[string]any{"revoked_at": now, "revoked_by": by.Subject})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errs.E(errs.NotFound, "no live role assignment %s in %s / assegnazione inesistente", id, ente)
		}
		return bumpPolicy(tx)
	})
	if err != nil {
		return api.RoleAssignment{}, errs.Wrap(err, "revoke role")
	}
	s.Authz.invalidate()
	return row.api(), nil
}

// checkOffices validates the offices of a new assignment: operators and ente
// admins only, each a unit of ente, no repeats; sorted.
func (s *Service) checkOffices(ctx context.Context, ente string, in api.NewRoleAssignment) ([]string, error) {
	if s.Orgs != nil && ente != api.Region {
		if err := s.Orgs.EnteExists(ctx, ente); err != nil {
			return nil, errs.Field("ente", "%s is not an ente of the catalog / ente sconosciuto", ente)
		}
	}
	if len(in.Offices) > 0 && ente == api.Region {
		return nil, errs.Field("offices", "regional roles have no offices / i ruoli regionali non hanno uffici")
	}
	var f []errs.FieldError
	seen := map[string]bool{}
	for i, o := range in.Offices {
		field := fmt.Sprintf("offices[%d]", i)
		switch {
		case !unitRe.MatchString(o):
			f = append(f, errs.FieldError{Field: field, Message: "an office code: lower-case letters, digits, - or _ / codice ufficio non valido"})
		case seen[o]:
			f = append(f, errs.FieldError{Field: field, Message: "repeated / ripetuto"})
		case s.Orgs != nil && s.Orgs.Office(ctx, ente, o) != nil:
			f = append(f, errs.FieldError{Field: field, Message: o + " is not an office of " + ente + " / non è un ufficio dell'ente"})
		}
		seen[o] = true
	}
	if err := errs.Fields(f); err != nil {
		return nil, err
	}
	out := slices.Clone(in.Offices)
	slices.Sort(out)
	return out, nil
}

// bumpPolicy tells every process to reload the policies, assignments included.
func bumpPolicy(tx *gorm.DB) error {
	return tx.Exec("UPDATE casbin_version SET version = version + 1 WHERE name = 'policy'").Error
}

// EnsureRegionalAdmins gives each person the regional-admin role unless they
// hold it; the binary calls it at start with the configured list, so that a
// broker asserting no roles still lets somebody grant the first assignments.
// by names the setting in the rows and the audit log.
func (s *Service) EnsureRegionalAdmins(ctx context.Context, persons []string, by string) error {
	sys := &api.Principal{Subject: by, Role: api.RoleRegionalAdmin, Ente: api.Region}
	for _, p := range persons {
		ra, err := s.GrantRole(ctx, sys, api.Region, api.NewRoleAssignment{Person: p, Role: api.RoleRegionalAdmin})
		if errs.CodeOf(err) == errs.Conflict {
			continue
		}
		if err != nil {
			return fmt.Errorf("regional admin %s: %w", p, err)
		}
		s.Record(ctx, api.AuditEntry{Subject: by, Role: api.RoleRegionalAdmin, Ente: api.Region, Domain: api.Region,
			Action: "grant", Object: "role", ObjectID: ra.Person + " " + ra.Role + "@" + ra.Ente, Outcome: "allowed", Status: 200})
	}
	return nil
}
