package modeler

import (
	"regexp"
	"strings"
)

// slRule turns one Italian field message into Slovenian; $1, $2 keep its
// numbers, dates and names.
type slRule struct {
	it *regexp.Regexp
	sl string
}

// slRules translate the Italian field messages (messages.go, dates.go) for the
// Slovenian-speaking citizens of Friuli Venezia Giulia, first match wins. A
// message no rule knows stays Italian, the official language.
var slRules = []slRule{
	{regexp.MustCompile(`^è obbligatorio$`), "je obvezno"},
	{regexp.MustCompile(`^non è un campo di questo modulo$`), "ni polje tega obrazca"},
	{regexp.MustCompile(`^deve contenere almeno (\d+) caratteri$`), "mora vsebovati vsaj $1 znakov"},
	{regexp.MustCompile(`^deve contenere al massimo (\d+) caratteri$`), "lahko vsebuje največ $1 znakov"},
	{regexp.MustCompile(`^non è nel formato atteso$`), "ni v pričakovani obliki"},
	{regexp.MustCompile(`^deve essere tra il (\S+) e il (\S+)$`), "mora biti med $1 in $2"},
	{regexp.MustCompile(`^deve essere dal (\S+) in poi$`), "mora biti $1 ali pozneje"},
	{regexp.MustCompile(`^deve essere entro il (\S+)$`), "mora biti najpozneje $1"},
	{regexp.MustCompile(`^deve essere una data AAAA-MM-GG$`), "mora biti datum v obliki LLLL-MM-DD"},
	{regexp.MustCompile(`^deve essere almeno (.+)$`), "mora biti vsaj $1"},
	{regexp.MustCompile(`^deve essere al massimo (.+)$`), "mora biti največ $1"},
	{regexp.MustCompile(`^deve essere maggiore di (.+)$`), "mora biti večje od $1"},
	{regexp.MustCompile(`^deve essere minore di (.+)$`), "mora biti manjše od $1"},
	{regexp.MustCompile(`^deve essere uno tra: (.+)$`), "mora biti eno od: $1"},
	{regexp.MustCompile(`^deve avere almeno (\d+) elementi$`), "mora imeti vsaj $1 elementov"},
	{regexp.MustCompile(`^deve avere al massimo (\d+) elementi$`), "lahko ima največ $1 elementov"},
	{regexp.MustCompile(`^non è ammesso$`), "ni dovoljeno"},
	{regexp.MustCompile(`^non è un codice fiscale valido$`), "ni veljavna davčna številka"},
	{regexp.MustCompile(`^non è un IBAN valido$`), "ni veljaven IBAN"},
	{regexp.MustCompile(`^non è un allegato caricato: caricare prima il file$`), "ni naložena priloga: najprej naložite datoteko"},
	{regexp.MustCompile(`^non è un indirizzo e-mail valido$`), "ni veljaven e-poštni naslov"},
	{regexp.MustCompile(`^non è un (.+) valido$`), "ni veljaven $1"},
	{regexp.MustCompile(`^deve essere (.+)$`), "mora biti $1"}, // a type: the words are translated below
}

// slTypes are the Italian type names of typeName in Slovenian.
var slTypes = strings.NewReplacer("un numero intero", "celo število", "un testo", "besedilo", "un numero", "število",
	"vero o falso", "da ali ne", "un oggetto", "objekt", "un elenco", "seznam", "vuoto", "prazno", " o ", " ali ")

// slovenian is an Italian field message in Slovenian, or the message itself.
func slovenian(it string) string {
	for _, r := range slRules {
		if !r.it.MatchString(it) {
			continue
		}
		out := r.it.ReplaceAllString(it, r.sl)
		if r.sl == "mora biti $1" {
			out = slTypes.Replace(out)
		}
		return out
	}
	return it
}
