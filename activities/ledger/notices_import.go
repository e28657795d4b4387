package ledger

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sportello/sportello/errs"
)

// NoticesCSVHeader documents the CSV of notices issued elsewhere (by another
// intermediary's or a concessionaire's system) that the ledger should know:
// numero_avviso (18 digits) and importo (euro, "123.45" or "123,45") are
// required; capitolo (default: the ente's default chapter), articolo,
// accertamento, iupd (default AVV-<numero_avviso>) and intermediario are
// optional. Columns go in any order, separated by ';' or ','.
var NoticesCSVHeader = []string{"numero_avviso", "importo", "capitolo", "articolo", "accertamento", "iupd", "intermediario"}

// ImportedComponent is the component code of an imported notice.
const ImportedComponent = "AVVISO"

// NoticesImport says what an import of notices did: rows read, notices new
// and notices already known (a re-import adds nothing).
type NoticesImport struct {
	Ente    string `json:"ente"`
	Rows    int    `json:"rows"`
	Added   int    `json:"added"`
	Skipped int    `json:"skipped"`
}

// MaxImportedNotices bounds one file; a bigger set comes in several files.
const MaxImportedNotices = 200_000

// ImportNotices reads a CSV of notices issued elsewhere and accrues each on
// its accounting line, so its FdR lines and treasury credits reconcile here.
// Every bad row is reported at once, by line and field, and nothing is
// written then. A notice imported before with the same amount is skipped; with
// another amount it is refused.
func (s *Service) ImportNotices(ctx context.Context, ente string, r io.Reader) (NoticesImport, error) {
	cf, err := s.Entes.FiscalCode(ctx, ente)
	if err != nil {
		return NoticesImport{}, err
	}
	// The chart's default chapter, if it has one, books rows that name none.
	def, err := s.Chart.Capitolo(ctx, ente, "")
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Invalid) {
		def, err = Capitolo{}, nil
	}
	if err != nil {
		return NoticesImport{}, fmt.Errorf("default chapter of %s: %w", ente, err)
	}
	accruals, lines, fe := parseNotices(r, ente, cf, def)
	res := NoticesImport{Ente: ente, Rows: len(accruals)}
	if len(fe) == 0 {
		fe = s.knownNotices(ctx, cf, accruals, lines, &res)
	}
	if err := errs.Fields(fe); err != nil {
		return res, err
	}
	var fresh []Accrual
	for _, a := range accruals {
		if a.Source != "" {
			fresh = append(fresh, a)
		}
	}
	if _, err := s.PostAccruals(ctx, fresh); err != nil {
		return res, err
	}
	res.Added = len(fresh)
	s.log().Info("notices imported", "ente", ente, "rows", res.Rows, "added", res.Added, "skipped", res.Skipped)
	return res, nil
}

// knownNotices skips notices already imported with the same amount and
// refuses those known with another amount or issued here.
func (s *Service) knownNotices(ctx context.Context, cf string, accruals []Accrual, lines []int, res *NoticesImport) []errs.FieldError {
	var fe []errs.FieldError
	idx := map[string]int{}
	iuvs := make([]string, len(accruals))
	for i, a := range accruals {
		idx[a.Notices[0].IUV], iuvs[i] = i, a.Notices[0].IUV
	}
	for start := 0; start < len(iuvs); start += 500 {
		var known []planLineRow
		if err := s.db.WithContext(ctx).Where("ente_cf = ? AND iuv IN ?", cf, iuvs[start:min(start+500, len(iuvs))]).Find(&known).Error; err != nil {
			return []errs.FieldError{{Field: "body", Message: "could not read the notices already known"}}
		}
		for _, k := range known {
			i := idx[k.IUV]
			a := &accruals[i]
			f := fmt.Sprintf("line %d", lines[i])
			switch {
			case k.Source != SourceImport:
				fe = append(fe, errs.FieldError{Field: f + ".numero_avviso", Message: "the notice was issued here by a campaign / l'avviso è stato emesso da una campagna"})
			case k.Amount != a.Components[0].Amount:
				fe = append(fe, errs.FieldError{Field: f + ".importo", Message: fmt.Sprintf("the notice was imported with %d.%02d / l'avviso è già importato con un altro importo", k.Amount/100, k.Amount%100)})
			default:
				if a.Source != "" {
					a.Source = "" // known: skipped
					res.Skipped++
				}
			}
		}
	}
	return fe
}

