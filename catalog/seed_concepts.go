package catalog

import "encoding/json"

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func examples(ex ...string) []json.RawMessage {
	out := make([]json.RawMessage, len(ex))
	for i, e := range ex {
		out[i] = raw(e)
	}
	return out
}

// seedConcepts are the first concepts of the business catalog. persona and
// luogo-evento reuse other concepts by $id, as forms do.
func seedConcepts() []ConceptInput {
	return []ConceptInput{
		{Name: "codice-fiscale", Label: Text{"Codice fiscale", "Tax code"},
			Help:     Text{"Codice fiscale di 16 caratteri della persona fisica", "16-character Italian tax code of a person"},
			Schema:   raw(`{"type":"string","pattern":"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$","format":"codice-fiscale"}`),
			Examples: examples(`"RSSMRA80A01L424F"`)},
		{Name: "email", Label: Text{"Indirizzo e-mail", "E-mail address"},
			Help:   Text{"Indirizzo di posta elettronica per le comunicazioni", "E-mail address for communications"},
			Schema: raw(`{"type":"string","format":"email","maxLength":254}`), Examples: examples(`"mario.rossi@example.it"`)},
		{Name: "pec", Label: Text{"PEC", "Certified e-mail (PEC)"},
			Help:   Text{"Indirizzo di posta elettronica certificata", "Italian certified e-mail address"},
			Schema: raw(`{"type":"string","format":"email","maxLength":254}`), Examples: examples(`"mario.rossi@pec.example.it"`)},
		{Name: "telefono", Label: Text{"Telefono", "Phone"},
			Help:   Text{"Numero di telefono, anche cellulare, con prefisso internazionale facoltativo", "Phone or mobile number, international prefix optional"},
			Schema: raw(`{"type":"string","pattern":"^\\+?[0-9 ]{6,20}$"}`), Examples: examples(`"+39 040 6751"`, `"3331234567"`)},
		{Name: "iban", Label: Text{"IBAN", "IBAN"},
			Help:     Text{"Codice IBAN del conto su cui ricevere rimborsi o contributi", "IBAN of the account for refunds or grants"},
			Schema:   raw(`{"type":"string","pattern":"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$","format":"iban"}`),
			Examples: examples(`"IT60X0542811101000000123456"`)},
		{Name: "data-evento", Label: Text{"Data dell'evento", "Date of the event"},
			Help:   Text{"Giorno in cui avviene l'evento (es. il matrimonio)", "Day the event takes place (e.g. the wedding)"},
			Schema: raw(`{"type":"string","format":"date"}`), Examples: examples(`"2026-06-20"`)},
		{Name: "indirizzo", Label: Text{"Indirizzo", "Address"},
			Help: Text{"Indirizzo in Italia: via, numero civico, CAP e comune", "Address in Italy: street, number, postcode and municipality"},
			Schema: raw(`{"type":"object","required":["via","civico","cap","comune"],"additionalProperties":false,
				"properties":{"via":{"type":"string","minLength":1},"civico":{"type":"string","minLength":1},
				"cap":{"type":"string","pattern":"^[0-9]{5}$"},"comune":{"type":"string","minLength":1},
				"provincia":{"type":"string","pattern":"^[A-Z]{2}$"}}}`),
			Examples: examples(`{"via":"Piazza dell'Unità d'Italia","civico":"4","cap":"34121","comune":"Trieste","provincia":"TS"}`)},
		{Name: "luogo-evento", Label: Text{"Luogo dell'evento", "Place of the event"},
			Help: Text{"Dove avviene l'evento: denominazione del luogo e indirizzo", "Where the event takes place: name of the place and address"},
			Schema: raw(`{"type":"object","required":["denominazione"],"additionalProperties":false,
				"properties":{"denominazione":{"type":"string","minLength":1},"indirizzo":{"$ref":"` + ConceptID("indirizzo", 1) + `"}}}`),
			Examples: examples(`{"denominazione":"Sala matrimoni del Municipio","indirizzo":{"via":"Piazza dell'Unità d'Italia","civico":"4","cap":"34121","comune":"Trieste"}}`)},
		{Name: "persona", Label: Text{"Persona fisica", "Natural person"},
			Help: Text{"Dati anagrafici essenziali di una persona", "Essential personal data of a person"},
			Schema: raw(`{"type":"object","required":["nome","cognome","codiceFiscale"],"additionalProperties":false,
				"properties":{"nome":{"type":"string","minLength":1},"cognome":{"type":"string","minLength":1},
				"codiceFiscale":{"$ref":"` + ConceptID("codice-fiscale", 1) + `"},"dataNascita":{"type":"string","format":"date"},
				"email":{"$ref":"` + ConceptID("email", 1) + `"}}}`),
			Examples: examples(`{"nome":"Mario","cognome":"Rossi","codiceFiscale":"RSSMRA80A01L424F","dataNascita":"1980-01-01"}`)},
	}
}
