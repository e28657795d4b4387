// builder.js: the modeller's form builder. A palette of field types and of the
// business catalog's concepts; fields added, removed and reordered by drag or
// with the move buttons (keyboard); labels in it/en/sl, required, formats,
// choices and conditions ("show X when Y is v", written as if/then/else in the
// schema so the browser and the server agree); a live preview rendered by the
// citizens' own renderer; and the JSON (schema + UI schema) as an advanced tab,
// kept in sync both ways.
import { h, clear } from '../dom.js';
import { t, tx } from '../i18n.js';
import { renderForm } from '../form.js';
import { tabs } from './tabs.js';

/** KINDS are the builder's field types: the schema a new field starts from and its widget. */
export const KINDS = {
  text: () => ({ type: 'string', maxLength: 200 }),
  textarea: () => ({ type: 'string', maxLength: 5000 }),
  integer: () => ({ type: 'integer' }),
  number: () => ({ type: 'number' }),
  date: () => ({ type: 'string', format: 'date' }),
  email: () => ({ type: 'string', format: 'email' }),
  select: () => ({ type: 'string', enum: ['a', 'b'] }),
  checkbox: () => ({ type: 'boolean' }),
  attachment: () => ({ type: 'string', format: 'attachment', 'x-accept': ['application/pdf', 'image/png', 'image/jpeg'], 'x-maxSize': 5242880 }),
  cf: () => ({ type: 'string', format: 'codice-fiscale' }),
  iban: () => ({ type: 'string', format: 'iban' }),
};
const widgets = { textarea: 'textarea', attachment: 'file', select: 'select', date: 'date', checkbox: 'checkbox' };

/** kindOf tells the builder's type of a property schema ("concept" for a $ref, "other" for what it does not build). */
export function kindOf(s, widget) {
  if (!s || typeof s !== 'object') return 'other';
  if (typeof s.$ref === 'string' && !s.$ref.startsWith('#')) return 'concept';
  if (s.format === 'attachment' || s.items?.format === 'attachment') return 'attachment';
  if (s.type === 'string' && s.format === 'date') return 'date';
  if (s.type === 'string' && s.format === 'email') return 'email';
  if (s.type === 'string' && s.format === 'codice-fiscale') return 'cf';
  if (s.type === 'string' && s.format === 'iban') return 'iban';
  if (Array.isArray(s.enum)) return 'select';
  if (s.type === 'boolean') return 'checkbox';
  if (s.type === 'integer') return 'integer';
  if (s.type === 'number') return 'number';
  if (s.type === 'string' && !s.format) return widget === 'textarea' ? 'textarea' : 'text';
  return 'other';
}

/** parseForm turns a form (schema + ui) into the builder's state: fields in
 * display order, each with its schema, label, required flag and condition;
 * what the builder does not model is kept as it is. */
export function parseForm(form) {
  const schema = form.schema || {};
  const ui = form.ui || {};
  const props = schema.properties || {};
  const required = new Set(schema.required || []);
  const conds = new Map();
  const otherAllOf = [];
  for (const c of schema.allOf || []) {
    const m = condOf(c);
    if (m && props[m.field]) conds.set(m.field, m); else otherAllOf.push(c);
  }
  const order = [...(ui.order || []).filter((n) => props[n]), ...Object.keys(props).filter((n) => !(ui.order || []).includes(n))];
  const fields = order.map((name) => {
    const u = (ui.fields || {})['/' + name] || {};
    const c = conds.get(name);
    return { name, schema: props[name], label: { it: '', en: '', sl: '', ...(u.label || {}) }, ui: u,
      required: c ? c.required : required.has(name), cond: c ? { field: c.on, value: String(c.value) } : null };
  });
  const rest = { ...schema };
  delete rest.properties; delete rest.required; delete rest.allOf;
  const uiRest = { ...ui };
  delete uiRest.order;
  return { fields, rest, otherAllOf, uiRest };
}

// condOf reads {if: {properties: {Y: {const: v}}, required: [Y]}, then: {required?: [X]}, else: {not: {required: [X]}}}.
function condOf(c) {
  const on = Object.keys(c?.if?.properties || {})[0];
  const field = c?.else?.not?.required?.[0];
  if (!on || !field || !('const' in c.if.properties[on])) return null;
  return { field, on, value: c.if.properties[on].const, required: (c.then?.required || []).includes(field) };
}

