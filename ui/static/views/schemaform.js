// schemaform.js: an editor generated from a JSON Schema, for the modeller's
// step properties (the schemas of GET /api/modeler/step-types) and the ente
// admin's overlay values. It knows the hints the server's schemas carry:
// "x-label" ({it, en, sl}), "x-kind" ("text": a {it, en, sl} text, "longtext",
// "step": a step of the template, "cents": euro cents typed in euros) and
// "x-options" ([{value, label}] for a choice whose labels are not the values).
import { h } from '../dom.js';
import { t, tx, txLang, lang } from '../i18n.js';

let seq = 0;

/** schemaForm returns {el, value} for schema with the initial value; opts.steps
 * lists [id, label] of the template's steps for "step" fields, opts.labels
 * names properties that have no x-label, opts.legend heads the fieldset. */
export function schemaForm(schema, initial, opts = {}) {
  const root = schema;
  const prefix = 'sf' + (++seq);
  const resolve = (s) => {
    let out = s || {}, guard = 0;
    while (out.$ref && guard++ < 8) {
      const hints = { ...out };
      delete hints.$ref;
      const target = out.$ref.replace(/^#\//, '').split('/').reduce((o, k) => (o ? o[k] : undefined), root) || {};
      out = { ...target, ...hints };
    }
    return out;
  };
  const labelOf = (s, name) => tx(s['x-label']) || tx(opts.labels?.[name]) || name;
  // A label the template has only in Italian is marked so (WCAG 3.1.2).
  const langOf = (s) => (s['x-label'] ? txLang(s['x-label']) : undefined);

  // editor returns {el, get} for one value of schema s.
  function editor(s, value, name, path, required) {
    s = resolve(s);
    const id = prefix + path.replace(/[^a-zA-Z0-9]/g, '_');
    const label = labelOf(s, name) + (required ? ' *' : '');
    const kind = s['x-kind'];
    if (kind === 'text' || kind === 'longtext') {
      const long = kind === 'longtext';
      const v = value || {};
      const parts = ['it', 'en', 'sl'].map((l) => {
        const pid = id + '_' + l;
        const input = long ? h('textarea', { id: pid, rows: 3, lang: l }) : h('input', { id: pid, type: 'text', lang: l });
        input.value = v[l] || '';
        return { l, input, row: h('div', { class: 'sf-row' }, h('label', { for: pid }, t('lang_' + l)), input) };
      });
      return {
        el: h('fieldset', { class: 'sf-text' }, h('legend', { lang: langOf(s) }, label), parts.map((p) => p.row)),
        get: () => {
          const out = {};
          for (const p of parts) if (p.input.value.trim()) out[p.l] = p.input.value;
          return Object.keys(out).length ? { it: '', en: '', ...out } : undefined;
        },
      };
    }
    if (s.type === 'object') {
      const req = new Set(s.required || []);
      const kids = Object.entries(s.properties || {}).map(([k, ks]) => [k, editor(ks, value?.[k], k, path + '/' + k, req.has(k))]);
      return {
        el: h('fieldset', { class: 'sf-group' }, h('legend', { lang: langOf(s) }, label), kids.map(([, e]) => e.el)),
        get: () => {
          const out = {};
          for (const [k, e] of kids) {
            const v = e.get();
            if (v !== undefined) out[k] = v;
          }
          return Object.keys(out).length || required ? out : undefined;
        },
      };
    }
    if (s.type === 'array') {
      const list = h('ol', { class: 'sf-list' });
      const items = [];
      const add = (v) => {
        const n = items.length;
        const e = editor(s.items || {}, v, labelOf(s, name) + ' ' + (n + 1), path + '/' + n, true);
        const li = h('li', {}, e.el);
        const rm = h('button', { type: 'button', class: 'btn btn-outline-secondary btn-sm' }, t('remove') + ' ' + (n + 1));
        const item = { e, li };
        rm.addEventListener('click', () => { items.splice(items.indexOf(item), 1); li.remove(); });
        li.append(rm);
        items.push(item);
        list.append(li);
      };
      for (const v of Array.isArray(value) ? value : []) add(v);
      const more = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm' }, t('addItem') + ': ' + labelOf(s, name));
      more.addEventListener('click', () => add(undefined));
      return {
        el: h('fieldset', { class: 'sf-group' }, h('legend', { lang: langOf(s) }, label), list, more),
        get: () => {
          const out = items.map((i) => i.e.get()).filter((v) => v !== undefined);
          return out.length || required ? out : undefined;
        },
      };
    }
    let input;
    if (kind === 'step' || s.enum || s['x-options']) {
      const options = kind === 'step' ? (opts.steps || []).map(([v, l]) => ({ value: v, label: l }))
        : s['x-options'] || s.enum.map((v) => ({ value: v, label: enumLabel(v) }));
      input = h('select', { id }, h('option', { value: '' }, t('choose')), options.map((o) => h('option', { value: String(o.value) }, tx(o.label) || String(o.value))));
      input.value = value === undefined ? '' : String(value);
      const typed = s.type === 'integer' ? Number : String;
      return row(input, () => (input.value === '' ? undefined : typed(input.value)));
    }
    if (s.type === 'boolean') {
      input = h('input', { id, type: 'checkbox', checked: value === true });
      return { el: h('div', { class: 'sf-row sf-check' }, input, h('label', { for: id, lang: langOf(s) }, label)), get: () => (input.checked ? true : undefined) };
    }
    if (kind === 'cents') {
      input = h('input', { id, type: 'number', step: '0.01', min: s.minimum !== undefined ? s.minimum / 100 : undefined,
        max: s.maximum !== undefined ? s.maximum / 100 : undefined, inputmode: 'decimal' });
      input.value = value === undefined || value === null ? '' : (Number(value) / 100).toFixed(2);
      return row(input, () => (input.value === '' ? undefined : Math.round(Number(input.value) * 100)), '€');
    }
    if (s.type === 'integer' || s.type === 'number') {
      input = h('input', { id, type: 'number', step: s.type === 'integer' ? '1' : 'any', min: s.minimum, max: s.maximum });
      input.value = value === undefined || value === null ? '' : String(value);
      return row(input, () => (input.value === '' ? undefined : Number(input.value)));
    }
    input = h('input', { id, type: 'text', spellcheck: 'false' });
    input.value = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    return row(input, () => (input.value === '' ? undefined : input.value));

    function row(inp, get, unit) {
      
      if (path) inp.dataset.path = path;
      return { el: h('div', { class: 'sf-row' }, h('label', { for: id, lang: langOf(s) }, label + (unit ? ' (' + unit + ')' : '')), inp), get };
    }
  }

  const top = editor(schema, initial, opts.legend || '', '', false);
  return { el: top.el, value: () => top.get() || {} };
}

// enumLabel names a fixed value of a step's configuration in the page's language.
function enumLabel(v) {
  const k = 'enum_' + v;
  const s = t(k);
  return s === k ? String(v) : s;
}

/** euros shows cents as an amount in the page's language. */
export function euros(cents) {
  return new Intl.NumberFormat({ it: 'it-IT', en: 'en-GB', sl: 'sl-SI' }[lang()], { style: 'currency', currency: 'EUR' }).format(cents / 100);
}
