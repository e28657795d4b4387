package sim

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/sportello/sportello/activities/ledger/fdr"
	"github.com/sportello/sportello/calendar"
)

// flowJSON writes f as the FdR organization API publishes it: the flow
// (SingleFlowResponse) with its revision and one page of its payments
// (PaginatedPaymentsResponse).
func flowJSON(f *fdr.Flow, revision int) (flow, page []byte, err error) {
	euro := func(c int64) json.Number { return json.Number(fmt.Sprintf("%d.%02d", c/100, c%100)) }
	senderType := map[string]string{"G": "LEGAL_PERSON", "A": "ABI_CODE", "B": "BIC_CODE"}[f.SenderType]
	flow, err = json.Marshal(map[string]any{
		"status": "PUBLISHED", "revision": revision, "created": f.Date, "fdr": f.ID, "fdrDate": f.Date,
		"regulation": f.Regulation, "regulationDate": f.RegulationDate, "bicCodePouringBank": f.BIC,
		"sender":    map[string]any{"type": senderType, "id": f.PSP, "pspId": f.PSP, "pspName": f.PSPName, "pspBrokerId": f.PSP, "channelId": f.PSP + "_01"},
		"receiver":  map[string]any{"id": f.Receiver, "organizationId": f.Receiver, "organizationName": f.ReceiverName},
		"published": f.Date, "computedTotPayments": f.Count, "computedSumPayments": euro(f.Total),
		"totPayments": f.Count, "sumPayments": euro(f.Total),
	})
	if err != nil {
		return nil, nil, err
	}
	status := map[string]string{"0": "EXECUTED", "3": "REVOKED", "4": "STAND_IN", "8": "STAND_IN_NO_RPT", "9": "NO_RPT"}
	data := make([]map[string]any, 0, len(f.Lines))
	for i, l := range f.Lines {
		d, err := time.ParseInLocation(time.DateOnly, l.Date, calendar.Rome)
		if err != nil {
			return nil, nil, fmt.Errorf("line %d date: %w", i, err)
		}
		data = append(data, map[string]any{"index": i + 1, "iuv": l.IUV, "iur": l.IUR, "idTransfer": max(l.Index, 1),
			"pay": euro(l.Amount), "payStatus": status[l.Outcome], "payDate": d.Add(12 * time.Hour).UTC()})
	}
	page, err = json.Marshal(map[string]any{"metadata": map[string]any{"pageSize": len(data), "pageNumber": 1, "totPage": 1},
		"count": len(data), "data": data})
	return flow, page, err
}
