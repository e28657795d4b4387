package modeler

import "testing"

func TestRenderMarkdownEscapesValues(t *testing.T) {
	p := &Plan{}
	data := map[string]any{"nome": "[Rimborso](https://evil.example)", "note": "**urgente**\n# titolo <img src=x>", "anno": 2026, "titolo": "# Titolo", "voce": "1. voce", "giorno": "2027-05-20", "importo": "150,00 €"}
	cases := []struct{ tmpl, want string }{
		{"Gentile {{data.nome}}, la pratica è ricevuta.", `Gentile \[Rimborso\]\(https://evil.example\), la pratica è ricevuta.`},
		{"{{data.note}}", `\*\*urgente\*\* # titolo \<img src=x\>`},
		{"{{data.titolo}}", `\# Titolo`},
		{"{{data.voce}}", `1\. voce`},
		{"Data {{data.giorno}}, {{data.importo}}", `Data 2027-05-20, 150,00 €`},
		{"**TARI {{data.anno}}**", `**TARI 2026**`}, // the template's own Markdown stays
	}
	for _, c := range cases {
		got, err := p.RenderMarkdown(c.tmpl, data, nil)
		if err != nil || got != c.want {
			t.Errorf("RenderMarkdown(%q) = %q, %v; want %q", c.tmpl, got, err, c.want)
		}
	}
	// Plain text (subjects, timeline messages) is not escaped.
	if got, _ := p.RenderText("{{data.nome}}", data, nil); got != "[Rimborso](https://evil.example)" {
		t.Errorf("RenderText = %q", got)
	}
}
