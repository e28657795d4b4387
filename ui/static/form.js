// form.js: renders a form version (JSON Schema 2020-12 + UI schema) as HTML
// inputs, collects the data back, and shows the server's field errors, every
// one at once, next to the field its JSON pointer names: the schema's, and
// those of the form's cross-field rules, which name each field they concern.
// A date bounded relative to today (form.dates) gets the range as min/max, so
// the date picker offers only days the server accepts.
import { h, clear } from './dom.js';
import { t, tx } from './i18n.js';
import { isFileField, fileField } from './views/files.js';

let seq = 0;

/** renderForm returns {el, collect, showErrors} for a modeler.Form; opts.known
 * maps attachment ids in initial to their attachments (name, size). */
export function renderForm(form, initial, opts) {
  const root = form.schema || {};
  const ui = form.ui || {};
  const uiFields = ui.fields || {};
  const inputs = new Map(); // pointer → {input, error, kind, row}
  const prefix = 'f' + (++seq);
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });

  const resolve = (s) => {
    let guard = 0;
    while (s && s.$ref && guard++ < 10) {
      const path = s.$ref.replace(/^#\//, '').split('/');
      s = path.reduce((o, k) => (o ? o[k] : undefined), root);
    }
    return s || {};
  };
  const labelOf = (ptr, name) => tx(uiFields[ptr]?.label) || humanize(name);
  const helpOf = (ptr) => tx(uiFields[ptr]?.help);
  const bounds = new Map((form.dates || []).map((b) => [b.field, dateRange(b)]));

  function field(ptr, name, schema, required, value) {
    schema = resolve(schema);
    if (schema.type === 'object' && schema.properties) {
      const fs = h('fieldset', { class: 'group' }, h('legend', {}, labelOf(ptr, name)));
      // Go encodes properties alphabetically; the required list keeps the designer's order.
      objectFields(fs, ptr, schema, value || {}, schema.required || []);
      return fs;
    }
    const id = prefix + ptr.replace(/[^a-zA-Z0-9]/g, '_');
    const errId = id + '-err', helpId = id + '-help';
    const help = helpOf(ptr);
    const desc = [help ? helpId : '', errId].filter(Boolean).join(' ');
    if (isFileField(schema)) return fileRow(id, ptr, name, schema, required, value, help, helpId, errId, desc);
    let input, kind = schema.type || 'string';
    const widget = uiFields[ptr]?.widget;
    if (Array.isArray(schema.enum)) {
      input = h('select', { id, name: ptr, 'aria-describedby': desc },
        h('option', { value: '' }, t('choose')),
        schema.enum.map((v) => h('option', { value: String(v) }, enumLabel(ptr, v))));
      kind = 'enum';
      if (value !== undefined) input.value = String(value);
    } else if (kind === 'boolean') {
      input = h('input', { id, name: ptr, type: 'checkbox', 'aria-describedby': desc, checked: value === true });
    } else if (kind === 'integer' || kind === 'number') {
      input = h('input', { id, name: ptr, type: 'number', inputmode: kind === 'integer' ? 'numeric' : 'decimal',
        step: kind === 'integer' ? '1' : 'any', min: schema.minimum, max: schema.maximum, 'aria-describedby': desc,
        value: value ?? '' });
    } else if (widget === 'textarea' || (schema.maxLength || 0) > 200) {
      input = h('textarea', { id, name: ptr, rows: 5, maxlength: schema.maxLength, 'aria-describedby': desc });
      input.value = value ?? '';
    } else {
      const type = widget === 'date' || schema.format === 'date' ? 'date'
        : schema.format === 'email' ? 'email' : schema.format === 'date-time' ? 'datetime-local' : 'text';
      const range = type === 'date' ? bounds.get(ptr) : undefined;
      input = h('input', { id, name: ptr, type, maxlength: schema.maxLength, 'aria-describedby': desc, value: value ?? '',
        min: range?.min, max: range?.max,
        autocomplete: schema.format === 'email' ? 'email' : undefined,
        class: schema.format === 'codice-fiscale' ? 'upper' : undefined });
    }
    if (required) input.setAttribute('aria-required', 'true');
    const error = h('p', { id: errId, class: 'field-error', hidden: true });
    const row = h('div', { class: 'field' + (kind === 'boolean' ? ' check' : '') },
      h('label', { for: id }, labelOf(ptr, name), required ? h('span', { class: 'req', title: t('required') }, ' *') : null),
      help ? h('p', { id: helpId, class: 'help' }, help) : null,
      input, error);
    inputs.set(ptr, { input, error, kind, row });
    return row;
  }

  function fileRow(id, ptr, name, schema, required, value, help, helpId, errId, desc) {
    const error = h('p', { id: errId, class: 'field-error', hidden: true });
    const ff = fileField({ id, ptr, schema, desc, value, known: opts?.known, error });
    if (required) ff.input.setAttribute('aria-required', 'true');
    const row = h('div', { class: 'field' },
      h('label', { for: id }, labelOf(ptr, name), required ? h('span', { class: 'req', title: t('required') }, ' *') : null),
      help ? h('p', { id: helpId, class: 'help' }, help) : null, ff.el, error);
    inputs.set(ptr, { input: ff.input, error, kind: 'attachment', row, value: ff.value });
    return row;
  }

  function enumLabel(ptr, v) {
    const labels = uiFields[ptr]?.enumLabels || uiFields[ptr]?.options;
    if (labels && labels[v]) return tx(labels[v]);
    return humanize(String(v));
  }

  function objectFields(parent, ptr, schema, value, order) {
    const req = new Set(schema.required || []);
    const props = schema.properties || {};
    const names = [...order.filter((n) => props[n]), ...Object.keys(props).filter((n) => !order.includes(n))];
    for (const n of names) parent.append(field(ptr + '/' + n, n, props[n], req.has(n), value[n]));
  }

  const el = h('div', { class: 'schema-form' }, summary);
  const data0 = initial || {};
  if (Array.isArray(ui.groups) && ui.groups.length) {
    const props = root.properties || {};
    const req = new Set(root.required || []);
    const placed = new Set();
    for (const g of ui.groups) {
      const fs = h('fieldset', { class: 'group' }, h('legend', {}, tx(g.label) || humanize(g.id)));
      for (const p of g.fields || []) {
        const n = p.replace(/^\//, '');
        if (!props[n]) continue;
        placed.add(n);
        fs.append(field(p, n, props[n], req.has(n), data0[n]));
      }
      el.append(fs);
    }
    const rest = (ui.order || Object.keys(props)).filter((n) => props[n] && !placed.has(n));
    for (const n of Object.keys(props)) if (!placed.has(n) && !rest.includes(n)) rest.push(n);
    for (const n of rest) el.append(field('/' + n, n, props[n], req.has(n), data0[n]));
  } else {
    objectFields(el, '', root, data0, ui.order || []);
  }

  function collect() {
    const out = {};
    for (const [ptr, { input, kind, value }] of inputs) {
      let v;
      if (kind === 'boolean') v = input.checked;
      else if (kind === 'attachment') {
        v = value();
        if (v === undefined || (Array.isArray(v) && !v.length)) continue;
      } else {
        const s = input.value;
        if (s === '') continue;
        if (kind === 'integer' || kind === 'number') {
          const n = Number(s);
          v = Number.isFinite(n) ? n : s;
        } else v = input.classList.contains('upper') ? s.trim().toUpperCase() : s;
      }
      setAt(out, ptr, v);
    }
    return out;
  }

  function showErrors(fields) {
    for (const { input, error, row } of inputs.values()) {
      error.hidden = true;
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      row.classList.remove('invalid');
    }
    if (!fields || !fields.length) {
      summary.hidden = true;
      return;
    }
    const items = [];
    for (const f of fields) {
      const ptr = toPointer(f.field);
      // An item of a list of files (/allegati/0) shows at its list.
      const hit = inputs.get(ptr) || inputs.get(ptr.replace(/\/\d+$/, ''));
      const label = hit ? hit.row.querySelector('label').firstChild.textContent : (ptr || '/');
      if (hit) {
        hit.error.hidden = false;
        hit.error.textContent = hit.error.textContent ? hit.error.textContent + '; ' + f.message : f.message;
        hit.input.setAttribute('aria-invalid', 'true');
        hit.row.classList.add('invalid');
        items.push(h('li', {}, h('a', { href: '#' + hit.input.id, onclick: (e) => { e.preventDefault(); hit.input.focus(); } }, label + ': ' + f.message)));
      } else {
        items.push(h('li', {}, h('code', {}, f.field || '/'), ': ' + f.message));
      }
    }
    clear(summary, h('h2', {}, t('formErrors')), h('ul', {}, items));
    summary.hidden = false;
    summary.focus();
  }

  return { el, collect, showErrors };
}

/** toPointer accepts a JSON pointer or a dotted path (data.sposo1.nome) and returns the pointer. */
export function toPointer(field) {
  if (!field) return '';
  if (field.startsWith('/')) return field;
  return '/' + field.replace(/^(form\.)?data\.?/, '').split('.').filter(Boolean).join('/');
}

/** romeToday is today's date in Europe/Rome, the day the server counts from. */
function romeToday() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

/** dateRange turns a date bound ({minDays, minMonths, maxDays, maxMonths}) into ISO min/max, as the server does (Go's AddDate). */
export function dateRange(b) {
  const t = romeToday();
  const at = (months, days) => {
    if (months === undefined && days === undefined) return undefined;
    const d = new Date(Date.UTC(t.y, t.m - 1 + (months || 0), t.d + (days || 0)));
    return d.toISOString().slice(0, 10);
  };
  return { min: at(b.minMonths, b.minDays), max: at(b.maxMonths, b.maxDays) };
}

function setAt(obj, ptr, v) {
  const parts = ptr.split('/').slice(1);
  let o = obj;
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {});
  o[parts[parts.length - 1]] = v;
}

function humanize(s) {
  const w = String(s).replace(/[-_]/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
  return w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
}
