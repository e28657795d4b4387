package pagopa

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sportello/sportello/errs"
)

// MaxBulkPositions is the most positions GPD accepts in one massive upload file.
const MaxBulkPositions = 100_000

// MaxBulkZip is the largest zip GPD accepts in one massive upload (5 MB).
const MaxBulkZip = 5 << 20

// Operation statuses of a massive upload (OperationStatus of gpd_massive_v2.json).
const (
	UploadInProgress            = "IN_PROGRESS"
	UploadCompleted             = "COMPLETED"
	UploadCompletedWithWarnings = "COMPLETED_WITH_WARNINGS"
	UploadFailed                = "COMPLETED_UNSUCCESSFULLY"
)

// UploadStatus is GPD's UploadStatusDTO: how far the processing of a file is.
type UploadStatus struct {
	FileID          string     `json:"fileId"`
	ProcessedItem   int        `json:"processedItem"`
	SubmittedItem   int        `json:"submittedItem"`
	StartTime       *time.Time `json:"startTime,omitempty"`
	OperationStatus string     `json:"operationStatus"`
}

// UploadResponse is GPD's ResponseEntryDTO: one outcome shared by the listed positions.
type UploadResponse struct {
	StatusCode    int      `json:"statusCode"`
	StatusMessage string   `json:"statusMessage"`
	IUPDs         []string `json:"iupds"`
}

// UploadReport is GPD's UploadReportDTO: the outcome of every position of a file.
type UploadReport struct {
	FileID        string           `json:"fileId"`
	ProcessedItem int              `json:"processedItem"`
	SubmittedItem int              `json:"submittedItem"`
	Responses     []UploadResponse `json:"responses"`
	StartTime     *time.Time       `json:"startTime,omitempty"`
	EndTime       *time.Time       `json:"endTime,omitempty"`
}

// FileIDs is GPD's FileIdListResponse: one page of an organisation's upload files.
type FileIDs struct {
	FileIDs []string `json:"fileIds"`
	Size    int      `json:"size"`
	HasMore bool     `json:"hasMore"`
}

// BulkFile is the JSON document zipped into a massive create or update file.
type BulkFile struct {
	PaymentPositions []GPDPosition `json:"paymentPositions"`
}

// BulkDeleteFile is the JSON document zipped into a massive delete file.
type BulkDeleteFile struct {
	PaymentPositionIUPDs []string `json:"paymentPositionIUPDs"`
}

// ErrReportNotReady is returned by Report while GPD has not generated the
// report yet (425, or 404 right after the upload).
var ErrReportNotReady = errors.New("gpd upload report not ready")

// Bulk is the client of GPD's massive upload API (gpd_massive_v2.json): a zip
// of positions is posted for a broker and an organisation, then its status
// is polled and its report read.
type Bulk struct {
	// BaseURL ends before /brokers, e.g. https://api.platform.pagopa.it/upload/gpd/debt-positions-service/v2.
	BaseURL string
	// Broker is the broker code (the intermediary's fiscal code).
	Broker string
	// SubscriptionKey goes in the Ocp-Apim-Subscription-Key header.
	SubscriptionKey string
	HTTP            *http.Client
	// Attempts bounds the tries of an upload refused for a transient reason
	// (network, 429, 5xx); Backoff is the first wait, doubled at each retry.
	Attempts int
	Backoff  time.Duration
	// PollEvery is the first wait between two status polls, doubled up to PollMax.
	PollEvery, PollMax time.Duration
	// ReportAttempts bounds the reads of a report GPD says it does not have
	// (404) once the status is complete.
	ReportAttempts int
	// MaxZip bounds the zip of one file (default MaxBulkZip): a larger one is
	// refused before the upload, so the caller sends fewer positions per file.
	MaxZip int
	// Heartbeat, when set, is called at each poll with the file id and the
	// status (nil when the poll failed); NewBulk sets ActivityHeartbeat.
	Heartbeat func(ctx context.Context, fileID string, st *UploadStatus)
	Log       *slog.Logger
}

// NewBulk returns a massive upload client: 60 s timeout per call, 4 attempts
// from 1 s, status polls from 1 s up to 30 s apart.
func NewBulk(baseURL, broker, subscriptionKey string) *Bulk {
	return &Bulk{BaseURL: strings.TrimRight(baseURL, "/"), Broker: broker, SubscriptionKey: subscriptionKey,
		HTTP: &http.Client{Timeout: 60 * time.Second}, Attempts: 4, Backoff: time.Second,
		PollEvery: time.Second, PollMax: 30 * time.Second, ReportAttempts: 10, Heartbeat: ActivityHeartbeat, Log: slog.Default()}
}

