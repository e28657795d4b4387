// versions.js: the differences between two versions of a template: fields
// and steps added, removed or changed, the breaking ones with their reasons,
// and every title and text that changed, old and new side by side.
import { h, clear } from '../dom.js';
import { get } from '../api.js';
import { t, tx, txLang } from '../i18n.js';
import { notice, busy, empty } from './common.js';

/** diffPanel compares two versions of template id, chosen among versions (newest first). */
export function diffPanel(id, versions) {
  const opts = () => versions.map((v) => h('option', { value: String(v.version) }, String(v.version)));
  const from = h('select', { id: 'diff-from' }, opts()), to = h('select', { id: 'diff-to' }, opts());
  from.value = String(versions[1].version);
  to.value = String(versions[0].version);
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'diff' });
  const show = h('button', { type: 'submit', class: 'btn btn-outline-primary' }, t('showDiff'));
  return h('section', {}, h('h2', {}, t('diff')),
    h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); busy(show, async () => {
      try { clear(out, diffView(await get('/api/modeler/templates/' + encodeURIComponent(id) + '/diff?from=' + from.value + '&to=' + to.value))); }
      catch (err) { clear(out, notice('error', err.message)); }
    }); } },
    h('label', { for: 'diff-from' }, t('from')), from, h('label', { for: 'diff-to' }, t('to')), to, show), out);
}

const text = (x) => (x ? h('span', { lang: txLang(x) }, tx(x)) : h('em', {}, t('diffNone')));

/** diffView shows a modeler.Diff. */
export function diffView(d) {
  const parts = ['fieldsAdded', 'fieldsRemoved', 'fieldsRequired', 'stepsAdded', 'stepsRemoved', 'stepsChanged']
    .filter((k) => (d[k] || []).length)
    .map((k) => h('div', {}, h('h3', {}, t(k)), h('ul', {}, d[k].map((x) => h('li', {}, h('code', {}, typeof x === 'string' ? x : JSON.stringify(x)))))));
  const texts = (d.texts || []).length ? h('div', { 'data-testid': 'diff-texts' }, h('h3', {}, t('textsChanged')),
    h('div', { class: 'table-responsive' }, h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('diffWhere')), h('th', { scope: 'col' }, t('from')), h('th', { scope: 'col' }, t('to')))),
      h('tbody', {}, d.texts.map((c) => h('tr', {}, h('td', {}, h('code', {}, c.path)), h('td', {}, text(c.from)), h('td', {}, text(c.to)))))))) : null;
  return h('div', { class: 'diff' }, h('p', {}, h('code', {}, d.from), ' → ', h('code', {}, d.to), ' ',
    d.breaking ? h('span', { class: 'badge bg-danger' }, t('breaking')) : null),
  (d.reasons || []).length ? h('ul', {}, d.reasons.map((r) => h('li', {}, typeof r === 'string' ? r : tx(r) || JSON.stringify(r)))) : null,
  parts, texts, parts.length || texts ? null : empty(t('noDiff')));
}