// parseNotices reads the rows; lines holds each accrual's line in the file.
func parseNotices(r io.Reader, ente, cf string, def Capitolo) (out []Accrual, lines []int, fe []errs.FieldError) {
	br := bufio.NewReader(r)
	first, _ := br.Peek(4096)
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	if h, _, _ := strings.Cut(string(first), "\n"); strings.Count(h, ";") > strings.Count(h, ",") {
		cr.Comma = ';'
	}
	head, err := cr.Read()
	if err != nil {
		return nil, nil, []errs.FieldError{{Field: "header", Message: "the file must start with the header numero_avviso;importo;... / manca l'intestazione"}}
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, req := range []string{"numero_avviso", "importo"} {
		if _, ok := col[req]; !ok {
			fe = append(fe, errs.FieldError{Field: "header." + req, Message: "column is required / colonna obbligatoria"})
		}
	}
	if len(fe) > 0 {
		return nil, nil, fe
	}
	seen := map[string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		f := fmt.Sprintf("line %d", line)
		if err != nil {
			fe = append(fe, errs.FieldError{Field: f, Message: "is not valid CSV / riga non valida"})
			break
		}
		if len(out) >= MaxImportedNotices {
			fe = append(fe, errs.FieldError{Field: f, Message: fmt.Sprintf("at most %d notices a file / al massimo %d avvisi per file", MaxImportedNotices, MaxImportedNotices)})
			break
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		notice := get("numero_avviso")
		iuv, msg := noticeIUV(notice)
		if msg != "" {
			fe = append(fe, errs.FieldError{Field: f + ".numero_avviso", Message: msg})
		} else if prev, dup := seen[iuv]; dup {
			fe = append(fe, errs.FieldError{Field: f + ".numero_avviso", Message: fmt.Sprintf("repeats line %d / ripete la riga %d", prev, prev)})
		}
		seen[iuv] = line
		cents, msg := euroCents(get("importo"))
		if msg != "" {
			fe = append(fe, errs.FieldError{Field: f + ".importo", Message: msg})
		}
		capitolo, articolo := get("capitolo"), get("articolo")
		if capitolo == "" {
			capitolo, articolo = def.Capitolo, def.Articolo
		}
		if capitolo == "" {
			fe = append(fe, errs.FieldError{Field: f + ".capitolo", Message: "is required: the ente has no default chapter / obbligatorio"})
		}
		iupd := get("iupd")
		if iupd == "" {
			iupd = "AVV-" + notice
		}
		if len(iupd) > 64 {
			fe = append(fe, errs.FieldError{Field: f + ".iupd", Message: "must be at most 64 characters / al massimo 64 caratteri"})
		}
		out = append(out, Accrual{Ente: ente, EnteCF: cf, IUPD: iupd, Intermediary: get("intermediario"), Source: SourceImport,
			Components: []AccrualComponent{{Code: ImportedComponent, Capitolo: capitolo, Articolo: articolo, Accertamento: get("accertamento"), Amount: cents}},
			Notices:    []AccrualNotice{{IUV: iuv, NoticeNumber: notice, Transfers: []AccrualTransfer{{Index: 1, Component: ImportedComponent, Amount: cents}}}}})
		lines = append(lines, line)
	}
	if len(out) == 0 && len(fe) == 0 {
		fe = append(fe, errs.FieldError{Field: "body", Message: "the file has no notices / il file non contiene avvisi"})
	}
	return out, lines, fe
}

// noticeIUV checks a received notice number by pattern (another system's
// check digits are its business) and returns its IUV.
func noticeIUV(n string) (string, string) {
	if len(n) != 18 || strings.Trim(n, "0123456789") != "" {
		return "", "must be 18 digits / 18 cifre"
	}
	switch n[0] {
	case '0':
		return n[3:], ""
	case '1', '2', '3':
		return n[1:], ""
	}
	return "", "aux digit must be 0, 1, 2 or 3 / la prima cifra deve essere 0, 1, 2 o 3"
}

// euroCents reads "123.45" or "123,45" (two decimals, or none) into cents.
func euroCents(s string) (int64, string) {
	const bad = "must be a positive amount in euro like 123.45 / importo in euro come 123,45"
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 9 || strings.Trim(whole, "0123456789") != "" || (dot && (len(frac) != 2 || strings.Trim(frac, "0123456789") != "")) {
		return 0, bad
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	var c int64
	if dot {
		c, _ = strconv.ParseInt(frac, 10, 64)
	}
	if w*100+c <= 0 {
		return 0, bad
	}
	return w*100 + c, ""
}
