package sim

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/activities/pagopa"
	"github.com/sportello/sportello/calendar"
)

// BulkFaults are the faults of the massive upload API, counted per file.
type BulkFaults struct {
	// StatusFaults is how many status polls of a file are answered 429 and
	// 503 in turn before any other answer.
	StatusFaults int
	// InProgressPolls is how many status polls then answer IN_PROGRESS; until
	// the next one answers the final status, the report answers 425.
	InProgressPolls int
	// ReportMissing is how many reads of a processed file's report answer 404.
	ReportMissing int
	// UploadLost is how many uploads (the first ones) are applied and then
	// answered 503, as when GPD took the file but its answer was lost.
	UploadLost int
	// RefuseEvery refuses about one position uploaded in n with 400 and a
	// simulated reason, as GPD refuses bad data: the same positions every
	// time (chosen by a hash of the iupd), so a file uploaded again is
	// answered alike.
	RefuseEvery int
}

// upload is one massive upload file and what became of its positions. The
// positions are applied when the file arrives; the status and the report
// play out the processing time that the faults configure.
type upload struct {
	ID        string                  `json:"id"`
	Broker    string                  `json:"broker"`
	Org       string                  `json:"org"`
	Method    string                  `json:"method"`
	Submitted int                     `json:"submitted"`
	Responses []pagopa.UploadResponse `json:"responses"`
	Start     time.Time               `json:"start"`
	End       time.Time               `json:"end"`
	Polls     int                     `json:"polls"`
	Reads     int                     `json:"reads"`
}

func (s *Simulator) bulkRoutes() {
	base := "/brokers/{broker}/organizations/{org}/debtpositions/"
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		s.mux.HandleFunc(m+" "+base+"file", s.bulkGuard(s.bulkUpload))
	}
	s.mux.HandleFunc("GET "+base+"file/{id}/status", s.bulkGuard(s.bulkStatus))
	s.mux.HandleFunc("GET "+base+"file/{id}/report", s.bulkGuard(s.bulkReport))
	s.mux.HandleFunc("GET "+base+"files", s.bulkGuard(s.bulkFiles))
}

// bulkGuard applies the subscription key, the delay and the error rate; the
// massive API has its own faults (BulkFaults) instead of the refusal rate.
func (s *Simulator) bulkGuard(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.SubscriptionKey != "" && r.Header.Get("Ocp-Apim-Subscription-Key") != s.cfg.SubscriptionKey {
			problem(w, http.StatusUnauthorized, "Unauthorized", "missing or wrong subscription key")
			return
		}
		if s.cfg.Delay > 0 {
			select {
			case <-time.After(s.cfg.Delay):
			case <-r.Context().Done():
				return
			}
		}
		h(w, r)
	}
}

