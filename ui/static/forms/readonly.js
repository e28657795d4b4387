// readonly.js: a form's data shown read-only in the form's own layout (its
// groups, labels, option labels, order), files as their names: the operator's
// task page and any page that shows what a citizen submitted.
import { h } from '../dom.js';
import { tx } from '../i18n.js';
import { deref } from './validate.js';

/** readOnlyForm returns {el, collect, showErrors, validate} showing data;
 * known maps attachment ids to their attachments (name). */
export function readOnlyForm(form, data, known) {
  const root = form?.schema || {};
  const ui = form?.ui || {};
  const fields = ui.fields || {};
  const label = (ptr, name) => tx(fields[ptr]?.label) || humanize(name);
  const resolve = (s) => deref(root, s) || {};

  const value = (v, ptr, schema) => {
    const ids = Array.isArray(v) ? v : [v];
    if (ids.length && ids.every((i) => typeof i === 'string' && known.has(i))) {
      return h('ul', { class: 'files' }, ids.map((i) => h('li', {}, known.get(i).name)));
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) return list(v, ptr, schema);
    if (typeof v === 'boolean') return v ? '✓' : '✗';
    const labels = fields[ptr]?.enumLabels || fields[ptr]?.options;
    if (labels && labels[v]) return tx(labels[v]);
    if (Array.isArray(schema?.enum)) return humanize(String(v));
    return Array.isArray(v) ? v.join(', ') : String(v);
  };
  const list = (obj, ptr, schema, order = []) => {
    const props = resolve(schema).properties || {};
    const names = [...order.filter((k) => k in obj), ...Object.keys(props).filter((k) => k in obj && !order.includes(k)),
      ...Object.keys(obj).filter((k) => !props[k] && !order.includes(k))];
    return h('dl', { class: 'facts readonly' }, names.map((k) => [
      h('dt', {}, label(ptr + '/' + k, k)), h('dd', {}, value(obj[k], ptr + '/' + k, resolve(props[k])))]));
  };

  const el = h('div', { class: 'schema-form readonly', 'data-testid': 'form-readonly' });
  const placed = new Set();
  for (const g of ui.groups || []) {
    const names = (g.fields || []).map((p) => p.replace(/^\//, '')).filter((n) => n in data);
    if (!names.length) continue;
    names.forEach((n) => placed.add(n));
    const part = Object.fromEntries(names.map((n) => [n, data[n]]));
    el.append(h('fieldset', { class: 'group' }, h('legend', {}, tx(g.label) || humanize(g.id)), list(part, '', root, names)));
  }
  const rest = Object.fromEntries(Object.entries(data).filter(([k]) => !placed.has(k)));
  if (Object.keys(rest).length) el.append(list(rest, '', root, ui.order || []));
  return { el, collect: () => data, showErrors: () => {}, validate: () => true };
}

function humanize(s) {
  const w = String(s).replace(/[-_]/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
  return w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
}
