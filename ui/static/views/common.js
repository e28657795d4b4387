// common.js: pieces several views share.
import { h } from '../dom.js';
import { get } from '../api.js';
import { t, tx, statusLabel } from '../i18n.js';

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

/** statusBadge shows a status with a colour by its family. */
export function statusBadge(status, label) {
  const family = ['completed'].includes(status) ? 'ok'
    : ['rejected', 'withdrawn', 'revoked', 'payment_failed'].includes(status) ? 'ko'
      : ['integration_requested', 'payment_pending'].includes(status) ? 'warn' : 'info';
  return h('span', { class: 'badge ' + family, 'data-status': status }, label || statusLabel(status));
}

/** table builds an accessible table from column titles and rows of cells. */
export function table(caption, cols, rows, attrs) {
  return h('div', { class: 'table-wrap' }, h('table', attrs || {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c))))))));
}

/** notice is a transient message for the screen reader and the eye. */
export function notice(kind, text) {
  return h('div', { class: 'alert ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** busy disables a button while fn runs. */
export async function busy(btn, fn) {
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  try { return await fn(); } finally { btn.disabled = false; btn.removeAttribute('aria-busy'); }
}

/** emptyRow is what a list shows when it has nothing. */
export function empty(text) {
  return h('p', { class: 'muted empty' }, text || t('none'));
}
