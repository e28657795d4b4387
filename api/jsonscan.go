package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sportello/sportello/errs"
)

// MaxJSONDepth is how deeply objects and arrays may nest in a request body:
// far more than any of our documents needs, far less than what exhausts a parser.
const MaxJSONDepth = 32

// checkJSON refuses what encoding/json would accept silently: invalid UTF-8
// (replaced by U+FFFD), NUL characters, a key given twice in one object (the
// last one wins) and nesting deeper than MaxJSONDepth. The error names the
// field as a JSON path; syntax errors are left to the decoder's message.
func checkJSON(body []byte) error {
	if !utf8.Valid(body) {
		i := 0
		for i < len(body) {
			r, n := utf8.DecodeRune(body[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return errs.Field("body", "is not valid UTF-8 at byte %d / non è UTF-8 valido al byte %d", i, i)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		obj  bool
		seen map[string]bool
		key  string // the key whose value comes next (objects)
		want bool   // an object expects a key next
		idx  int    // the next element's index (arrays)
		path string
	}
	var stack []*frame
	pathOf := func() string {
		if len(stack) == 0 {
			return "body"
		}
		f := stack[len(stack)-1]
		if f.obj {
			return join(f.path, f.key)
		}
		return fmt.Sprintf("%s[%d]", f.path, f.idx)
	}
	// value marks that one value of the current container was read.
	value := func() {
		if len(stack) == 0 {
			return
		}
		f := stack[len(stack)-1]
		if f.obj {
			f.key, f.want = "", true
		} else {
			f.idx++
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return nil // a syntax error: the decoder names it
		}
		top := len(stack) > 0 && stack[len(stack)-1].obj && stack[len(stack)-1].want
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if len(stack) >= MaxJSONDepth {
					return errs.Field(pathOf(), "nests deeper than %d levels / annidamento oltre %d livelli", MaxJSONDepth, MaxJSONDepth)
				}
				p := pathOf()
				if len(stack) == 0 {
					p = ""
				}
				stack = append(stack, &frame{obj: t == '{', want: t == '{', seen: map[string]bool{}, path: p})
			default:
				stack = stack[:len(stack)-1]
				value()
			}
		case string:
			if top { // an object key
				f := stack[len(stack)-1]
				if strings.ContainsRune(t, 0) {
					return errs.Field(join(f.path, strings.ReplaceAll(t, "\x00", "\\u0000")), "contains a NUL character / contiene un carattere NUL")
				}
				if f.seen[t] {
					return errs.Field(join(f.path, t), "is given twice / è ripetuto")
				}
				f.seen[t], f.key, f.want = true, t, false
				continue
			}
			if strings.ContainsRune(t, 0) {
				return errs.Field(pathOf(), "contains a NUL character / contiene un carattere NUL")
			}
			value()
		default:
			value()
		}
	}
}

func join(prefix, key string) string {
	if key == "" {
		key = `""` // an empty key, named visibly
	}
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
