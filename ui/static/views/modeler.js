// modeler.js: the designers' modeller: templates and forms, a JSON editor that
// shows every problem with its JSON pointer, validation, publication, versions
// and the differences between two versions.
import { h, clear, fmtDateTime } from '../dom.js';
import { api, get, post, ApiError } from '../api.js';
import { t, tx, lang, has } from '../i18n.js';
import { table, notice, busy, empty } from './common.js';

/** modelerView lists templates and forms, each id with its versions. */
export async function modelerView(_p, ctx) {
  const [templates, forms] = await Promise.all([get('/api/modeler/templates'), get('/api/modeler/forms')]);
  const tRows = templates.map((x) => [
    ctx.link('/modellatore/modelli/' + encodeURIComponent(x.id), tx(x.title) || x.id), h('code', { class: 'tech-id' }, x.id), String(x.version), docStatus(x.status),
    (x.problems || []).length ? h('span', { class: 'badge bg-danger' }, String(x.problems.length)) : h('span', { class: 'badge bg-success' }, '0'),
    x.hash ? h('code', { title: x.hash }, x.hash.slice(0, 10)) : '—',
  ]);
  const fRows = forms.map((x) => [
    ctx.link('/modellatore/moduli/' + encodeURIComponent(x.id), h('code', { class: 'tech-id' }, x.id)), String(x.version), docStatus(x.status),
    x.hash ? h('code', { title: x.hash }, x.hash.slice(0, 10)) : '—', fmtDateTime(x.updatedAt, lang()),
  ]);
  const newId = h('input', { id: 'new-template', pattern: '[a-z0-9][a-z0-9.-]*', placeholder: t('newTemplateHint') });
  return h('section', {}, h('h1', {}, t('modelerTitle')),
    h('h2', {}, t('templates')),
    table(null, [t('colTitle'), t('colId'), t('version'), t('status'), t('problems'), t('colHash')], tRows),
    h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); if (newId.value) ctx.navigate('/modellatore/modelli/' + encodeURIComponent(newId.value)); } },
      h('label', { for: 'new-template' }, t('newTemplate')), newId, h('button', { class: 'btn btn-outline-primary', type: 'submit' }, t('edit'))),
    h('h2', {}, t('forms')),
    table(null, [t('colId'), t('version'), t('status'), t('colHash'), t('colUpdated')], fRows));
}

// docStatus names the state of a template or form version.
function docStatus(s) {
  return has('doc_' + s) ? t('doc_' + s) : s;
}

// problemList shows {field, message} problems with their JSON pointers.
function problemList(problems) {
  if (!problems || !problems.length) return notice('ok', t('valid'));
  return h('div', { class: 'alert alert-danger', role: 'alert' }, h('strong', {}, t('problems') + ' (' + problems.length + ')'),
    h('ul', { class: 'problems', 'data-testid': 'problems' }, problems.map((p) => h('li', {}, h('code', {}, p.field || '/'), ' ', p.message))));
}

// editor builds the JSON textarea with its buttons; kind is "templates" or "forms".
function editor(kind, id, doc, versions, reload) {
  const area = h('textarea', { id: 'doc', class: 'code', rows: 24, spellcheck: 'false', 'aria-describedby': 'doc-out' });
  area.value = doc ? JSON.stringify(doc, null, 2) : '';
  const out = h('div', { id: 'doc-out', 'aria-live': 'polite' });
  const parse = () => {
    try { return JSON.parse(area.value); } catch (err) {
      clear(out, problemList([{ field: jsonErrorAt(area.value, err), message: t('invalidJSON') + ': ' + err.message }]));
      return null;
    }
  };
  const base = '/api/modeler/' + kind + '/' + encodeURIComponent(id);
  const save = h('button', { type: 'button', class: 'btn btn-outline-primary' }, t('saveDraft'));
  save.addEventListener('click', () => busy(save, async () => {
    const d = parse();
    if (!d) return;
    try {
      const rec = await api('PUT', base, JSON.stringify(d));
      clear(out, notice('ok', t('saved') + ' · ' + t('version') + ' ' + rec.version), problemList(rec.problems));
      if (!versions.some((v) => v.version === rec.version)) setTimeout(reload, 1500);
    } catch (err) { clear(out, err.fields?.length ? problemList(err.fields) : notice('error', err.message)); }
  }));
  const validate = h('button', { type: 'button', class: 'btn btn-outline-primary' }, t('validate'));
  validate.addEventListener('click', () => busy(validate, async () => {
    if (!parse()) return;
    const latest = versions[0];
    if (kind !== 'templates' || !latest) { clear(out, notice('ok', t('valid'))); return; }
    try { clear(out, problemList(await post(base + '/versions/' + latest.version + '/validate'))); } catch (err) {
      clear(out, err.fields?.length ? problemList(err.fields) : notice('error', err.message));
    }
  }));
  const publish = h('button', { type: 'button', class: 'btn btn-primary' }, t('publish'));
  publish.addEventListener('click', () => busy(publish, async () => {
    try {
      const rec = await post(base + '/publish');
      clear(out, notice('ok', t('published') + ' · ' + t('version') + ' ' + rec.version + (rec.hash ? ' · ' + rec.hash.slice(0, 12) : '')));
      setTimeout(reload, 800);
    } catch (err) { clear(out, err.fields?.length ? problemList(err.fields) : notice('error', err.message)); }
  }));
  return h('section', {}, h('label', { for: 'doc' }, h('h2', {}, t('document'))), area,
    h('div', { class: 'actions' }, save, validate, publish), out);
}

