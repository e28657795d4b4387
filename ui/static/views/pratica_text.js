// pratica_text.js: a pratica's texts for people: timeline entries in the
// page's language without internal codes, and the submitted data as labelled
// values (the form's labels and option labels, not field names and codes).
import { h, fmtDate, fmtDateTime, fmtNumber } from '../dom.js';
import { get } from '../api.js';
import { t, tx, lang, byLang, has, statusLabel } from '../i18n.js';
import { withOfficeNames } from './common.js';

/** timelineText is one timeline entry in the page's language: the server's
 * own sentence in Italian or English (office codes become office names), and
 * for Slovenian the sentence of its kind from the portal's table. */
export function timelineText(e, offices) {
  if (lang() === 'sl') return has('ev_' + e.kind) ? t('ev_' + e.kind) : statusLabel(e.status);
  return withOfficeNames(byLang(e.messageIt, e.messageEn), offices);
}

/** dataList shows the data of a pratica with the labels of its form. */
export async function dataList(p) {
  let form = null;
  try { form = (await get('/api/portal/services/' + encodeURIComponent(p.service) + '/start')).form; } catch { form = null; }
  const ui = form?.ui?.fields || {};
  const schema = form?.schema || {};
  return h('div', { class: 'data-list', 'data-testid': 'data' }, values(p.data || {}, '', schema, ui, schema));
}

function values(obj, ptr, schema, ui, root) {
  const props = resolve(schema, root).properties || {};
  return h('dl', { class: 'facts' }, Object.entries(obj).map(([k, v]) => {
    const p = ptr + '/' + k;
    const label = tx(ui[p]?.label) || humanize(k);
    const sub = resolve(props[k] || {}, root);
    return [h('dt', {}, label), h('dd', {}, v && typeof v === 'object' && !Array.isArray(v) ? values(v, p, sub, ui, root) : value(v, sub, ui[p]))];
  }));
}

function value(v, schema, ui) {
  if (typeof v === 'boolean') return v ? t('yes') : t('no');
  if (Array.isArray(v)) return v.map((x) => value(x, schema.items || {}, ui)).join(', ');
  const labels = ui?.enumLabels || ui?.options;
  if (labels && labels[v]) return tx(labels[v]);
  if (Array.isArray(schema.enum)) return humanize(String(v));
  if (typeof v === 'number') return fmtNumber(v, lang(), 2);
  if (schema.format === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return fmtDate(v + 'T12:00:00Z', lang());
  if (schema.format === 'date-time') return fmtDateTime(v, lang());
  return String(v ?? '');
}

function resolve(s, root) {
  let guard = 0;
  while (s && s.$ref && guard++ < 10) s = s.$ref.replace(/^#\//, '').split('/').reduce((o, k) => (o ? o[k] : undefined), root);
  return s || {};
}

function humanize(s) {
  const w = String(s).replace(/[-_]/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
  return w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
}
