package pratica

import (
	"strconv"
	"strings"
)

// Pinned is the template version a pratica runs, fixed when it starts: later
// publications of the template never move a pratica in flight.
type Pinned struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Hash    string `json:"hash"`
}

// Pinned reads the version the pratica runs from its "<template>@<version>" column.
func (p *Pratica) Pinned() Pinned {
	id, v, _ := strings.Cut(p.Template, "@")
	n, _ := strconv.Atoi(v)
	return Pinned{ID: id, Version: n, Hash: p.TemplateHash}
}
