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
		{Name: "codice-fiscale", Label: Text{It: "Codice fiscale", En: "Tax code"},
			Help:     Text{It: "Codice fiscale di 16 caratteri della persona fisica", En: "16-character Italian tax code of a person"},
			Schema:   raw(`{"type":"string","pattern":"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$","format":"codice-fiscale"}`),
			Examples: examples(`"RSSMRA80A01L424F"`)},
		{Name: "email", Label: Text{It: "Indirizzo e-mail", En: "E-mail address"},
			Help:   Text{It: "Indirizzo di posta elettronica per le comunicazioni", En: "E-mail address for communications"},
			Schema: raw(`{"type":"string","format":"email","maxLength":254}`), Examples: examples(`"mario.rossi@example.it"`)},
		{Name: "pec", Label: Text{It: "PEC", En: "Certified e-mail (PEC)"},
			Help:   Text{It: "Indirizzo di posta elettronica certificata", En: "Italian certified e-mail address"},
			Schema: raw(`{"type":"string","format":"email","maxLength":254}`), Examples: examples(`"mario.rossi@pec.example.it"`)},
		{Name: "telefono", Label: Text{It: "Telefono", En: "Phone"},
			Help:   Text{It: "Numero di telefono, anche cellulare, con prefisso internazionale facoltativo", En: "Phone or mobile number, international prefix optional"},
			Schema: raw(`{"type":"string","pattern":"^\\+?[0-9 ]{6,20}$"}`), Examples: examples(`"+39 040 6751"`, `"3331234567"`)},
		{Name: "iban", Label: Text{It: "IBAN", En: "IBAN"},
			Help:     Text{It: "Codice IBAN del conto su cui ricevere rimborsi o contributi", En: "IBAN of the account for refunds or grants"},
			Schema:   raw(`{"type":"string","pattern":"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$","format":"iban"}`),
			Examples: examples(`"IT60X0542811101000000123456"`)},
		{Name: "data-evento", Label: Text{It: "Data dell'evento", En: "Date of the event"},
			Help:   Text{It: "Giorno in cui avviene l'evento (es. il matrimonio)", En: "Day the event takes place (e.g. the wedding)"},
			Schema: raw(`{"type":"string","format":"date"}`), Examples: examples(`"2026-06-20"`)},
		{Name: "indirizzo", Label: Text{It: "Indirizzo", En: "Address"},
			Help: Text{It: "Indirizzo in Italia: via, numero civico, CAP e comune", En: "Address in Italy: street, number, postcode and municipality"},
			Schema: raw(`{"type":"object","required":["via","civico","cap","comune"],"additionalProperties":false,
				"properties":{"via":{"type":"string","minLength":1},"civico":{"type":"string","minLength":1},
				"cap":{"type":"string","pattern":"^[0-9]{5}$"},"comune":{"type":"string","minLength":1},
				"provincia":{"type":"string","pattern":"^[A-Z]{2}$"}}}`),
			Examples: examples(`{"via":"Piazza dell'Unità d'Italia","civico":"4","cap":"34121","comune":"Trieste","provincia":"TS"}`)},
		{Name: "luogo-evento", Label: Text{It: "Luogo dell'evento", En: "Place of the event"},
			Help: Text{It: "Dove avviene l'evento: denominazione del luogo e indirizzo", En: "Where the event takes place: name of the place and address"},
			Schema: raw(`{"type":"object","required":["denominazione"],"additionalProperties":false,
				"properties":{"denominazione":{"type":"string","minLength":1},"indirizzo":{"$ref":"` + ConceptID("indirizzo", 1) + `"}}}`),
			Examples: examples(`{"denominazione":"Sala matrimoni del Municipio","indirizzo":{"via":"Piazza dell'Unità d'Italia","civico":"4","cap":"34121","comune":"Trieste"}}`)},
		{Name: "persona", Label: Text{It: "Persona fisica", En: "Natural person"},
			Help: Text{It: "Dati anagrafici essenziali di una persona", En: "Essential personal data of a person"},
			Schema: raw(`{"type":"object","required":["nome","cognome","codiceFiscale"],"additionalProperties":false,
				"properties":{"nome":{"type":"string","minLength":1},"cognome":{"type":"string","minLength":1},
				"codiceFiscale":{"$ref":"` + ConceptID("codice-fiscale", 1) + `"},"dataNascita":{"type":"string","format":"date"},
				"email":{"$ref":"` + ConceptID("email", 1) + `"}}}`),
			Examples: examples(`{"nome":"Mario","cognome":"Rossi","codiceFiscale":"RSSMRA80A01L424F","dataNascita":"1980-01-01"}`)},
	}
}