// readBulkFile reads the zip of the multipart field "file" and decodes its
// one JSON entry into v.
func readBulkFile(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<20)
	f, _, err := r.FormFile("file")
	if err != nil {
		return fmt.Errorf("multipart field file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("file is not a zip: %w", err)
	}
	if len(zr.File) != 1 || !strings.HasSuffix(zr.File[0].Name, ".json") {
		return fmt.Errorf("the zip must hold one .json file, it holds %d", len(zr.File))
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := json.NewDecoder(io.LimitReader(rc, 256<<20)).Decode(v); err != nil {
		return fmt.Errorf("%s: %w", zr.File[0].Name, err)
	}
	return nil
}

func (s *Simulator) bulkUpload(w http.ResponseWriter, r *http.Request) {
	broker, org := r.PathValue("broker"), r.PathValue("org")
	var positions []pagopa.GPDPosition
	var iupds []string
	if r.Method == http.MethodDelete {
		var f pagopa.BulkDeleteFile
		if err := readBulkFile(w, r, &f); err != nil {
			problem(w, http.StatusBadRequest, "Bad Request", err.Error())
			return
		}
		iupds = f.PaymentPositionIUPDs
	} else {
		var f pagopa.BulkFile
		if err := readBulkFile(w, r, &f); err != nil {
			problem(w, http.StatusBadRequest, "Bad Request", err.Error())
			return
		}
		positions = f.PaymentPositions
	}
	n := max(len(positions), len(iupds))
	if n == 0 || n > pagopa.MaxBulkPositions {
		problem(w, http.StatusBadRequest, "Bad Request", fmt.Sprintf("a file holds 1 to %d positions, not %d", pagopa.MaxBulkPositions, n))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := &upload{ID: randomHex(16), Broker: broker, Org: org, Method: r.Method, Submitted: n, Start: s.cfg.Now().UTC()}
	outcome := map[[2]string][]string{}
	var order [][2]string
	add := func(iupd string, status int, msg string) {
		k := [2]string{strconv.Itoa(status), msg}
		if _, ok := outcome[k]; !ok {
			order = append(order, k)
		}
		outcome[k] = append(outcome[k], iupd)
	}
	switch r.Method {
	case http.MethodPost:
		for i := range positions {
			p := positions[i]
			if n := s.cfg.Bulk.RefuseEvery; n > 0 && refused(p.IUPD, n) {
				add(p.IUPD, http.StatusBadRequest, "simulated refusal: the debtor's data do not pass GPD's checks")
				continue
			}
			status, msg := s.addLocked(org, &p, true)
			if status == http.StatusCreated {
				msg = "Debt position CREATED"
			}
			add(p.IUPD, status, msg)
		}
	case http.MethodPut:
		for i := range positions {
			status, msg := s.replaceLocked(org, positions[i])
			add(positions[i].IUPD, status, msg)
		}
	case http.MethodDelete:
		for _, iupd := range iupds {
			status, msg := s.removeLocked(org, iupd)
			add(iupd, status, msg)
		}
	}
	for _, k := range order {
		code, _ := strconv.Atoi(k[0])
		u.Responses = append(u.Responses, pagopa.UploadResponse{StatusCode: code, StatusMessage: k[1], IUPDs: outcome[k]})
	}
	u.End = s.cfg.Now().UTC()
	s.uploads[u.ID] = u
	if s.cfg.StateFile != "" {
		cs := make([]change, 0, n+1)
		touched := append(iupds[:len(iupds):len(iupds)], make([]string, 0, len(positions))...)
		for i := range positions {
			touched = append(touched, positions[i].IUPD)
		}
		for _, iupd := range touched {
			if p, ok := s.positions[key{org, iupd}]; ok {
				cs = append(cs, change{Position: &storedPosition{Org: org, Position: p}})
			} else {
				cs = append(cs, change{Removed: &removed{Org: org, IUPD: iupd}})
			}
		}
		s.logLocked(append(cs, change{Upload: u})...)
	}
	if s.uploadSeq++; s.uploadSeq <= s.cfg.Bulk.UploadLost {
		problem(w, http.StatusServiceUnavailable, "Service Unavailable", "simulated fault: the file was taken, the answer lost")
		return
	}
	w.Header().Set("Location", "brokers/"+url.PathEscape(broker)+"/organizations/"+url.PathEscape(org)+"/debtpositions/file/"+u.ID+"/status")
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusAccepted)
}

// refused tells whether RefuseEvery n picks iupd.
func refused(iupd string, n int) bool {
	h := fnv.New32a()
	h.Write([]byte(iupd))
	return h.Sum32()%uint32(n) == 0
}

// replaceLocked replaces an unpaid position with p (a massive update).
func (s *Simulator) replaceLocked(org string, p pagopa.GPDPosition) (int, string) {
	k := key{org, p.IUPD}
	old, ok := s.positions[k]
	if !ok {
		return http.StatusNotFound, "debt position " + p.IUPD + " not found"
	}
	if !changeable(old) {
		return http.StatusConflict, "debt position " + p.IUPD + " is " + old.Status + ": it cannot be changed"
	}
	s.dropLocked(org, old)
	if status, msg := s.addLocked(org, &p, true); status != http.StatusCreated {
		s.positions[k] = old
		for _, o := range old.PaymentOption {
			s.navs[org+"/"+o.NAV] = k
		}
		return status, msg
	}
	return http.StatusOK, "Debt position UPDATED"
}

// removeLocked deletes an unpaid position (a massive delete).
func (s *Simulator) removeLocked(org, iupd string) (int, string) {
	p, ok := s.positions[key{org, iupd}]
	if !ok {
		return http.StatusNotFound, "debt position " + iupd + " not found"
	}
	if !changeable(p) {
		return http.StatusConflict, "debt position " + iupd + " is " + p.Status + ": it cannot be deleted"
	}
	s.dropLocked(org, p)
	return http.StatusOK, "Debt position DELETED"
}

func changeable(p *pagopa.GPDPosition) bool {
	switch pagopa.Status(p.Status) {
	case pagopa.Draft, pagopa.Published, pagopa.Valid, pagopa.Expired:
		return true
	}
	return false
}

func (s *Simulator) dropLocked(org string, p *pagopa.GPDPosition) {
	delete(s.positions, key{org, p.IUPD})
	for _, o := range p.PaymentOption {
		delete(s.navs, org+"/"+o.NAV)
	}
}

// findUpload returns the upload of the request's path, or answers 404.
func (s *Simulator) findUpload(w http.ResponseWriter, r *http.Request) *upload {
	u, ok := s.uploads[r.PathValue("id")]
	if !ok || u.Org != r.PathValue("org") || u.Broker != r.PathValue("broker") {
		problem(w, http.StatusNotFound, "Not Found", "no upload "+r.PathValue("id"))
		return nil
	}
	return u
}

// busy is how many status polls of a file do not answer its final status.
func (s *Simulator) busy() int { return s.cfg.Bulk.StatusFaults + s.cfg.Bulk.InProgressPolls }

func (s *Simulator) processed(u *upload) bool { return s.busy() == 0 || u.Polls > s.busy() }

func (s *Simulator) bulkStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findUpload(w, r)
	if u == nil {
		return
	}
	u.Polls++ // not saved: after a restart the processing time plays again
	if u.Polls <= s.cfg.Bulk.StatusFaults {
		if u.Polls%2 == 1 {
			problem(w, http.StatusTooManyRequests, "Too Many Requests", "simulated rate limit")
		} else {
			problem(w, http.StatusInternalServerError, "Service Unavailable", "simulated fault")
		}
		return
	}
	start := u.Start
	st := pagopa.UploadStatus{FileID: u.ID, SubmittedItem: u.Submitted, ProcessedItem: u.Submitted, StartTime: &start}
	if !s.processed(u) {
		done := u.Polls - s.cfg.Bulk.StatusFaults
		st.ProcessedItem = u.Submitted * (done - 1) / (s.cfg.Bulk.InProgressPolls + 1)
		st.OperationStatus = pagopa.UploadInProgress
	} else {
		st.OperationStatus = finalStatus(u)
	}
	writeJSON(w, http.StatusOK, st)
}

