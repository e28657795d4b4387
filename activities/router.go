package activities

import (
	"context"

	"github.com/sportello/sportello/errs"
)

// MessageRouter sends each notify step's message through the sender of its
// channel ("appio", "email"). A channel without a sender is a permanent error,
// never a message silently dropped.
type MessageRouter map[string]Messages

// Send hands req to the sender of req.Channel.
func (r MessageRouter) Send(ctx context.Context, req MessageRequest) (*MessageSent, error) {
	m, ok := r[req.Channel]
	if !ok || m == nil {
		return nil, errs.Field("channel", "%q has no sender configured", req.Channel)
	}
	return m.Send(ctx, req)
}
