package pagopa

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var soapBody = regexp.MustCompile(`(?s)<soapenv:Body>(.*)</soapenv:Body>`)

// TestSOAPAgainstXSD validates the paSendRTV2 request we write (the simulator
// sends it) and our answers against the official paForNode.xsd with xmllint
// (apt-get install libxml2-utils; scripts/testenv installs it as root). Without
// it the test skips, saying so, except in CI, where it fails.
func TestSOAPAgainstXSD(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		msg := "xmllint not installed: the XSD check needs it (apt-get install libxml2-utils; make test installs it as root)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	p := issued(demoPosition("XSD-1"))
	r := receiptFor(p, 0, "xsd-receipt")
	r.Payer = &Subject{Type: "F", ID: citizen, FullName: "Mario Rossi", Email: "m@example.it"}
	r.Fee, r.PaymentMethod, r.ApplicationDate, r.TransferDate = 150, "creditCard", "2026-11-27", "2026-11-28"
	req, err := r.SendRTV2Envelope(trieste, "15376371009", "15376371009_01")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{
		"paSendRTV2Request":     req,
		"paSendRTV2Response OK": SendRTResponse(2, "", "", ""),
		"paSendRTV2Response KO": SendRTResponse(2, FaultDuplicate, "receipt already received", "xsd-receipt"),
		"paSendRTRes OK":        SendRTResponse(1, "", "", ""),
	}
	xsd, err := filepath.Abs(filepath.Join(specs, "wsdl", "xsd", "paForNode.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			m := soapBody.FindSubmatch(doc)
			if m == nil {
				t.Fatalf("no SOAP body in %s", doc)
			}
			inner := strings.Replace(string(m[1]), ">", ` xmlns:pafn="`+NSPaForNode+`">`, 1)
			f := filepath.Join(t.TempDir(), "doc.xml")
			if err := os.WriteFile(f, []byte(inner), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", xsd, f).CombinedOutput()
			if err != nil {
				t.Errorf("%s\n%s", out, inner)
			}
		})
	}
}
