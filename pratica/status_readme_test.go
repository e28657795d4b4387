package pratica

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestReadmeStatesAreTheProjections: the README's table of states lists every
// status the projection can hold with its code, and no other.
func TestReadmeStatesAreTheProjections(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(b), "### States of a pratica")
	table, _, _ = strings.Cut(table, "\n## ")
	rows := map[string]bool{}
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.ContainsAny(cells[2], "0123456789") {
			continue
		}
		names := strings.Split(cells[1], "/")
		nums := strings.Split(cells[2], "/")
		if len(names) != len(nums) {
			t.Errorf("README row %q pairs %d states with %d codes", line, len(names), len(nums))
			continue
		}
		for i := range names {
			rows[strings.TrimSpace(names[i])+"="+strings.TrimSpace(nums[i])] = true
		}
	}
	for s, code := range codes {
		k := string(s) + "=" + strconv.Itoa(code)
		if !rows[k] {
			t.Errorf("README does not list %s with code %d", s, code)
		}
		delete(rows, k)
	}
	for k := range rows {
		t.Errorf("README lists %s, which no pratica can reach", k)
	}
}