// finalStatus is COMPLETED when every position went through, COMPLETED_UNSUCCESSFULLY
// when none did, COMPLETED_WITH_WARNINGS otherwise.
func finalStatus(u *upload) string {
	ok := 0
	for _, r := range u.Responses {
		if r.StatusCode >= 200 && r.StatusCode < 300 {
			ok += len(r.IUPDs)
		}
	}
	switch ok {
	case u.Submitted:
		return pagopa.UploadCompleted
	case 0:
		return pagopa.UploadFailed
	}
	return pagopa.UploadCompletedWithWarnings
}

func (s *Simulator) bulkReport(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.findUpload(w, r)
	if u == nil {
		return
	}
	if !s.processed(u) {
		problem(w, http.StatusTooEarly, "Too Early", "the report has not been generated yet")
		return
	}
	u.Reads++
	if u.Reads <= s.cfg.Bulk.ReportMissing {
		problem(w, http.StatusNotFound, "Not Found", "upload report not found")
		return
	}
	start, end := u.Start, u.End
	writeJSON(w, http.StatusOK, pagopa.UploadReport{FileID: u.ID, SubmittedItem: u.Submitted, ProcessedItem: u.Submitted,
		Responses: u.Responses, StartTime: &start, EndTime: &end})
}

// bulkFiles lists the file ids of an organisation, oldest first, between the
// days from and to (Europe/Rome), in pages of size (100 to 500) whose
// continuation token is the offset of the next page.
func (s *Simulator) bulkFiles(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	day := func(name string) (string, bool) {
		v := q.Get(name)
		if v == "" {
			return "", true
		}
		_, err := time.ParseInLocation("2006-01-02", v, calendar.Rome)
		return v, err == nil
	}
	from, ok1 := day("from")
	to, ok2 := day("to")
	if !ok1 || !ok2 {
		problem(w, http.StatusBadRequest, "Bad Request", "from and to must be YYYY-MM-DD")
		return
	}
	size := 100
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 || n > 500 {
			problem(w, http.StatusBadRequest, "Bad Request", "size must be from 100 to 500")
			return
		}
		size = n
	}
	offset, _ := strconv.Atoi(r.Header.Get("x-continuation-token"))
	s.mu.Lock()
	var ids []string
	for _, u := range s.sortedUploadsLocked() {
		d := u.Start.In(calendar.Rome).Format("2006-01-02")
		if u.Org == r.PathValue("org") && u.Broker == r.PathValue("broker") && (from == "" || d >= from) && (to == "" || d <= to) {
			ids = append(ids, u.ID)
		}
	}
	s.mu.Unlock()
	offset = min(max(offset, 0), len(ids))
	end := min(offset+size, len(ids))
	page := pagopa.FileIDs{FileIDs: append([]string{}, ids[offset:end]...), Size: end - offset, HasMore: end < len(ids)}
	if page.HasMore {
		w.Header().Set("x-continuation-token", strconv.Itoa(end))
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Simulator) sortedUploadsLocked() []*upload {
	out := make([]*upload, 0, len(s.uploads))
	for _, u := range s.uploads {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.Start.Before(b.Start) || a.Start.Equal(b.Start) && a.ID < b.ID
	})
	return out
}
