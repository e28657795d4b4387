// common.js: pieces several views share.
import { h } from '../dom.js';
import { get } from '../api.js';
import { t, tx, txLang, statusLabel, has } from '../i18n.js';

let services = null;

/** serviceNames maps every catalog service id to its {it, en} name, fetched once. */
export async function serviceNames() {
  if (!services) {
    services = new Map();
    try {
      for (const s of await get('/api/catalog/services')) services.set(s.id, s.name);
    } catch { /* names are a nicety: ids are shown instead */ }
  }
  return services;
}

/** serviceName is the name of a service id in the current language, or the id. */
export function serviceName(names, id) {
  return tx(names.get(id)) || id;
}

/** serviceLang is the language serviceName shows the name in. */
export function serviceLang(names, id) {
  return txLang(names.get(id));
}

/** statusBadge shows a status with a colour by its family. */
export function statusBadge(status, label) {
  const family = ['completed'].includes(status) ? 'ok'
    : ['rejected', 'withdrawn', 'revoked', 'payment_failed'].includes(status) ? 'ko'
      : ['integration_requested', 'payment_pending'].includes(status) ? 'warn' : 'info';
  // The portal's own table first: the server's label falls back to Italian for a language it lacks.
  return h('span', { class: badgeClass[family], 'data-status': status }, has('st_' + status) ? statusLabel(status) : label || status);
}

// The Bootstrap Italia classes of each family of badge and notice.
const badgeClass = { ok: 'badge bg-success', ko: 'badge bg-danger', warn: 'badge bg-warning', info: 'badge bg-primary' };
const alertClass = { ok: 'alert alert-success', error: 'alert alert-danger', warn: 'alert alert-warning', info: 'alert alert-info' };

/** badge is a Bootstrap Italia badge of a family: ok, ko, warn or info. */
export function badge(family, text, attrs) {
  return h('span', { class: badgeClass[family] || badgeClass.info, ...(attrs || {}) }, text);
}

/** table builds an accessible table from column titles and rows of cells. */
export function table(caption, cols, rows, attrs) {
  return h('div', { class: 'table-wrap', tabindex: 0 }, h('table', attrs || {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c))))))));
}

/** notice is a transient message for the screen reader and the eye. */
export function notice(kind, text) {
  return h('div', { class: alertClass[kind] || alertClass.info, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** busy disables a button while fn runs. */
export async function busy(btn, fn) {
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try { return await fn(); } finally { btn.disabled = false; btn.removeAttribute('aria-busy'); }
}

/** emptyRow is what a list shows when it has nothing. */
export function empty(text) {
  return h('p', { class: 'text-muted empty' }, text || t('none'));
}

const offices = new Map();

/** officeNames maps the office codes of an ente's organisation to their names
 * (the catalog's master data), fetched once per ente. */
export async function officeNames(ente) {
  if (!ente) return new Map();
  if (!offices.has(ente)) {
    let m = new Map();
    try { m = new Map((await get('/api/catalog/enti/' + encodeURIComponent(ente) + '/units')).map((u) => [u.code, u.name])); } catch { /* codes stay hidden */ }
    offices.set(ente, m);
  }
  return offices.get(ente);
}

/** officeName is an office's name; a code the catalog does not know is not shown. */
export function officeName(names, code) {
  return names.get(code) || t('office');
}

/** withOfficeNames replaces, in a server text, every office code of the ente by its name. */
export function withOfficeNames(text, names) {
  let out = text || '';
  // Whole codes only: the office "tari" is not the start of "tariffa".
  for (const [code, name] of names) {
    if (!code || !out.includes(code)) continue;
    const quoted = code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp('(?<![\\p{L}\\p{N}_-])' + quoted + '(?![\\p{L}\\p{N}_-])', 'gu'), name);
  }
  return out;
}

/** enteOf is the ente of a service id ("c_l424.matrimonio" → "c_l424"). */
export function enteOf(service) {
  return String(service || '').split('.')[0];
}

/** toast shows a Bootstrap Italia notification at the foot of the screen for a
 * few seconds: what an action did, read out by screen readers. */
export function toast(kind, title, text) {
  document.querySelectorAll('.notification.toast-note').forEach((n) => n.remove());
  const note = h('div', { class: 'notification with-icon toast-note ' + (kind === 'error' ? 'error' : 'success'), role: kind === 'error' ? 'alert' : 'status',
    'data-testid': 'notification' },
  h('h2', { class: 'h5' }, kind === 'error' ? spriteIcon('it-close-circle') : spriteIcon('it-check-circle'), title), text ? h('p', {}, text) : null);
  note.style.display = 'block';
  document.body.append(note);
  setTimeout(() => note.remove(), 5000);
  return note;
}

function spriteIcon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const use = document.createElementNS(ns, 'use');
  use.setAttribute('href', new URL('../vendor/sprites.svg', import.meta.url).pathname + '#' + name);
  svg.append(use);
  return svg;
}