/** buildForm writes the builder's state back as a schema and a UI schema. */
export function buildForm(state) {
  const properties = {}, required = [], allOf = [...state.otherAllOf];
  const uiFields = { ...(state.uiRest.fields || {}) };
  const byName = new Map(state.fields.map((f) => [f.name, f]));
  for (const f of state.fields) {
    properties[f.name] = f.schema;
    const on = f.cond && byName.get(f.cond.field);
    if (on && on !== f) {
      allOf.push({ if: { properties: { [on.name]: { const: typed(on.schema, f.cond.value) } }, required: [on.name] },
        then: f.required ? { required: [f.name] } : {}, else: { not: { required: [f.name] } } });
    } else if (f.required) required.push(f.name);
    const label = {};
    for (const l of ['it', 'en', 'sl']) if (f.label[l]) label[l] = f.label[l];
    const u = { ...f.ui, label: { it: '', en: '', ...label } };
    const w = widgets[kindOf(f.schema, f.ui.widget)];
    if (w) u.widget = w; else delete u.widget;
    uiFields['/' + f.name] = u;
  }
  for (const k of Object.keys(uiFields)) if (!byName.has(k.slice(1)) && !k.slice(1).includes('/')) delete uiFields[k];
  const schema = { ...state.rest, type: 'object', properties };
  if (required.length) schema.required = required;
  if (allOf.length) schema.allOf = allOf;
  return { schema, ui: { ...state.uiRest, order: state.fields.map((f) => f.name), fields: uiFields } };
}

// typed turns a condition's value into the type of the field it tests.
function typed(schema, v) {
  if (schema?.type === 'boolean') return v === 'true';
  if (schema?.type === 'integer' || schema?.type === 'number') return Number(v);
  return v;
}

/** formBuilder returns the builder of form: {el, doc} where doc() is the form
 * to save. concepts are the catalog's concepts ({$id, name, label}). */
