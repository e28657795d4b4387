// form.js: renders a form version (JSON Schema 2020-12 + UI schema) as
// Bootstrap Italia inputs, validates it in the browser with the schema the
// server checks (forms/validate.js: @cfworker/json-schema and the server's
// custom formats), collects the data back, and shows every problem at once:
// next to its field (aria-invalid, aria-describedby) and in a summary at the
// top whose links move the focus to the field. The schema's if/then/else
// shows, hides and requires fields as the data changes; a long form whose UI
// schema has groups is a stepper, one group a step. Errors the server finds
// (its cross-field rules, the date windows) come back the same way. With
// opts.readOnly the same layout shows the data, for the operator's task page.
import { h, clear } from './dom.js';
import { t, tx, lang } from './i18n.js';
import { isFileField, fileField } from './views/files.js';
import { validate, matches, deref } from './forms/validate.js';
import { readOnlyForm } from './forms/readonly.js';
import { stepper } from './forms/stepper.js';

/** stepperFields is the number of fields from which a form with groups is a stepper. */
export const stepperFields = 10;

let seq = 0;

/** renderForm returns {el, collect, validate, showErrors} for a modeler.Form:
 * validate() checks the data in the browser, shows what is wrong and says
 * whether the form may be sent. opts.known maps attachment ids in initial to
 * their attachments (name, size); opts.readOnly shows the data instead. */
