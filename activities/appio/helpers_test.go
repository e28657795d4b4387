package appio_test

import (
	"io"
	"net/http"
	"strings"
)

func readBody(b *strings.Builder, resp *http.Response) (int64, error) {
	defer resp.Body.Close()
	return io.Copy(b, resp.Body)
}
