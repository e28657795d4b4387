package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// checkRole refuses settings a role cannot run with. Outside sportello dev no
// simulator or local identity provider is mounted: an empty URL would send
// every call to a route nobody serves, so the server and the workers refuse to
// start instead, naming the setting.
func (c *Config) checkRole(cmd string) error {
	var need [][2]string
	switch cmd {
	case "server":
		need = [][2]string{{c.OIDCIssuer, "SPORTELLO_OIDC_ISSUER (--oidc-issuer): the issuer URL of the identity broker"}}
		fallthrough
	case "worker":
		need = append(need,
			[2]string{c.PagoPAURL, "SPORTELLO_PAGOPA_URL (--pagopa-url): the GPD API of the pagoPA intermediary"},
			[2]string{c.AppIOURL, "SPORTELLO_APPIO_URL (--appio-url): the App IO API"})
	}
	for _, n := range need {
		if n[0] == "" {
			return fmt.Errorf("setting %s is required for sportello %s (only sportello dev has simulators)", n[1], cmd)
		}
	}
	return nil
}

// runHealthcheck asks /readyz of the server this configuration describes
// (SPORTELLO_HTTP_ADDR on loopback): the container healthcheck, for images
// without curl. It fails unless the answer is 200.
func runHealthcheck(ctx context.Context, cfg *Config) error {
	_, port, _ := splitHostPort(cfg.HTTPAddr) // validated with the configuration
	url := fmt.Sprintf("http://127.0.0.1:%d/readyz", port)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: %d %s", url, resp.StatusCode, body)
	}
	return nil
}
