package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/sportello/sportello/api"
	"github.com/sportello/sportello/errs"
)

// keyPrefix starts every API key, so leaked keys are easy to recognise and scan for.
const keyPrefix = "spk_"

// keyRow is one row of auth_api_keys; only the sha256 of the secret is kept.
type keyRow struct {
	ID         string `gorm:"column:id;primaryKey"`
	Prefix     string `gorm:"column:prefix"`
	SecretHash string `gorm:"column:secret_hash"`
	Name       string `gorm:"column:name"`
	Ente       string `gorm:"column:ente"`
	Scopes     string `gorm:"column:scopes"`
	Serves     string `gorm:"column:serves"`
	CreatedBy  string `gorm:"column:created_by"`
	// CreatorRole and CreatorEnte are the creator's role and ente when the key
	// was made: every use is checked against what that role may still do.
	CreatorRole string `gorm:"column:creator_role"`
	CreatorEnte string `gorm:"column:creator_ente"`
	// CreatorPerson is set when the creator acted in a role assignment.
	CreatorPerson string     `gorm:"column:creator_person"`
	CreatedAt     time.Time  `gorm:"column:created_at"`
	RevokedAt     *time.Time `gorm:"column:revoked_at"`
	LastUsedAt    *time.Time `gorm:"column:last_used_at"`
}

func (keyRow) TableName() string { return "auth_api_keys" }

func (r keyRow) api() api.APIKey {
	k := api.APIKey{ID: r.ID, Name: r.Name, Ente: r.Ente, Prefix: r.Prefix, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), RevokedAt: utcPtr(r.RevokedAt), LastUsedAt: utcPtr(r.LastUsedAt)}
	_ = json.Unmarshal([]byte(r.Scopes), &k.Scopes)
	k.Serves = r.served()
	return k
}

// served lists the enti the key serves: those stated, or the key's own ente.
func (r keyRow) served() []string {
	var out []string
	if r.Serves != "" {
		_ = json.Unmarshal([]byte(r.Serves), &out)
	}
	if len(out) == 0 {
		out = []string{r.Ente}
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

var (
	scopeRe = regexp.MustCompile(`^[a-z][a-z-]*:([a-z][a-z-]*|\*)$`)
	enteRe  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// unkeyable are objects no API key may act on: a machine must not mint keys or
// rewrite policies or give people roles, or one leaked key would open
// everything. Wildcard objects are refused too, so every key lists what it touches.
var unkeyable = []string{"apikey", "policy", "role"}

// Keys stores machine clients' API keys.
type Keys struct {
	db  *gorm.DB
	now func() time.Time
}

// NewKeys returns the key store over db.
func NewKeys(db *gorm.DB) *Keys {
	return &Keys{db: db, now: func() time.Time { return time.Now().UTC() }}
}

// Create makes a key for ente with the given scopes; the secret is returned once.
func (k *Keys) Create(ctx context.Context, by *api.Principal, ente string, in api.NewAPIKey) (api.CreatedAPIKey, error) {
	var fields []errs.FieldError
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 100 {
		fields = append(fields, errs.FieldError{Field: "name", Message: "required, at most 100 characters / obbligatorio, al massimo 100 caratteri"})
	}
	if !enteRe.MatchString(ente) || ente == api.Region {
		fields = append(fields, errs.FieldError{Field: "ente", Message: "must be an ente's IPA code / deve essere il codice IPA di un ente"})
	}
	if len(in.Scopes) == 0 {
		fields = append(fields, errs.FieldError{Field: "scopes", Message: "at least one scope / almeno un ambito"})
	}
	for i, s := range in.Scopes {
		obj, _, _ := strings.Cut(s, ":")
		switch {
		case !scopeRe.MatchString(s):
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("scopes[%d]", i), Message: "must be object:action, e.g. receipt:create / deve essere oggetto:azione"})
		case slices.Contains(unkeyable, obj):
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("scopes[%d]", i), Message: "API keys cannot act on " + obj + " / le chiavi API non possono agire su " + obj})
		}
	}
	serves, sf := servesOf(by, ente, in.Serves)
	fields = append(fields, sf...)
	if err := errs.Fields(fields); err != nil {
		return api.CreatedAPIKey{}, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return api.CreatedAPIKey{}, fmt.Errorf("api key secret: %w", err)
	}
	pre := make([]byte, 4)
	if _, err := rand.Read(pre); err != nil {
		return api.CreatedAPIKey{}, fmt.Errorf("api key prefix: %w", err)
	}
	prefix := keyPrefix + hex.EncodeToString(pre)
	full := prefix + "_" + base64.RawURLEncoding.EncodeToString(secret)
	scopes, _ := json.Marshal(in.Scopes)
	row := keyRow{ID: uuid.NewString(), Prefix: prefix, SecretHash: hashSecret(full), Name: in.Name, Ente: ente,
		Scopes: string(scopes), Serves: serves, CreatedBy: by.Subject, CreatorRole: by.Role, CreatorEnte: by.Ente, CreatorPerson: assignedPerson(by),
		CreatedAt: k.now().Truncate(time.Microsecond)}
	if err := k.db.WithContext(ctx).Create(&row).Error; err != nil {
		return api.CreatedAPIKey{}, fmt.Errorf("create api key: %w", err)
	}
	return api.CreatedAPIKey{APIKey: row.api(), Secret: full}, nil
}

