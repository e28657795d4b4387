package catalog

import "encoding/json"

func spec(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // seed values are Go literals: a failure is a programming error
	}
	return b
}

func txt(it, en string, sl ...string) *Text {
	t := &Text{It: it, En: en}
	if len(sl) > 0 {
		t.Sl = sl[0]
	}
	return t
}

// Regional taxonomy codes of the demo, from the official dataset (version 33).
const (
	taxMatrimonio = "9/0104102TS/" // Servizio celebrazione matrimoni civili
	taxCIE        = "9/0104100TS/" // Emissione carta d'identità elettronica
	taxTARI       = "9/0101101IM/" // Tasse sui rifiuti, anno in corso
	taxMensa      = "9/0107101TS/" // Mense scolastiche
	taxSuolo      = "9/0101107TS/" // Canone unico patrimoniale
)

// seedProcedimenti are the regional tables' procedimenti and the enti's specialisations.
func seedProcedimenti() []Input {
	matrimonio := ProcedimentoSpec{
		Name: txt("Celebrazione matrimonio", "Civil wedding ceremony"),
		LegalBasis: []Act{{Title: "D.P.R. 396/2000", Ref: "Regolamento per la revisione e la semplificazione dell'ordinamento dello stato civile"},
			{Title: "Codice civile", Ref: "artt. 106-116"}},
		Iter: []Phase{{Name: Text{It: "Presentazione dell'istanza", En: "Request submitted"}},
			{Name: Text{It: "Verifica disponibilità della sala", En: "Room availability check"}, Days: 1},
			{Name: Text{It: "Pagamento della tariffa", En: "Fee payment"}},
			{Name: Text{It: "Conferma della prenotazione", En: "Booking confirmed"}, Days: 2}},
		Term:         &Term{Days: 3},
		Start:        IstanzaDiParte,
		End:          EndExplicit,
		Office:       "stato-civile",
		Substitute:   txt("Segretario comunale", "Municipal secretary"),
		Transparency: txt("Informativa ai sensi del D.Lgs. 33/2013 art. 35: responsabile, termini e potere sostitutivo", "Notice under D.Lgs. 33/2013 art. 35: responsible office, terms and substitute power"),
	}
	suolo := ProcedimentoSpec{
		Name:       txt("Concessione di occupazione di suolo pubblico", "Public land occupation permit"),
		LegalBasis: []Act{{Title: "L. 160/2019", Ref: "art. 1, commi 816-847 (canone unico patrimoniale)"}, {Title: "D.Lgs. 285/1992", Ref: "art. 20"}},
		Iter: []Phase{{Name: Text{It: "Presentazione dell'istanza", En: "Request submitted"}},
			{Name: Text{It: "Istruttoria", En: "Assessment"}, Days: 20}, {Name: Text{It: "Rilascio della concessione", En: "Permit issued"}, Days: 10}},
		Term: &Term{Days: 30}, Start: IstanzaDiParte, End: EndExplicit, Office: "mobilita",
		Substitute:   txt("Segretario comunale", "Municipal secretary"),
		Transparency: txt("Informativa ai sensi del D.Lgs. 33/2013 art. 35", "Notice under D.Lgs. 33/2013 art. 35"),
	}
	mensa := ProcedimentoSpec{
		Name:       txt("Iscrizione al servizio di mensa scolastica", "School canteen enrolment"),
		LegalBasis: []Act{{Title: "D.Lgs. 63/2017", Ref: "effettività del diritto allo studio"}},
		Iter:       []Phase{{Name: Text{It: "Domanda di iscrizione", En: "Application"}}, {Name: Text{It: "Attribuzione della fascia tariffaria", En: "Fee band assigned"}, Days: 30}},
		Term:       &Term{Days: 30}, Start: IstanzaDiParte, End: EndExplicit, Office: "istruzione",
		Substitute: txt("Segretario comunale", "Municipal secretary"),
	}
	return []Input{
		{ID: "matrimonio", Level: Regional, Spec: spec(matrimonio)},
		{ID: "occupazione-suolo-pubblico", Level: Regional, Spec: spec(suolo)},
		{ID: "iscrizione-mensa", Level: Regional, Spec: spec(mensa)},
		{ID: Trieste + ".matrimonio", Ente: Trieste, Base: "matrimonio", Spec: spec(ProcedimentoSpec{
			Transparency: txt("Ufficio Matrimoni, via Procureria 2/A, Trieste: responsabile il funzionario di stato civile; in caso di inerzia il Segretario comunale",
				"Weddings office, via Procureria 2/A, Trieste: the civil registrar is responsible; the municipal secretary holds the substitute power")})},
		{ID: Medea + ".matrimonio", Ente: Medea, Base: "matrimonio", Spec: spec(ProcedimentoSpec{
			Iter: []Phase{{Name: Text{It: "Presentazione dell'istanza allo sportello", En: "Request at the front desk"}},
				{Name: Text{It: "Conferma della data", En: "Date confirmed"}, Days: 3}}})},
	}
}