// jsonErrorAt turns a JSON.parse position into "line:column".
function jsonErrorAt(text, err) {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return 'line ' + line + ':' + (before.length - before.lastIndexOf('\n'));
}

function versionTable(versions) {
  return table(null, [t('version'), t('status'), t('colHash'), t('colUpdated'), t('problems')], versions.map((v) => [
    String(v.version), docStatus(v.status), v.hash ? h('code', { title: v.hash }, v.hash.slice(0, 12)) : '—', fmtDateTime(v.updatedAt, lang()),
    String((v.problems || []).length)]));
}

/** templateView edits one template and compares its versions. */
export async function templateView([id], ctx) {
  let versions = [];
  try { versions = await get('/api/modeler/templates/' + encodeURIComponent(id) + '/versions'); } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
  }
  const latest = versions[0];
  const doc = latest ? (await get('/api/modeler/templates/' + encodeURIComponent(id) + '/versions/' + latest.version)).document
    : { id, title: { it: id, en: id }, start: 'richiesta', steps: [] };
  const reload = () => ctx.refresh();
  return h('section', {}, h('h1', {}, t('templates') + ': ' + id),
    ctx.link('/modellatore', '← ' + t('modelerTitle')),
    latest ? problemList(latest.problems) : null,
    editor('templates', id, doc, versions, reload),
    h('h2', {}, t('versions')), versions.length ? versionTable(versions) : empty(),
    versions.length > 1 ? diffPanel(id, versions) : null);
}

function diffPanel(id, versions) {
  const opts = () => versions.map((v) => h('option', { value: String(v.version) }, String(v.version)));
  const from = h('select', { id: 'diff-from' }, opts()), to = h('select', { id: 'diff-to' }, opts());
  from.value = String(versions[1].version);
  to.value = String(versions[0].version);
  const out = h('div', { 'aria-live': 'polite' });
  const show = h('button', { type: 'submit', class: 'btn btn-outline-primary' }, t('showDiff'));
  return h('section', {}, h('h2', {}, t('diff')),
    h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); busy(show, async () => {
      try { clear(out, diffView(await get('/api/modeler/templates/' + encodeURIComponent(id) + '/diff?from=' + from.value + '&to=' + to.value))); }
      catch (err) { clear(out, notice('error', err.message)); }
    }); } },
    h('label', { for: 'diff-from' }, t('from')), from, h('label', { for: 'diff-to' }, t('to')), to, show), out);
}

function diffView(d) {
  const parts = ['fieldsAdded', 'fieldsRemoved', 'fieldsRequired', 'stepsAdded', 'stepsRemoved', 'stepsChanged']
    .filter((k) => (d[k] || []).length)
    .map((k) => h('div', {}, h('h3', {}, t(k)), h('ul', {}, d[k].map((x) => h('li', {}, h('code', {}, typeof x === 'string' ? x : JSON.stringify(x)))))));
  return h('div', { class: 'diff' }, h('p', {}, h('code', {}, d.from), ' → ', h('code', {}, d.to), ' ',
    d.breaking ? h('span', { class: 'badge bg-danger' }, t('breaking')) : null),
  (d.reasons || []).length ? h('ul', {}, d.reasons.map((r) => h('li', {}, typeof r === 'string' ? r : tx(r) || JSON.stringify(r)))) : null,
  parts.length ? parts : empty(t('noDiff')));
}

/** formView edits one form (schema and UI schema). */
export async function formView([id], ctx) {
  const versions = await get('/api/modeler/forms?id=' + encodeURIComponent(id));
  versions.sort((a, b) => b.version - a.version);
  const latest = versions[0];
  const doc = latest ? await get('/api/modeler/forms/' + encodeURIComponent(id) + '/versions/' + latest.version)
    : { id, title: { it: id, en: id }, schema: { type: 'object', properties: {} } };
  const reload = () => ctx.refresh();
  return h('section', {}, h('h1', {}, t('forms') + ': ' + id),
    ctx.link('/modellatore', '← ' + t('modelerTitle')),
    editor('forms', id, doc, versions, reload),
    h('h2', {}, t('versions')), versions.length ? versionTable(versions) : empty());
}
