// formats.js: the custom JSON Schema formats the server checks
// (modeler/formats.go, catalog/check.go), ported to the browser so a form is
// refused before it is sent for the same reasons the server would refuse it.
// Each check returns '' when the value is good, else a short reason; formats
// ignore values that are not strings, as the spec says. The Go test
// ui/forms_parity_test.go feeds the same samples to both sides.

const oddWeights = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const personalShape = 'LLLLLLNNLNNLNNNL';
const omocodia = 'LMNPQRSTUV';
const isDigit = (c) => c >= '0' && c <= '9';
const isLetter = (c) => c >= 'A' && c <= 'Z';

/** checkCodiceFiscale checks a person's 16-character codice fiscale (omocodia
 * letters, check character) or a company's 11 digits (check digit); lower case
 * and spaces around are accepted, as the server normalises them. */
export function checkCodiceFiscale(s) {
  const cf = s.trim().toUpperCase();
  if (cf.length === 11) return checkPartitaIVA(cf);
  if (cf.length !== 16) return 'length';
  for (let i = 0; i < 16; i++) {
    const c = cf[i];
    if (personalShape[i] === 'L' && !isLetter(c)) return 'letter';
    if (personalShape[i] === 'N' && !isDigit(c) && !omocodia.includes(c)) return 'digit';
  }
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = cf[i];
    const v = isDigit(c) ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65;
    sum += i % 2 === 0 ? oddWeights[v] : v;
  }
  return cf[15] === String.fromCharCode(65 + (sum % 26)) ? '' : 'check';
}

function checkPartitaIVA(s) {
  if (!/^[0-9]{11}$/.test(s)) return 'digits';
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = s.charCodeAt(i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === s.charCodeAt(10) - 48 ? '' : 'check';
}

/** checkIBAN checks an IBAN's length (27 for Italy) and its mod-97 check
 * digits; spaces and lower case are accepted. */
export function checkIBAN(iban) {
  const s = iban.replaceAll(' ', '').toUpperCase();
  if (s.length < 15 || s.length > 34) return 'length';
  if (s.startsWith('IT') && s.length !== 27) return 'length';
  let rem = 0;
  for (const c of s.slice(4) + s.slice(0, 4)) {
    let digits;
    if (isDigit(c)) digits = c;
    else if (isLetter(c)) digits = String(c.charCodeAt(0) - 55);
    else return 'chars';
    for (const d of digits) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1 ? '' : 'check';
}

const attachmentID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** checkAttachment checks that a file field holds the id of an uploaded attachment. */
export function checkAttachment(s) {
  return attachmentID.test(s) ? '' : 'upload';
}

/** customFormats maps each custom format name to a predicate, the shape the
 * validator library takes. */
export const customFormats = {
  'codice-fiscale': (v) => typeof v !== 'string' || checkCodiceFiscale(v) === '',
  iban: (v) => typeof v !== 'string' || checkIBAN(v) === '',
  attachment: (v) => typeof v !== 'string' || checkAttachment(v) === '',
};
