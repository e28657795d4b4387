package catalog

import (
	"strings"
	"testing"
)

// TestCheckCrest accepts PNGs and plain SVGs and refuses, naming the field,
// anything that could run or load something when the crest is opened.
func TestCheckCrest(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	for _, c := range []struct {
		in, want, why string
	}{
		{`<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>`, "image/svg+xml", ""},
		{`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><use href="#a"/></svg>`, "image/svg+xml", ""},
		{png, "image/png", ""},
		{"", "", "is empty"},
		{strings.Repeat(" ", MaxCrest+1), "", "bytes, at most"},
		{`<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>`, "", "<script>"},
		{`<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>`, "", "<foreignObject>"},
		{`<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>`, "", "event handler"},
		{`<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:x()"/></svg>`, "", "a link to"},
		{`<!DOCTYPE svg [<!ENTITY x "y">]><svg/>`, "", "DOCTYPE"},
		{`<html/>`, "", "not <svg>"},
		{`<svg><g></svg>`, "", "not well-formed"},
	} {
		got, err := checkCrest([]byte(c.in))
		if c.why == "" {
			if err != nil || got != c.want {
				t.Errorf("%.40q = %q, %v; want %q", c.in, got, err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.why) || !strings.Contains(err.Error(), "crest: ") {
			t.Errorf("%.40q: error %v, want one naming crest and saying %q", c.in, err, c.why)
		}
	}
}