func (b *Bulk) fileURL(org string, parts ...string) string {
	u := b.BaseURL + "/brokers/" + url.PathEscape(b.Broker) + "/organizations/" + url.PathEscape(org) + "/debtpositions/file"
	for _, p := range parts {
		u += "/" + url.PathEscape(p)
	}
	return u
}

// ZipBulk returns the zip file GPD expects: one JSON entry holding doc.
func ZipBulk(doc any) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("positions.json")
	if err != nil {
		return nil, err
	}
	if err := json.NewEncoder(w).Encode(doc); err != nil {
		return nil, fmt.Errorf("encode bulk file: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Upload creates (POST) the positions by a file and returns its file id.
func (b *Bulk) Upload(ctx context.Context, org string, positions []GPDPosition) (string, error) {
	return b.send(ctx, http.MethodPost, org, positions)
}

// Update replaces (PUT) the positions of the file, by iupd, and returns its file id.
func (b *Bulk) Update(ctx context.Context, org string, positions []GPDPosition) (string, error) {
	return b.send(ctx, http.MethodPut, org, positions)
}

// Delete deletes the positions of iupds by a file and returns its file id.
func (b *Bulk) Delete(ctx context.Context, org string, iupds []string) (string, error) {
	if len(iupds) == 0 || len(iupds) > MaxBulkPositions {
		return "", errs.Field("iupds", "from 1 to %d positions per file, not %d", MaxBulkPositions, len(iupds))
	}
	data, err := ZipBulk(BulkDeleteFile{PaymentPositionIUPDs: iupds})
	if err != nil {
		return "", err
	}
	return b.upload(ctx, http.MethodDelete, org, data)
}

func (b *Bulk) send(ctx context.Context, method, org string, positions []GPDPosition) (string, error) {
	if len(positions) == 0 || len(positions) > MaxBulkPositions {
		return "", errs.Field("positions", "from 1 to %d positions per file, not %d", MaxBulkPositions, len(positions))
	}
	seen := make(map[string]bool, len(positions))
	for i, p := range positions {
		if p.IUPD == "" {
			return "", errs.Field(fmt.Sprintf("positions[%d].iupd", i), "is required")
		}
		if seen[p.IUPD] {
			return "", errs.Field(fmt.Sprintf("positions[%d].iupd", i), "%s appears twice in the file", p.IUPD)
		}
		seen[p.IUPD] = true
	}
	data, err := ZipBulk(BulkFile{PaymentPositions: positions})
	if err != nil {
		return "", err
	}
	if limit := cmp.Or(b.MaxZip, MaxBulkZip); len(data) > limit {
		return "", errs.Field("positions", "%d positions zip to %d bytes, more than the %d a file may hold: send fewer per file",
			len(positions), len(data), limit)
	}
	return b.upload(ctx, method, org, data)
}

// upload posts the zip as the multipart field "file"; the file id is the
// last-but-one segment of the Location header (…/file/{file-id}/status).
func (b *Bulk) upload(ctx context.Context, method, org string, data []byte) (string, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", "positions.zip")
	if err != nil {
		return "", err
	}
	fw.Write(data)
	if err := mw.Close(); err != nil {
		return "", err
	}
	var loc string
	err = b.retry(ctx, "upload", func() (bool, error) {
		res, retry, err := b.call(ctx, method, b.fileURL(org), mw.FormDataContentType(), body.Bytes(), nil)
		if err == nil {
			loc = res.Header.Get("Location")
		}
		return retry, err
	})
	if err != nil {
		return "", fmt.Errorf("gpd upload file for %s: %w", org, err)
	}
	id := fileIDOf(loc)
	if id == "" {
		return "", fmt.Errorf("gpd upload file for %s: no file id in Location %q", org, loc)
	}
	return id, nil
}

func fileIDOf(loc string) string {
	loc = strings.TrimSuffix(strings.TrimSuffix(loc, "/"), "/status")
	i := strings.LastIndex(loc, "/file/")
	if i < 0 {
		return ""
	}
	id, err := url.PathUnescape(loc[i+len("/file/"):])
	if err != nil || strings.Contains(id, "/") {
		return ""
	}
	return id
}

// Status returns the processing status of a file.
func (b *Bulk) Status(ctx context.Context, org, fileID string) (*UploadStatus, error) {
	var st UploadStatus
	if _, _, err := b.call(ctx, http.MethodGet, b.fileURL(org, fileID, "status"), "", nil, &st); err != nil {
		return nil, fmt.Errorf("gpd upload status %s: %w", fileID, err)
	}
	return &st, nil
}

// Report returns the report of a processed file, or ErrReportNotReady.
func (b *Bulk) Report(ctx context.Context, org, fileID string) (*UploadReport, error) {
	var rep UploadReport
	res, _, err := b.call(ctx, http.MethodGet, b.fileURL(org, fileID, "report"), "", nil, &rep)
	if res != nil && (res.StatusCode == http.StatusTooEarly || res.StatusCode == http.StatusNotFound) {
		return nil, fmt.Errorf("gpd upload report %s: %w: %v", fileID, ErrReportNotReady, err)
	}
	if err != nil {
		return nil, fmt.Errorf("gpd upload report %s: %w", fileID, err)
	}
	return &rep, nil
}

// Files lists the ids of an organisation's upload files between two days
// (YYYY-MM-DD in Europe/Rome, empty for no bound), following every page.
func (b *Bulk) Files(ctx context.Context, org, from, to string) ([]string, error) {
	q := url.Values{}
	if from != "" {
		q.Set("from", from)
	}
	if to != "" {
		q.Set("to", to)
	}
	u := b.BaseURL + "/brokers/" + url.PathEscape(b.Broker) + "/organizations/" + url.PathEscape(org) + "/debtpositions/files"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var out []string
	token := ""
	for {
		var page FileIDs
		res, _, err := b.callToken(ctx, u, token, &page)
		if err != nil {
			return nil, fmt.Errorf("gpd upload files of %s: %w", org, err)
		}
		out = append(out, page.FileIDs...)
		token = res.Header.Get("x-continuation-token")
		if !page.HasMore || token == "" {
			return out, nil
		}
	}
}

// retry runs f until it succeeds, fails for good or the attempts run out.
func (b *Bulk) retry(ctx context.Context, what string, f func() (bool, error)) error {
	wait := b.Backoff
	var last error
	for i := 0; i < max(b.Attempts, 1); i++ {
		if i > 0 {
			if err := sleep(ctx, wait); err != nil {
				return err
			}
			wait *= 2
		}
		retry, err := f()
		if err == nil || !retry {
			return err
		}
		last = err
		b.log().Warn("gpd bulk call failed, retrying", "call", what, "attempt", i+1, "err", err)
	}
	return last
}

func (b *Bulk) log() *slog.Logger {
	if b.Log != nil {
		return b.Log
	}
	return slog.Default()
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (b *Bulk) callToken(ctx context.Context, u, token string, out any) (*http.Response, bool, error) {
	return b.do(ctx, http.MethodGet, u, "", nil, out, token)
}

func (b *Bulk) call(ctx context.Context, method, u, contentType string, body []byte, out any) (*http.Response, bool, error) {
	return b.do(ctx, method, u, contentType, body, out, "")
}

// do sends one request; retry tells whether a failure is transient (network, 429, 5xx).
func (b *Bulk) do(ctx context.Context, method, u, contentType string, body []byte, out any, token string) (*http.Response, bool, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("x-continuation-token", token)
	}
	if b.SubscriptionKey != "" {
		req.Header.Set("Ocp-Apim-Subscription-Key", b.SubscriptionKey)
	}
	hc := b.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, ctx.Err() == nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return res, true, err
	}
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		if out != nil && len(data) > 0 {
			if err := json.Unmarshal(data, out); err != nil {
				return res, false, fmt.Errorf("gpd answer: %w", err)
			}
		}
		return res, false, nil
	}
	var p problem
	_ = json.Unmarshal(data, &p)
	msg := fmt.Sprintf("gpd %s: %d %s %s", method, res.StatusCode, p.Title, p.Detail)
	switch res.StatusCode {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return res, false, errs.E(errs.Invalid, "%s", msg)
	case http.StatusNotFound, http.StatusGone:
		return res, false, errs.E(errs.NotFound, "%s", msg)
	case http.StatusConflict, http.StatusTooEarly:
		return res, false, errs.E(errs.Conflict, "%s", msg)
	case http.StatusUnauthorized, http.StatusForbidden:
		return res, false, errs.E(errs.Forbidden, "%s", msg)
	}
	return res, true, errors.New(msg) // 429, 5xx: transient
}
