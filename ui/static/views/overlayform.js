// overlayform.js: an ente admin's overlay of a regional template as a form
// generated from the template's declared parameters: amounts in euros, the
// IBAN chosen among the ente's accounts in the catalog, the office among its
// offices; saved and published so the ente's next pratiche use it.
import { h, clear } from '../dom.js';
import { api, post } from '../api.js';
import { t, tx, txLang } from '../i18n.js';
import { notice, busy } from './common.js';
import { schemaForm, euros } from './schemaform.js';

/** paramSchema turns a template's declared parameters into a JSON Schema the
 * generated form edits; "fields" parameters are left out (kept as they are). */
export function paramSchema(params, accounts, offices, current) {
  const properties = {};
  for (const p of params) {
    const base = { 'x-label': p.label };
    switch (p.type) {
      case 'cents': properties[p.name] = { ...base, type: 'integer', 'x-kind': 'cents', minimum: p.min, maximum: p.max }; break;
      case 'days': properties[p.name] = { ...base, type: 'integer', minimum: p.min ?? 0, maximum: p.max }; break;
      case 'bool': properties[p.name] = { ...base, type: 'boolean' }; break;
      case 'text': properties[p.name] = { ...base, 'x-kind': 'text', type: 'object' }; break;
      case 'iban': {
        const opts = accounts.map((a) => ({ value: a.iban, label: (a.label ? a.label + ' · ' : '') + a.iban }));
        const cur = current[p.name];
        if (cur && !opts.some((o) => o.value === cur)) opts.push({ value: cur, label: cur });
        properties[p.name] = { ...base, type: 'string', 'x-options': opts };
        break;
      }
      case 'office': {
        const opts = [...offices].map(([code, name]) => ({ value: code, label: name }));
        const cur = current[p.name];
        if (cur && !offices.has(cur)) opts.push({ value: cur, label: t('office') });
        properties[p.name] = { ...base, type: 'string', 'x-options': opts };
        break;
      }
      case 'fields': break;
      default: properties[p.name] = { ...base, type: 'string' };
    }
  }
  return { type: 'object', properties };
}

/** overlayEditor is the card's form: tp is the regional template (id, version),
 * params its declared parameters, ov the ente's overlay (or null). */
export function overlayEditor(ente, tp, params, ov, accounts, offices, onDone) {
  const defaults = Object.fromEntries(params.map((p) => [p.name, p.default]));
  const current = { ...defaults, ...(ov?.values || {}) };
  const schema = paramSchema(params, accounts, offices, current);
  const form = schemaForm(schema, current, { legend: t('ovEdit') });
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'overlay-out' });
  const base = '/api/modeler/overlays/' + encodeURIComponent(ente) + '/' + encodeURIComponent(tp.id);
  const values = () => {
    const v = form.value();
    const res = {};
    for (const p of params) {
      if (p.type === 'fields') { if (ov?.values?.[p.name] !== undefined) res[p.name] = ov.values[p.name]; continue; }
      if (p.type === 'bool') { res[p.name] = v[p.name] === true; continue; }
      if (v[p.name] !== undefined) res[p.name] = v[p.name];
    }
    return res;
  };
  const save = h('button', { type: 'button', class: 'btn btn-outline-primary' }, t('ovSave'));
  const publish = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'overlay-publish' }, t('ovPublish'));
  const put = async () => api('PUT', base, { baseVersion: tp.version, values: values() });
  save.addEventListener('click', () => busy(save, async () => {
    try { await put(); clear(out, notice('ok', t('ovSaved'))); } catch (err) { fail(err); }
  }));
  publish.addEventListener('click', () => busy(publish, async () => {
    try {
      await put();
      const rec = await post(base + '/publish');
      clear(out, notice('ok', t('ovPublished') + ' ' + rec.version));
      setTimeout(onDone, 1500);
    } catch (err) { fail(err); }
  }));
  const fail = (err) => clear(out, err.fields?.length
    ? h('div', { class: 'alert alert-danger', role: 'alert' }, h('ul', { class: 'problems' }, err.fields.map((f) => h('li', {}, labelOfField(params, f.field), ': ', f.message))))
    : notice('error', err.message));
  const hasFields = params.some((p) => p.type === 'fields');
  return h('div', { class: 'overlay-form' }, form.el, hasFields ? h('p', { class: 'meta' }, t('ovFieldsKept')) : null,
    h('div', { class: 'actions' }, save, publish), out);
}

// labelOfField names a problem's parameter ("/values/tariffa") by its label.
function labelOfField(params, field) {
  const name = String(field || '').replace(/^\/values\//, '').split('/')[0];
  const p = params.find((x) => x.name === name);
  return p ? h('span', { lang: txLang(p.label) }, tx(p.label) || name) : field;
}

/** valuesList shows an overlay's values by their labels: amounts in euros, accounts and offices by name. */
export function valuesList(params, values, accounts, offices) {
  const show = (p, v) => {
    if (v === undefined) return '—';
    switch (p.type) {
      case 'cents': return euros(Number(v));
      case 'iban': { const a = accounts.find((x) => x.iban === v); return (a?.label ? a.label + ' · ' : '') + v; }
      case 'office': return offices.get(v) || t('office');
      case 'bool': return v ? t('yes') : t('no');
      case 'text': return tx(v);
      case 'fields': return Object.keys(v || {}).length ? Object.keys(v).join(', ') : '—';
      default: return String(v);
    }
  };
  return h('dl', { class: 'overlay-values', 'data-testid': 'overlay-values' }, params.map((p) => [
    h('dt', { lang: txLang(p.label) }, tx(p.label) || p.name),
    h('dd', {}, show(p, values[p.name] ?? p.default), values[p.name] === undefined ? h('span', { class: 'meta' }, ' (' + t('ovDefault') + ')') : null)]));
}
