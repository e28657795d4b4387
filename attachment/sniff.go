package attachment

import (
	"bytes"
	"net/http"
	"strings"
)

// Media types an attachment may have: the documents Italian offices accept
// (PDF, a scan as PNG or JPEG, a CAdES-signed file as .p7m).
const (
	PDF  = "application/pdf"
	PNG  = "image/png"
	JPEG = "image/jpeg"
	P7M  = "application/pkcs7-mime"
)

// Accepted lists every media type an attachment may have; a form field narrows it.
var Accepted = []string{PDF, PNG, JPEG, P7M}

// signedDataOID is the DER encoding of OID 1.2.840.113549.1.7.2 (PKCS#7
// signedData), which a CAdES .p7m carries right after its outer SEQUENCE.
var signedDataOID = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02}

// Sniff tells the media type of content from its first bytes: the magic
// numbers of PDF, PNG, JPEG and a DER PKCS#7 signedData, then what
// http.DetectContentType says for anything else (which no field accepts).
func Sniff(content []byte) string {
	switch {
	case bytes.HasPrefix(content, []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(content, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(content, []byte{0xff, 0xd8, 0xff}):
		return JPEG
	case isP7M(content):
		return P7M
	}
	t := http.DetectContentType(content)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return t
}

// isP7M reports whether content starts as a DER SEQUENCE (definite or
// indefinite length) whose first element is the signedData OID.
func isP7M(content []byte) bool {
	if len(content) < 2 || content[0] != 0x30 {
		return false
	}
	head := 2
	switch l := content[1]; {
	case l == 0x80: // indefinite length (BER, common in CAdES)
	case l&0x80 != 0:
		head += int(l & 0x7f)
	}
	return len(content) >= head+len(signedDataOID) && bytes.Equal(content[head:head+len(signedDataOID)], signedDataOID)
}

// normalType maps the names browsers and systems give the accepted types to
// ours (a .p7m often arrives as application/pkcs7-signature or x-pkcs7-mime).
func normalType(t string) string {
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	t = strings.ToLower(strings.TrimSpace(t))
	switch t {
	case "image/jpg", "image/pjpeg":
		return JPEG
	case "application/x-pkcs7-mime", "application/pkcs7-signature", "application/x-pkcs7-signature":
		return P7M
	}
	return t
}

// Extension is the file extension of an accepted media type, for names of downloads.
func Extension(mediaType string) string {
	switch mediaType {
	case PDF:
		return ".pdf"
	case PNG:
		return ".png"
	case JPEG:
		return ".jpg"
	case P7M:
		return ".p7m"
	}
	return ""
}