// seedServices are the service types and the enti's services.
func seedServices() []Input {
	active := &Availability{Status: Active}
	types := []Input{
		{ID: "matrimonio", Spec: spec(ServiceSpec{
			Name:        txt("Celebrazione matrimonio", "Civil wedding ceremony", "Poročni obred"),
			Description: txt("Prenotazione della sala per la celebrazione del matrimonio civile e pagamento della tariffa", "Booking of the room for the civil wedding and payment of the fee", "Rezervacija dvorane za civilno poroko in plačilo pristojbine"),
			Channels:    []string{ChannelWeb, ChannelApp}, Interactivity: Transactional, Availability: active,
			Taxonomy:     []string{taxMatrimonio},
			Payments:     []Payment{{Label: Text{It: "Tariffa per l'uso della sala", En: "Room fee"}, Rule: "secondo il tariffario comunale per sala e giorno", Taxonomy: taxMatrimonio}},
			Procedimento: "matrimonio", Template: &TemplateRef{ID: "matrimonio"}})},
		{ID: "cie-scadenza", Level: National, Spec: spec(ServiceSpec{
			Name:        txt("Avviso di scadenza della carta d'identità", "Identity card expiry notice", "Obvestilo o poteku osebne izkaznice"),
			Description: txt("Promemoria su App IO prima della scadenza della carta d'identità elettronica", "App IO reminder before the electronic identity card expires", "Opomnik v App IO pred potekom elektronske osebne izkaznice"),
			Channels:    []string{ChannelApp}, Interactivity: InfoOnly, Availability: active,
			Taxonomy: []string{taxCIE}, Template: &TemplateRef{ID: "cie-scadenza"}})},
		{ID: "tari", Spec: spec(ServiceSpec{
			Name:        txt("TARI - Tassa sui rifiuti", "TARI - Waste tax", "TARI - Davek na odpadke"),
			Description: txt("Avvisi di pagamento della tassa sui rifiuti, anche a rate, pagabili con pagoPA", "Waste tax payment notices, also in installments, payable with pagoPA", "Obvestila o plačilu davka na odpadke, tudi na obroke, plačljiva s pagoPA"),
			Channels:    []string{ChannelWeb, ChannelApp}, Interactivity: Transactional, Availability: active,
			Taxonomy: []string{taxTARI},
			Payments: []Payment{{Label: Text{It: "TARI anno in corso", En: "TARI current year"}, Rule: "tariffa per superficie e componenti del nucleo familiare", Taxonomy: taxTARI}},
			Template: &TemplateRef{ID: "tari"}})},
		{ID: "mensa", Spec: spec(ServiceSpec{
			Name:        txt("Mensa scolastica", "School canteen", "Šolska menza"),
			Description: txt("Iscrizione al servizio di refezione scolastica e pagamento dei pasti", "School canteen enrolment and meal payments", "Vpis v šolsko menzo in plačilo obrokov"),
			Channels:    []string{ChannelWeb, ChannelApp}, Interactivity: Transactional, Availability: active,
			Taxonomy:     []string{taxMensa},
			Payments:     []Payment{{Label: Text{It: "Retta mensa", En: "Canteen fee"}, Rule: "costo del pasto secondo la fascia ISEE", Taxonomy: taxMensa}},
			Procedimento: "iscrizione-mensa", Template: &TemplateRef{ID: "mensa"}})},
		{ID: "suolo-pubblico", Spec: spec(ServiceSpec{
			Name:        txt("Occupazione di suolo pubblico", "Public land occupation", "Zasedba javne površine"),
			Description: txt("Richiesta di concessione per occupare il suolo pubblico (dehors, cantieri, traslochi) e pagamento del canone unico", "Permit to occupy public land (outdoor seating, building sites, removals) and payment of the single fee", "Dovoljenje za zasedbo javne površine (vrtovi lokalov, gradbišča, selitve) in plačilo enotne pristojbine"),
			Channels:    []string{ChannelWeb}, Interactivity: Transactional, Availability: active,
			Taxonomy:     []string{taxSuolo},
			Payments:     []Payment{{Label: Text{It: "Canone unico patrimoniale", En: "Single property fee"}, Rule: "superficie per durata per tariffa di zona", Taxonomy: taxSuolo}},
			Procedimento: "occupazione-suolo-pubblico", Template: &TemplateRef{ID: "richiesta-generica"}})},
	}
	io := func(ente, slug string) *AppIO {
		return &AppIO{ServiceID: "01SPORTELLO" + ente[2:] + slug[:3], KeyRef: "appio/" + ente + "/" + slug, Enabled: true}
	}
	pay := func(label Text, cents int64, rule, tax, iban, capitolo, articolo string) Payment {
		return Payment{Label: label, AmountCents: cents, Rule: rule, Taxonomy: tax, IBAN: iban, Capitolo: capitolo, Articolo: articolo}
	}
	const tsTes, tsDemo = "IT13X0306902230100000046001", "IT89V0103012134000063221334"
	ente := func(e, base string, sp ServiceSpec) Input {
		return Input{ID: e + "." + base, Ente: e, Base: base, Spec: spec(sp)}
	}
	services := []Input{
		ente(Trieste, "matrimonio", ServiceSpec{
			Payments: []Payment{{Label: Text{It: "Tariffa sala matrimoni del Municipio", En: "Town hall wedding room fee"}, AmountCents: 15000,
				Taxonomy: taxMatrimonio, IBAN: tsDemo, Capitolo: "30100", Articolo: "12", Accertamento: "2026/1543"}},
			AppIO:        io(Trieste, "matrimonio"),
			Procedimento: Trieste + ".matrimonio",
			Contacts:     []Contact{{Kind: "email", Value: "matrimoni@comune.trieste.it"}, {Kind: "telefono", Value: "+39 040 6754"}},
			Info: txt("Sale disponibili: Sala matrimoni del Municipio e Castello di Miramare; prenotazione da 6 a 1 mese prima",
				"Rooms: the Town hall wedding room and Miramare Castle; book from 6 months to 1 month ahead",
				"Dvorani: poročna dvorana mestne hiše in grad Miramar; rezervacija od 6 mesecev do 1 meseca vnaprej")}),
		ente(Medea, "matrimonio", ServiceSpec{
			Channels: []string{ChannelDesk}, Interactivity: InfoOnly,
			Payments: []Payment{{Label: Text{It: "Tariffa celebrazione", En: "Ceremony fee"}, AmountCents: 5000, Taxonomy: taxMatrimonio,
				IBAN: "IT66B0760102200001022345678", Capitolo: "3050", Articolo: "1"}},
			Procedimento: Medea + ".matrimonio",
			Contacts:     []Contact{{Kind: "sportello", Value: "Municipio di Medea, ufficio anagrafe e stato civile"}},
			Info:         txt("Il servizio è offerto solo allo sportello comunale", "The service is offered at the municipal front desk only", "Storitev je na voljo samo na občinskem okencu")}),
		ente(Trieste, "tari", ServiceSpec{Payments: []Payment{pay(Text{It: "TARI anno in corso", En: "TARI current year"}, 0, "tariffa deliberata dal Consiglio comunale", taxTARI, tsTes, "10110", "1")},
			AppIO: io(Trieste, "tari")}),
		ente(Trieste, "cie-scadenza", ServiceSpec{AppIO: io(Trieste, "cie-scadenza")}),
		ente(Trieste, "mensa", ServiceSpec{Payments: []Payment{withFee(pay(Text{It: "Buoni pasto", En: "Meals"}, 0, "costo del pasto secondo la fascia ISEE", taxMensa, tsTes, "30210", "4"),
			Fee{Kind: FeeBands, Unit: Text{It: "pasti", En: "meals"}, MaxQuantity: 200, Bands: []FeeBand{
				{Code: "A", Label: Text{It: "ISEE fino a 10.000 €", En: "ISEE up to 10,000 €"}, Cents: 200},
				{Code: "B", Label: Text{It: "ISEE da 10.000 a 25.000 €", En: "ISEE 10,000 to 25,000 €"}, Cents: 350},
				{Code: "C", Label: Text{It: "ISEE oltre 25.000 € o non presentato", En: "ISEE above 25,000 € or not stated"}, Cents: 520}}})}, AppIO: io(Trieste, "mensa")}),
		ente(Trieste, "suolo-pubblico", ServiceSpec{Payments: []Payment{withFee(pay(Text{It: "Canone unico patrimoniale", En: "Single property fee"}, 0, "tariffa di zona per metro quadro e giorno", taxSuolo, tsTes, "10120", "2"),
			Fee{Kind: FeePerUnit, UnitCents: 150, Unit: Text{It: "m² al giorno", En: "m² per day"}, MaxQuantity: 10000})}}),
		ente(Medea, "tari", ServiceSpec{Payments: []Payment{pay(Text{It: "TARI", En: "TARI"}, 0, "tariffa comunale", taxTARI, "IT66B0760102200001022345678", "1010", "1")}}),
	}
	for _, e := range []struct{ id, iban string }{{"c_l483", "IT12R0708401801000000012345"}, {"c_g888", "IT27P0200812342000012345678"}, {"c_e098", "IT62A0303202211010000045678"}} {
		services = append(services,
			ente(e.id, "tari", ServiceSpec{Payments: []Payment{pay(Text{It: "TARI", En: "TARI"}, 0, "tariffa comunale", taxTARI, e.iban, "1010", "1")}, AppIO: io(e.id, "tari")}),
			ente(e.id, "mensa", ServiceSpec{Payments: []Payment{withFee(pay(Text{It: "Buoni pasto", En: "Meals"}, 0, "", taxMensa, e.iban, "3020", "1"),
				Fee{Kind: FeePerUnit, UnitCents: 480, Unit: Text{It: "pasti", En: "meals"}, MaxQuantity: 200})}}))
	}
	services = append(services,
		ente("c_l483", "suolo-pubblico", ServiceSpec{Payments: []Payment{pay(Text{It: "Canone unico", En: "Single fee"}, 0, "tariffa di zona", taxSuolo, "IT12R0708401801000000012345", "1012", "1")}}),
		ente("c_l483", "cie-scadenza", ServiceSpec{AppIO: io("c_l483", "cie-scadenza")}),
		ente("c_e098", "matrimonio", ServiceSpec{Payments: []Payment{pay(Text{It: "Tariffa sala", En: "Room fee"}, 10000, "", taxMatrimonio, "IT62A0303202211010000045678", "3010", "5")}}),
	)
	return append(types, services...)
}

func withFee(p Payment, f Fee) Payment {
	p.Fee = &f
	return p
}