export function formBuilder(form, concepts) {
  let state = parseForm(form);
  const list = h('ol', { class: 'fb-fields', 'data-testid': 'fields', 'aria-describedby': 'fb-dnd-help' });
  const preview = h('div', { class: 'fb-preview', 'data-testid': 'preview' });
  const json = h('textarea', { id: 'fb-json', class: 'code', rows: 22, spellcheck: 'false', 'aria-describedby': 'fb-json-out' });
  const jsonOut = h('div', { id: 'fb-json-out', 'aria-live': 'polite' });
  const live = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });

  const doc = () => ({ ...form, ...buildForm(state) });
  const sync = () => {
    const d = buildForm(state);
    json.value = JSON.stringify({ schema: d.schema, ui: d.ui }, null, 2);
    try {
      clear(preview, renderForm({ ...form, ...d, rules: [], dates: [] }, {}, { preview: true }).el);
    } catch (err) { clear(preview, h('p', { class: 'text-danger' }, err.message)); }
  };
  json.addEventListener('input', () => {
    let d;
    try { d = JSON.parse(json.value); } catch (err) { clear(jsonOut, h('p', { class: 'text-danger' }, t('invalidJSON') + ': ' + err.message)); return; }
    if (!d || typeof d.schema !== 'object') { clear(jsonOut, h('p', { class: 'text-danger' }, t('fbNeedsSchema'))); return; }
    clear(jsonOut);
    state = parseForm({ schema: d.schema, ui: d.ui || {} });
    drawList();
    try { clear(preview, renderForm({ ...form, schema: d.schema, ui: d.ui || {}, rules: [], dates: [] }, {}, { preview: true }).el); } catch { /* shown on the next valid edit */ }
  });

  const labelOf = (f) => f.label.it || f.name;
  const unique = (base) => {
    let n = 1, name = base;
    while (state.fields.some((f) => f.name === name)) name = base + (++n);
    return name;
  };
  const add = (kind, concept) => {
    const name = concept ? unique(camel(concept.name)) : unique(t('fbNewName'));
    const label = concept ? { it: concept.label?.it || '', en: concept.label?.en || '', sl: '' } : { it: '', en: '', sl: '' };
    state.fields.push({ name, schema: concept ? { $ref: concept.$id } : KINDS[kind](), label, ui: {}, required: false, cond: null });
    drawList();
    list.lastElementChild?.querySelector('input')?.focus();
    live.textContent = t('fbAdded') + ': ' + name;
  };
  const move = (i, to, focusSel) => {
    if (to < 0 || to >= state.fields.length) return;
    const [f] = state.fields.splice(i, 1);
    state.fields.splice(to, 0, f);
    drawList();
    list.children[to]?.querySelector(focusSel || '.fb-handle')?.focus();
    live.textContent = t('fbMoved') + ': ' + labelOf(f) + ' ' + (to + 1) + '/' + state.fields.length;
  };

  function drawList() {
    clear(list, state.fields.map((f, i) => card(f, i)));
    sync();
  }

  function card(f, i) {
    const id = 'fb-' + i;
    const kind = kindOf(f.schema, f.ui.widget);
    const changed = () => sync();
    const inp = (key, label, value, set, attrs = {}) => {
      const el = h('input', { id: id + '-' + key, type: 'text', value, ...attrs });
      el.addEventListener('input', () => { set(el.value); changed(); });
      return h('div', { class: 'sf-row' }, h('label', { for: el.id }, label), el);
    };
    const name = h('input', { id: id + '-name', type: 'text', value: f.name, pattern: '[a-zA-Z][a-zA-Z0-9_]*', spellcheck: 'false' });
    name.addEventListener('change', () => {
      const v = name.value.trim();
      if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(v) || state.fields.some((o) => o !== f && o.name === v)) { name.value = f.name; return; }
      for (const o of state.fields) if (o.cond?.field === f.name) o.cond.field = v;
      f.name = v;
      drawList();
    });
    const req = h('input', { id: id + '-req', type: 'checkbox', checked: f.required });
    req.addEventListener('change', () => { f.required = req.checked; changed(); });
    const kindSel = h('select', { id: id + '-kind' },
      Object.keys(KINDS).map((k) => h('option', { value: k }, t('fk_' + k))),
      kind === 'concept' || kind === 'other' ? h('option', { value: kind }, t('fk_' + kind)) : null);
    kindSel.value = kind;
    kindSel.addEventListener('change', () => { if (KINDS[kindSel.value]) { f.schema = KINDS[kindSel.value](); f.ui = { ...f.ui, widget: undefined }; drawList(); list.children[i]?.querySelector('select')?.focus(); } });
    const extra = [];
    if (kind === 'select') {
      const opts = h('textarea', { id: id + '-opts', rows: 3 });
      opts.value = (f.schema.enum || []).join('\n');
      opts.addEventListener('input', () => { f.schema = { ...f.schema, enum: opts.value.split('\n').map((s) => s.trim()).filter(Boolean) }; changed(); });
      extra.push(h('div', { class: 'sf-row' }, h('label', { for: opts.id }, t('fbOptions')), opts));
    }
    if (kind === 'integer' || kind === 'number') {
      for (const k of ['minimum', 'maximum']) {
        extra.push(inp(k, t('fb_' + k), f.schema[k] ?? '', (v) => { const s = { ...f.schema }; if (v === '') delete s[k]; else s[k] = Number(v); f.schema = s; }, { type: 'number' }));
      }
    }
    if (kind === 'text' || kind === 'textarea') {
      extra.push(inp('max', t('fb_maxLength'), f.schema.maxLength ?? '', (v) => { const s = { ...f.schema }; if (v === '') delete s.maxLength; else s.maxLength = Number(v); f.schema = s; }, { type: 'number', min: 1 }));
    }
    // The condition: show this field only when another one has a value.
    const others = state.fields.filter((o) => o !== f);
    const condOn = h('select', { id: id + '-cond' }, h('option', { value: '' }, t('fbAlways')),
      others.map((o) => h('option', { value: o.name }, labelOf(o))));
    condOn.value = f.cond?.field || '';
    const condVal = h('input', { id: id + '-condv', type: 'text', value: f.cond?.value ?? '', disabled: !f.cond });
    condOn.addEventListener('change', () => {
      f.cond = condOn.value ? { field: condOn.value, value: condVal.value || defaultValue(state.fields.find((o) => o.name === condOn.value)) } : null;
      condVal.disabled = !f.cond;
      condVal.value = f.cond?.value ?? '';
      changed();
    });
    condVal.addEventListener('input', () => { if (f.cond) { f.cond.value = condVal.value; changed(); } });

    const handle = h('button', { type: 'button', class: 'fb-handle btn btn-link', 'aria-label': t('fbDragHandle') + ': ' + labelOf(f) }, '⠿');
    handle.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowUp' && e.altKey) { e.preventDefault(); move(i, i - 1); }
      if (e.key === 'ArrowDown' && e.altKey) { e.preventDefault(); move(i, i + 1); }
    });
    const up = h('button', { type: 'button', class: 'btn btn-outline-secondary btn-sm', 'data-act': 'up', disabled: i === 0, 'aria-label': t('fbMoveUp') + ': ' + labelOf(f) }, '↑');
    up.addEventListener('click', () => move(i, i - 1, '[data-act=up]:not([disabled]), [data-act=down]'));
    const down = h('button', { type: 'button', class: 'btn btn-outline-secondary btn-sm', 'data-act': 'down', disabled: i === state.fields.length - 1, 'aria-label': t('fbMoveDown') + ': ' + labelOf(f) }, '↓');
    down.addEventListener('click', () => move(i, i + 1, '[data-act=down]:not([disabled]), [data-act=up]'));
    const rm = h('button', { type: 'button', class: 'btn btn-outline-danger btn-sm', 'aria-label': t('remove') + ': ' + labelOf(f) }, '✕');
    rm.addEventListener('click', () => {
      state.fields.splice(i, 1);
      for (const o of state.fields) if (o.cond?.field === f.name) o.cond = null;
      drawList();
      live.textContent = t('fbRemoved') + ': ' + labelOf(f);
    });

    const title = h('span', { lang: 'it' }, labelOf(f));
    // The card's heading and its buttons' names follow the Italian label as it is typed.
    const relabel = () => {
      title.textContent = labelOf(f);
      handle.setAttribute('aria-label', t('fbDragHandle') + ': ' + labelOf(f));
      up.setAttribute('aria-label', t('fbMoveUp') + ': ' + labelOf(f));
      down.setAttribute('aria-label', t('fbMoveDown') + ': ' + labelOf(f));
      rm.setAttribute('aria-label', t('remove') + ': ' + labelOf(f));
    };
    const li = h('li', { class: 'fb-field card', draggable: 'true', 'data-name': f.name },
      h('div', { class: 'fb-head' }, handle, h('h3', { class: 'fb-title' }, title, ' ', h('code', { class: 'tech-id' }, f.name)), h('span', { class: 'fb-moves' }, up, down, rm)),
      h('div', { class: 'fb-body' },
        h('div', { class: 'sf-row' }, h('label', { for: name.id }, t('fbName')), name),
        h('div', { class: 'sf-row' }, h('label', { for: kindSel.id }, t('fbKind')), kindSel),
        ['it', 'en', 'sl'].map((l) => inp('label-' + l, t('fbLabel') + ' (' + t('lang_' + l) + ')', f.label[l] || '', (v) => { f.label[l] = v; if (l === 'it') relabel(); }, { lang: l })),
        h('div', { class: 'sf-row sf-check' }, req, h('label', { for: req.id }, t('required'))),
        extra,
        h('div', { class: 'fb-cond' }, h('div', { class: 'sf-row' }, h('label', { for: condOn.id }, t('fbShowWhen')), condOn),
          h('div', { class: 'sf-row' }, h('label', { for: condVal.id }, t('fbEquals')), condVal))));
    li.addEventListener('dragstart', (e) => { e.dataTransfer.setData('text/plain', String(i)); e.dataTransfer.effectAllowed = 'move'; li.classList.add('dragging'); });
    li.addEventListener('dragend', () => li.classList.remove('dragging'));
    li.addEventListener('dragover', (e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; });
    li.addEventListener('drop', (e) => {
      e.preventDefault();
      const from = Number(e.dataTransfer.getData('text/plain'));
      if (!Number.isNaN(from) && from !== i) move(from, i);
    });
    return li;
  }

  const palette = h('div', { class: 'fb-palette', role: 'group', 'aria-labelledby': 'fb-palette-h' },
    h('h2', { id: 'fb-palette-h' }, t('fbPalette')),
    h('div', { class: 'fb-kinds' }, Object.keys(KINDS).map((k) => {
      const b = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', 'data-kind': k }, '+ ' + t('fk_' + k));
      b.addEventListener('click', () => add(k));
      return b;
    })));
  if (concepts?.length) {
    const sel = h('select', { id: 'fb-concept' }, concepts.map((c) => h('option', { value: c.$id }, tx(c.label) || c.name)));
    const b = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm' }, '+ ' + t('fbAddConcept'));
    b.addEventListener('click', () => add('concept', concepts.find((c) => c.$id === sel.value)));
    palette.append(h('div', { class: 'sf-row fb-concepts' }, h('label', { for: 'fb-concept' }, t('fbConcepts')), sel, b));
  }

  drawList();
  const builder = h('div', { class: 'fb' },
    h('div', { class: 'fb-edit' }, palette, h('h2', {}, t('fbFields')),
      h('p', { id: 'fb-dnd-help', class: 'meta' }, t('fbDndHelp')), list),
    h('div', { class: 'fb-side' }, h('h2', {}, t('fbPreview')), preview), live);
  const advanced = h('div', {}, h('label', { for: 'fb-json' }, t('fbJsonLabel')), json, jsonOut);
  return { el: tabs('fb', [[t('fbTabBuilder'), builder], [t('fbTabJson'), advanced]]), doc };
}

// camel makes a field name from a concept's name: codice-fiscale → codiceFiscale.
function camel(s) {
  return s.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase()).replace(/[^a-zA-Z0-9_]/g, '') || 'campo';
}

// defaultValue proposes the value a condition tests: true for a checkbox, the first choice of a select.
function defaultValue(f) {
  if (!f) return '';
  if (f.schema.type === 'boolean') return 'true';
  if (Array.isArray(f.schema.enum)) return String(f.schema.enum[0] ?? '');
  return '';
}
