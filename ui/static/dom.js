// dom.js: a tiny element builder. Text always goes in as text nodes, never as
// HTML, so data from the server cannot inject markup (and the CSP forbids inline code).

/** h builds an element: h('a', {href: '/x', class: 'btn', onclick: fn}, 'text', child). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** clear empties el and appends the children. */
export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const rome = 'Europe/Rome';
const locales = { it: 'it-IT', en: 'en-GB', sl: 'sl-SI' };
const loc = (lang) => locales[lang] || 'it-IT';

/** fmtDateTime shows a UTC timestamp in Europe/Rome. */
export function fmtDateTime(iso, lang) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(loc(lang), {
    timeZone: rome, dateStyle: 'medium', timeStyle: 'short',
  }).format(new Date(iso));
}

/** fmtDate shows the calendar day of a UTC timestamp in Europe/Rome. */
export function fmtDate(iso, lang) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(loc(lang), { timeZone: rome, dateStyle: 'long' }).format(new Date(iso));
}

/** fmtEuro shows integer cents as euro. */
export function fmtEuro(cents, lang) {
  return new Intl.NumberFormat(loc(lang), { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** fmtNumber shows a number in the page's locale. */
export function fmtNumber(n, lang, digits) {
  return new Intl.NumberFormat(loc(lang), { maximumFractionDigits: digits ?? 0 }).format(n);
}

/** groupNotice spaces an 18-digit notice number as printed on the avviso. */
export function groupNotice(n) {
  return String(n || '').replace(/(\d{4})(?=\d)/g, '$1 ');
}
