package api

import (
	"bytes"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sportello/sportello/activities/ledger"
	"github.com/sportello/sportello/errs"
)

// LedgerAccounting is the finance office's view of a campaign's accounting
// (accertamenti when issued, reversali when reconciled) and the import of
// notices issued elsewhere, which the ledger then reconciles too.
type LedgerAccounting struct {
	Ledger *ledger.Service
}

// NewLedgerAccounting returns the campaign accounting module.
func NewLedgerAccounting(svc *ledger.Service) *LedgerAccounting {
	return &LedgerAccounting{Ledger: svc}
}

// Routes registers the campaign accounting and notices import routes.
func (h *LedgerAccounting) Routes(r *Router) {
	read := Perm{"ledger", "read"}
	r.Handle(Route{Method: http.MethodGet, Path: "/api/ledger/campaigns/:id/accounting", Perm: read, Tag: "ledger", Domain: queryEnte,
		Summary: "A campaign's accounting per accounting line (capitolo/articolo/accertamento): issued, accrued, collected, reconciled; " +
			"check.ok is false, with the problems, when the campaign does not reconcile with the ledger and the treasury",
		Response: ledger.CampaignAccounting{Ente: "c_l424", Campaign: "0b4c…", Check: ledger.AccountingCheck{OK: true}}}, h.campaign)
	r.Handle(Route{Method: http.MethodGet, Path: "/api/ledger/campaigns/:id/accounting.csv", Perm: read, Tag: "ledger", Domain: queryEnte,
		Summary: "The same as CSV (semicolons, euro): capitolo;articolo;accertamento;posizioni;emesso;ridotto;accertato;riscosso;riconciliato;da_riscuotere, then TOTALE and VERIFICA;OK or VERIFICA;KO;<problem>"},
		h.campaignCSV)
	r.Handle(Route{Method: http.MethodPost, Path: "/api/reconciliation/imports/notices", Perm: Perm{"reconciliation", "import"}, Tag: "reconciliation", Domain: queryEnte,
		Summary: "Import notices issued elsewhere (text/csv, header numero_avviso;importo[;capitolo;articolo;accertamento;iupd;intermediario]) " +
			"so their FdR lines and credits reconcile; every bad row is named by line and field; a notice already imported is skipped",
		Response: ledger.NoticesImport{Ente: "c_l424", Rows: 2, Added: 2}}, h.importNotices)
}

func (h *LedgerAccounting) report(c echo.Context) (*ledger.CampaignAccounting, error) {
	ente, err := staffEnte(c, false)
	if err != nil {
		return nil, err
	}
	return h.Ledger.CampaignAccounting(c.Request().Context(), ente, c.Param("id"))
}

func (h *LedgerAccounting) campaign(c echo.Context) error {
	rep, err := h.report(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

func (h *LedgerAccounting) campaignCSV(c echo.Context) error {
	rep, err := h.report(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.WriteCSV(&buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="contabilita-campagna-`+safeName(rep.Campaign)+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func (h *LedgerAccounting) importNotices(c echo.Context) error {
	ente, err := staffEnte(c, false)
	if err != nil {
		return err
	}
	if mediaType(c) != "text/csv" {
		return errs.Field("Content-Type", "must be text/csv")
	}
	raw, err := readBody(c)
	if err != nil {
		return err
	}
	res, err := h.Ledger.ImportNotices(c.Request().Context(), ente, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Added > 0 {
		status = http.StatusCreated
	}
	return c.JSON(status, res)
}

// safeName keeps letters, digits and dashes of s, for a file name.
func safeName(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			out = append(out, r)
		}
	}
	return string(out)
}