export function renderForm(form, initial, opts = {}) {
  if (opts.readOnly) return readOnlyForm(form, initial || {}, opts.known || new Map());
  const root = form.schema || {};
  const ui = form.ui || {};
  const uiFields = ui.fields || {};
  const inputs = new Map(); // pointer → {input, error, kind, row, req, value?}
  const conds = []; // objects with if/then/else: {ptr, schema, extra: Map(name → Set of branches), names}
  const prefix = 'f' + (++seq);
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });

  const resolve = (s) => deref(root, s) || {};
  const labelOf = (ptr, name) => tx(uiFields[ptr]?.label) || humanize(name);
  const helpOf = (ptr) => tx(uiFields[ptr]?.help);
  const bounds = new Map((form.dates || []).map((b) => [b.field, dateRange(b)]));

  function reqMark(required) {
    return h('span', { class: 'req', title: t('required'), hidden: !required }, ' *');
  }

  function field(ptr, name, schema, required, value) {
    schema = resolve(schema);
    if (schema.type === 'object' && schema.properties) {
      const fs = h('fieldset', { class: 'group', 'data-ptr': ptr }, h('legend', {}, labelOf(ptr, name)));
      // Go encodes properties alphabetically; the required list keeps the designer's order.
      objectFields(fs, ptr, schema, value || {}, schema.required || []);
      return fs;
    }
    const id = prefix + ptr.replace(/[^a-zA-Z0-9]/g, '_');
    const errId = id + '-err', helpId = id + '-help';
    const help = helpOf(ptr);
    const desc = [help ? helpId : '', errId].filter(Boolean).join(' ');
    const error = h('p', { id: errId, class: 'field-error', hidden: true });
    const req = reqMark(required);
    if (isFileField(schema)) {
      const ff = fileField({ id, ptr, schema, desc, value, known: opts.known, error });
      const row = h('div', { class: 'field', 'data-ptr': ptr },
        h('label', { for: id }, labelOf(ptr, name), req), help ? h('p', { id: helpId, class: 'help' }, help) : null, ff.el, error);
      inputs.set(ptr, { input: ff.input, error, kind: 'attachment', row, req, value: ff.value });
      setRequired(ptr, required);
      return row;
    }
    let input, kind = schema.type || 'string';
    const widget = uiFields[ptr]?.widget;
    if (Array.isArray(schema.enum)) {
      input = h('select', { id, name: ptr, class: 'form-select', 'aria-describedby': desc },
        h('option', { value: '' }, t('choose')),
        schema.enum.map((v) => h('option', { value: String(v) }, enumLabel(ptr, v))));
      kind = 'enum';
      if (value !== undefined) input.value = String(value);
    } else if (kind === 'boolean') {
      input = h('input', { id, name: ptr, type: 'checkbox', class: 'form-check-input', 'aria-describedby': desc, checked: value === true });
    } else if (kind === 'integer' || kind === 'number') {
      input = h('input', { id, name: ptr, type: 'number', class: 'form-control', inputmode: kind === 'integer' ? 'numeric' : 'decimal',
        step: kind === 'integer' ? '1' : 'any', min: schema.minimum, max: schema.maximum, 'aria-describedby': desc,
        value: value ?? '' });
    } else if (widget === 'textarea' || (schema.maxLength || 0) > 200) {
      input = h('textarea', { id, name: ptr, class: 'form-control', rows: 5, maxlength: schema.maxLength, 'aria-describedby': desc });
      input.value = value ?? '';
    } else {
      const type = widget === 'date' || schema.format === 'date' ? 'date'
        : schema.format === 'email' ? 'email' : schema.format === 'date-time' ? 'datetime-local' : 'text';
      const range = type === 'date' ? bounds.get(ptr) : undefined;
      input = h('input', { id, name: ptr, type, class: 'form-control' + (schema.format === 'codice-fiscale' ? ' upper' : ''),
        maxlength: schema.maxLength, 'aria-describedby': desc, value: value ?? '',
        min: range?.min, max: range?.max,
        autocomplete: schema.format === 'email' ? 'email' : undefined });
    }
    const row = h('div', { class: 'field' + (kind === 'boolean' ? ' check' : ''), 'data-ptr': ptr },
      h('label', { for: id }, labelOf(ptr, name), req),
      help ? h('p', { id: helpId, class: 'help' }, help) : null,
      input, error);
    inputs.set(ptr, { input, error, kind, row, req });
    setRequired(ptr, required);
    return row;
  }

  function setRequired(ptr, required) {
    const e = inputs.get(ptr);
    if (!e) return;
    e.req.hidden = !required;
    if (required) e.input.setAttribute('aria-required', 'true');
    else e.input.removeAttribute('aria-required');
  }

  function enumLabel(ptr, v) {
    const labels = uiFields[ptr]?.enumLabels || uiFields[ptr]?.options;
    if (labels && labels[v]) return tx(labels[v]);
    return humanize(String(v));
  }

  // objectFields renders an object's properties, and those its then/else
  // branches add, which show only while their branch holds.
  function objectFields(parent, ptr, schema, value, order) {
    const req = new Set(schema.required || []);
    const props = schema.properties || {};
    const names = [...order.filter((n) => props[n]), ...Object.keys(props).filter((n) => !order.includes(n))];
    for (const n of names) parent.append(field(ptr + '/' + n, n, props[n], req.has(n), value[n]));
    conditional(parent, ptr, schema, value, names);
  }

  function conditional(parent, ptr, schema, value, names) {
    if (!schema.if) return;
    const extra = new Map();
    for (const b of ['then', 'else']) {
      for (const n of Object.keys(resolve(schema[b]).properties || {})) {
        if (names.includes(n)) continue;
        if (!extra.has(n)) {
          extra.set(n, new Set());
          parent.append(field(ptr + '/' + n, n, resolve(schema[b]).properties[n], false, value[n]));
        }
        extra.get(n).add(b);
      }
    }
    conds.push({ ptr, schema, extra, names: [...names, ...extra.keys()] });
  }

  // refresh applies each if/then/else to the data as it is now: the branch
  // that holds shows its fields and requires its required ones.
  function refresh() {
    if (!conds.length) return;
    const data = collect();
    for (const c of conds) {
      const here = valueAt(data, c.ptr) ?? {};
      let branch;
      try {
        branch = matches({ ...c.schema.if, $defs: root.$defs }, here) ? 'then' : 'else';
      } catch {
        continue; // a condition on a concept only the server resolves: every field stays
      }
      const b = resolve(c.schema[branch]);
      const req = new Set([...(c.schema.required || []), ...(b.required || [])]);
      for (const [n, branches] of c.extra) {
        const box = el.querySelector(`[data-ptr="${cssEscape(c.ptr + '/' + n)}"]`);
        if (!box) continue;
        const on = branches.has(branch);
        box.hidden = !on;
        box.toggleAttribute('data-off', !on);
      }
      for (const n of c.names) setRequired(c.ptr + '/' + n, req.has(n));
    }
  }

  const el = h('div', { class: 'schema-form' }, summary);
  const data0 = initial || {};
  let steps = null; // the stepper of a long form
  if (Array.isArray(ui.groups) && ui.groups.length) {
    const props = root.properties || {};
    const req = new Set(root.required || []);
    const placed = new Set();
    const groups = [];
    for (const g of ui.groups) {
      const fs = h('fieldset', { class: 'group' }, h('legend', {}, tx(g.label) || humanize(g.id)));
      for (const p of g.fields || []) {
        const n = p.replace(/^\//, '');
        if (!props[n]) continue;
        placed.add(n);
        fs.append(field(p, n, props[n], req.has(n), data0[n]));
      }
      groups.push({ el: fs, title: tx(g.label) || humanize(g.id) });
    }
    const rest = (ui.order || Object.keys(props)).filter((n) => props[n] && !placed.has(n));
    for (const n of Object.keys(props)) if (!placed.has(n) && !rest.includes(n)) rest.push(n);
    const restEls = rest.map((n) => field('/' + n, n, props[n], req.has(n), data0[n]));
    const tail = h('div', {}, restEls);
    conditional(tail, '', root, data0, [...placed, ...rest]);
    if (groups.length >= 2 && inputs.size >= stepperFields) {
      const panes = groups.map((g) => ({ el: h('div', { class: 'step-pane' }, g.el), title: g.title }));
      panes[panes.length - 1].el.append(tail);
      steps = stepper(panes, (k) => stepProblems(k).length === 0);
      el.append(steps.el);
    } else {
      for (const g of groups) el.append(g.el);
      el.append(tail);
    }
  } else {
    objectFields(el, '', root, data0, ui.order || []);
  }

  function paneOf(entry) {
    return steps ? steps.paneOf(entry.row) : -1;
  }

  // stepProblems validates the whole form and shows only the current step's problems.
  function stepProblems(k) {
    const mine = problems().filter((f) => {
      const e = entryOf(f.field);
      return e && paneOf(e) === k;
    });
    showErrors(mine);
    return mine;
  }

  el.addEventListener('change', refresh);
  el.addEventListener('input', (e) => { if (e.target.tagName === 'SELECT' || e.target.type === 'checkbox') refresh(); });
  refresh();

  function collect() {
    const out = {};
    for (const [ptr, { input, kind, value, row }] of inputs) {
      if (row.closest('[data-off]')) continue;
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

  // problems are the browser's findings. A schema it cannot follow (a "$ref"
  // to a business-catalog concept, which only the server resolves) leaves the
  // check to the server rather than refusing a form it cannot judge.
  function problems() {
    try {
      return validate(root, collect(), lang());
    } catch (err) {
      console.warn('form check left to the server:', err.message);
      return [];
    }
  }

  function entryOf(ptr) {
    // An item of a list of files (/allegati/0) shows at its list.
    return inputs.get(ptr) || inputs.get(ptr.replace(/\/\d+$/, ''));
  }

  function showErrors(fields) {
    for (const { input, error, row } of inputs.values()) {
      error.hidden = true;
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      input.classList.remove('is-invalid');
      row.classList.remove('invalid');
    }
    if (!fields || !fields.length) {
      summary.hidden = true;
      return;
    }
    const found = [];
    for (const f of fields) {
      const ptr = toPointer(f.field);
      let hit = entryOf(ptr);
      // A problem of a whole block shows at its first field.
      if (!hit) hit = [...inputs.entries()].find(([p]) => p.startsWith(ptr + '/'))?.[1];
      found.push({ f, hit });
      if (!hit) continue;
      hit.error.hidden = false;
      hit.error.textContent = hit.error.textContent ? hit.error.textContent + '; ' + f.message : f.message;
      hit.input.setAttribute('aria-invalid', 'true');
      hit.input.classList.add('is-invalid');
      hit.row.classList.add('invalid');
    }
    // The summary follows the order of the page.
    const order = [...inputs.values()];
    found.sort((a, b) => (a.hit ? order.indexOf(a.hit) : -1) - (b.hit ? order.indexOf(b.hit) : -1));
    const items = found.map(({ f, hit }) => {
      if (!hit) return h('li', {}, h('code', {}, f.field || '/'), ': ' + f.message);
      const label = hit.row.querySelector('label').firstChild.textContent;
      const block = hit.row.parentElement?.closest('fieldset[data-ptr]')?.querySelector('legend')?.textContent;
      return h('li', {}, h('a', { href: '#' + hit.input.id, onclick: (e) => {
        e.preventDefault();
        if (steps) steps.go(paneOf(hit), false);
        hit.input.focus();
      } }, (block ? block + ' › ' : '') + label + ': ' + f.message));
    });
    clear(summary, h('h2', {}, t('formErrors')), h('ul', {}, items));
    summary.hidden = false;
    const first = found.find((x) => x.hit);
    if (steps && first) steps.go(paneOf(first.hit), false);
    summary.focus();
  }

  /** check validates in the browser: false (and every problem shown) when the form may not be sent. */
  function check() {
    const p = problems();
    showErrors(p);
    return p.length === 0;
  }

  return { el, collect, showErrors, validate: check };
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

function valueAt(obj, ptr) {
  return ptr.split('/').slice(1).reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);
}

function cssEscape(s) {
  return s.replace(/["\\]/g, '\\$&');
}

/** humanize turns a property name into a label: codiceFiscale → Codice fiscale. */
export function humanize(s) {
  const w = String(s).replace(/[-_]/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');
  return w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
}
