package issuance

import "time"

// beatEvery calls beat every period until the returned stop is called: an
// activity's heartbeat goes on while an outside system (GPD, App IO) is slow.
func beatEvery(period time.Duration, beat func()) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				beat()
			}
		}
	}()
	return func() { close(done) }
}
