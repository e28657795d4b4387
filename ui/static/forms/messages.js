// messages.js: the validator's findings as field messages in Italian, English
// and Slovenian, worded as the server words them (modeler/messages.go,
// messages_sl.go), so a field says the same thing whether the browser or the
// server refused it. The validator library speaks English only.

const texts = {
  required: { it: 'è obbligatorio', en: 'is required', sl: 'je obvezno' },
  notField: { it: 'non è un campo di questo modulo', en: 'is not a field of this form', sl: 'ni polje tega obrazca' },
  notAllowed: { it: 'non è ammesso', en: 'is not allowed', sl: 'ni dovoljeno' },
  minLength: { it: 'deve contenere almeno {n} caratteri', en: 'must be at least {n} characters long', sl: 'mora vsebovati vsaj {n} znakov' },
  maxLength: { it: 'deve contenere al massimo {n} caratteri', en: 'must be at most {n} characters long', sl: 'lahko vsebuje največ {n} znakov' },
  pattern: { it: 'non è nel formato atteso', en: 'is not in the expected format', sl: 'ni v pričakovani obliki' },
  minimum: { it: 'deve essere almeno {n}', en: 'must be at least {n}', sl: 'mora biti vsaj {n}' },
  maximum: { it: 'deve essere al massimo {n}', en: 'must be at most {n}', sl: 'mora biti največ {n}' },
  exclusiveMinimum: { it: 'deve essere maggiore di {n}', en: 'must be greater than {n}', sl: 'mora biti večje od {n}' },
  exclusiveMaximum: { it: 'deve essere minore di {n}', en: 'must be less than {n}', sl: 'mora biti manjše od {n}' },
  multipleOf: { it: 'deve essere un multiplo di {n}', en: 'must be a multiple of {n}', sl: 'mora biti večkratnik {n}' },
  enum: { it: 'deve essere uno dei valori proposti', en: 'must be one of the values offered', sl: 'mora biti ena od ponujenih vrednosti' },
  const: { it: 'non è il valore atteso', en: 'is not the expected value', sl: 'ni pričakovana vrednost' },
  minItems: { it: 'deve avere almeno {n} elementi', en: 'must have at least {n} items', sl: 'mora imeti vsaj {n} elementov' },
  maxItems: { it: 'deve avere al massimo {n} elementi', en: 'must have at most {n} items', sl: 'lahko ima največ {n} elementov' },
  uniqueItems: { it: 'non deve ripetere elementi', en: 'must not repeat items', sl: 'elementi se ne smejo ponavljati' },
  type: { it: 'deve essere {n}', en: 'must be {n}', sl: 'mora biti {n}' },
  'format:codice-fiscale': { it: 'non è un codice fiscale valido', en: 'is not a valid codice fiscale', sl: 'ni veljavna davčna številka' },
  'format:iban': { it: 'non è un IBAN valido', en: 'is not a valid IBAN', sl: 'ni veljaven IBAN' },
  'format:date': { it: 'deve essere una data AAAA-MM-GG', en: 'must be a date YYYY-MM-DD', sl: 'mora biti datum v obliki LLLL-MM-DD' },
  'format:email': { it: 'non è un indirizzo e-mail valido', en: 'is not a valid e-mail address', sl: 'ni veljaven e-poštni naslov' },
  'format:attachment': { it: 'non è un allegato caricato: caricare prima il file', en: 'is not an attachment id: upload the file first', sl: 'ni naložena priloga: najprej naložite datoteko' },
  format: { it: 'non è un {n} valido', en: 'is not a valid {n}', sl: 'ni veljaven {n}' },
};

const types = {
  string: { it: 'un testo', en: 'a string', sl: 'besedilo' },
  number: { it: 'un numero', en: 'a number', sl: 'število' },
  integer: { it: 'un numero intero', en: 'a whole number', sl: 'celo število' },
  boolean: { it: 'vero o falso', en: 'true or false', sl: 'da ali ne' },
  object: { it: 'un oggetto', en: 'an object', sl: 'objekt' },
  array: { it: 'un elenco', en: 'a list', sl: 'seznam' },
  null: { it: 'vuoto', en: 'empty', sl: 'prazno' },
};

const pick = (m, lang) => m[lang] || m.it;

/** message is the text of one finding: key is a keyword (or "format:NAME"),
 * n the number, format name or type list it mentions, lang it, en or sl. */
export function message(key, n, lang) {
  let m = texts[key];
  if (!m && key.startsWith('format:')) {
    m = texts.format;
    n = key.slice(7);
  }
  if (!m) return key;
  if (key === 'type') {
    const or = { it: ' o ', en: ' or ', sl: ' ali ' }[lang] || ' o ';
    n = String(n).split(',').map((t) => (types[t] ? pick(types[t], lang) : t)).join(or);
  }
  return pick(m, lang).replace('{n}', n ?? '');
}