// List returns the keys of ente, newest first, revoked ones included.
func (k *Keys) List(ctx context.Context, ente string) ([]api.APIKey, error) {
	var rows []keyRow
	if err := k.db.WithContext(ctx).Where("ente = ?", ente).Order("created_at DESC, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	out := make([]api.APIKey, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.api())
	}
	return out, nil
}

// Revoke disables key id of ente; revoking twice is harmless.
func (k *Keys) Revoke(ctx context.Context, ente, id string) error {
	res := k.db.WithContext(ctx).Model(&keyRow{}).Where("id = ? AND ente = ? AND revoked_at IS NULL", id, ente).
		Update("revoked_at", k.now())
	if res.Error != nil {
		return fmt.Errorf("revoke api key: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := k.db.WithContext(ctx).Model(&keyRow{}).Where("id = ? AND ente = ?", id, ente).Count(&n).Error; err != nil {
			return fmt.Errorf("revoke api key: %w", err)
		}
		if n == 0 {
			return errs.E(errs.NotFound, "api key %s not found / chiave non trovata", id)
		}
	}
	return nil
}

// Authenticate returns the machine principal of a presented key. Unknown and
// revoked keys are unauthenticated; last use is recorded at most once a minute.
func (k *Keys) Authenticate(ctx context.Context, presented string) (*api.Principal, error) {
	if !strings.HasPrefix(presented, keyPrefix) || len(presented) > 200 {
		return nil, errs.E(errs.Unauth, "api key is not valid / chiave API non valida")
	}
	var row keyRow
	err := k.db.WithContext(ctx).Where("secret_hash = ?", hashSecret(presented)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errs.E(errs.Unauth, "api key is not valid / chiave API non valida")
	}
	if err != nil {
		return nil, fmt.Errorf("api key lookup: %w", err)
	}
	if row.RevokedAt != nil {
		return nil, errs.E(errs.Unauth, "api key was revoked / chiave API revocata")
	}
	now := k.now()
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) > time.Minute {
		if err := k.db.WithContext(ctx).Model(&keyRow{}).Where("id = ?", row.ID).Update("last_used_at", now).Error; err != nil {
			return nil, fmt.Errorf("api key last use: %w", err)
		}
	}
	key := row.api()
	p := &api.Principal{Subject: "apikey:" + row.Prefix, Name: row.Name, Role: api.RoleMachine, Ente: row.Ente,
		Scopes: key.Scopes, Serves: key.Serves}
	if row.CreatorRole != "" {
		p.Creator = &api.Principal{Subject: row.CreatedBy, Role: row.CreatorRole, Ente: row.CreatorEnte}
		if row.CreatorPerson != "" {
			p.Creator.FiscalCode, p.Creator.RoleFrom = row.CreatorPerson, api.RoleFromAssignment
		}
	}
	return p, nil
}

// servesOf checks the enti a new key is to serve: only the region makes a key
// for the intermediary's station, which serves more than the key's own ente.
// It returns them as stored (a JSON list, the key's ente first), or "" for the
// key's ente alone.
func servesOf(by *api.Principal, ente string, serves []string) (string, []errs.FieldError) {
	if len(serves) == 0 || (len(serves) == 1 && serves[0] == ente) {
		return "", nil
	}
	if by.Role != api.RoleRegionalAdmin {
		return "", []errs.FieldError{{Field: "serves", Message: "only the region makes keys serving other enti (the intermediary's station) / solo la Regione crea chiavi per altri enti (stazione dell'intermediario)"}}
	}
	out := []string{ente}
	var fields []errs.FieldError
	for i, e := range serves {
		switch {
		case !enteRe.MatchString(e) || e == api.Region:
			fields = append(fields, errs.FieldError{Field: fmt.Sprintf("serves[%d]", i), Message: "must be an ente's IPA code / deve essere il codice IPA di un ente"})
		case !slices.Contains(out, e):
			out = append(out, e)
		}
	}
	if len(fields) > 0 {
		return "", fields
	}
	b, _ := json.Marshal(out)
	return string(b), nil
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
