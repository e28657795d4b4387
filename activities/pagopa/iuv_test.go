package pagopa

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sportello/sportello/errs"
)

func TestBuildNotice(t *testing.T) {
	tests := []struct {
		name   string
		scheme IUVScheme
		n      int64
		want   Notice
	}{
		{"aux 0 application code", IUVScheme{0, "01"}, 42, Notice{IUV: "000000000004282", NoticeNumber: "001000000000004282"}},
		{"aux 1 no check digits", IUVScheme{1, ""}, 42, Notice{IUV: "00000000000000042", NoticeNumber: "100000000000000042"}},
		{"aux 2 base 15", IUVScheme{2, ""}, 42, Notice{IUV: "00000000000004244", NoticeNumber: "200000000000004244"}},
		{"aux 3 segregation code", IUVScheme{3, "47"}, 42, Notice{IUV: "47000000000004265", NoticeNumber: "347000000000004265"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.scheme.Build(tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Build (-want +got):\n%s", diff)
			}
			if len(got.NoticeNumber) != 18 {
				t.Errorf("notice number %q is not 18 digits", got.NoticeNumber)
			}
			iuv, err := ParseNotice(tt.scheme, got.NoticeNumber)
			if err != nil {
				t.Fatalf("ParseNotice: %v", err)
			}
			if iuv != tt.want.IUV || IUVOf(got.NoticeNumber) != tt.want.IUV {
				t.Errorf("IUV = %q / %q, want %q", iuv, IUVOf(got.NoticeNumber), tt.want.IUV)
			}
		})
	}
}

func TestBuildOutOfRange(t *testing.T) {
	_, err := IUVScheme{3, "47"}.Build(10_000_000_000_000)
	if errs.CodeOf(err) != errs.Conflict {
		t.Fatalf("err = %v, want conflict", err)
	}
}

func TestParseNotice(t *testing.T) {
	tests := []struct {
		name   string
		scheme IUVScheme
		number string
		want   string // the error message, "" for none
	}{
		{"ours", IUVScheme{3, "47"}, "347000000000004265", ""},
		{"wrong check digits", IUVScheme{3, "47"}, "347000000000004266", "noticeNumber: check digits are wrong"},
		{"other segregation code", IUVScheme{3, "47"}, "348000000000004265", "noticeNumber: segregation code is 48, the ente uses 47"},
		{"other aux digit", IUVScheme{3, "47"}, "200000000000004244", "noticeNumber: aux digit is 2, the ente uses 3"},
		{"short", IUVScheme{2, ""}, "20000000000000424", "noticeNumber: must be 18 digits"},
		{"letters", IUVScheme{2, ""}, "20000000000000424A", "noticeNumber: must be 18 digits"},
		{"aux 4", IUVScheme{2, ""}, "400000000000004244", "noticeNumber: aux digit must be 0, 1, 2 or 3"},
		{"aux 0 wrong application code", IUVScheme{0, "01"}, "002000000000004282", "noticeNumber: application code is 02, the ente uses 01"},
		{"aux 2 wrong check", IUVScheme{2, ""}, "200000000000004245", "noticeNumber: check digits are wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNotice(tt.scheme, tt.number)
			got := ""
			if err != nil {
				if errs.CodeOf(err) != errs.Invalid {
					t.Fatalf("code = %s, want invalid", errs.CodeOf(err))
				}
				got = err.Error()[len("invalid: "):]
			}
			if got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckNoticePatternAcceptsOthers(t *testing.T) {
	// The official sample's notice number: its check digits are not ours to judge.
	if err := CheckNoticePattern("311111111112222222"); err != nil {
		t.Fatal(err)
	}
}

func TestSchemeValidate(t *testing.T) {
	tests := []struct {
		s    IUVScheme
		want string
	}{
		{IUVScheme{0, "01"}, ""},
		{IUVScheme{0, ""}, "creditor.applicationCode"},
		{IUVScheme{3, "4"}, "creditor.segregationCode"},
		{IUVScheme{2, "12"}, "creditor.auxDigit"},
		{IUVScheme{5, ""}, "creditor.auxDigit"},
	}
	for _, tt := range tests {
		err := tt.s.Validate("creditor")
		got := ""
		if e, ok := errs.As(err); ok {
			got = e.Fields[0].Field
		}
		if got != tt.want {
			t.Errorf("%+v: field = %q, want %q (%v)", tt.s, got, tt.want, err)
		}
	}
}
