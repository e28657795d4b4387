// modeler.js: the designers' modeller: the list of templates and forms; a
// form in the form builder; a template as a graph with its step properties,
// problems and dry run; versions, their differences and publication. The JSON
// stays available as an advanced tab of each editor.
import { h, clear, fmtDateTime } from '../dom.js';
import { api, get, post, ApiError } from '../api.js';
import { t, tx, txLang, lang, has } from '../i18n.js';
import { table, notice, busy, empty } from './common.js';
import { formBuilder } from './builder.js';
import { templateGraph } from './graph.js';
import { tabs } from './tabs.js';
import { confirmDialog } from './confirm.js';
import { diffPanel } from './versions.js';

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
  const create = (id, label, path) => {
    const input = h('input', { id, pattern: '[a-z0-9][a-z0-9.-]*', placeholder: t('newTemplateHint') });
    return h('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); if (input.value) ctx.navigate(path + encodeURIComponent(input.value)); } },
      h('label', { for: id }, label), input, h('button', { class: 'btn btn-outline-primary', type: 'submit' }, t('edit')));
  };
  return h('section', {}, h('h1', {}, t('modelerTitle')),
    h('h2', {}, t('templates')),
    table(null, [t('colTitle'), t('colId'), t('version'), t('status'), t('problems'), t('colHash')], tRows),
    create('new-template', t('newTemplate'), '/modellatore/modelli/'),
    h('h2', {}, t('forms')),
    table(null, [t('colId'), t('version'), t('status'), t('colHash'), t('colUpdated')], fRows),
    create('new-form', t('newForm'), '/modellatore/moduli/'));
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

const failed = (out, err) => clear(out, err.fields?.length ? problemList(err.fields) : notice('error', err.message));

// jsonErrorAt turns a JSON.parse position into "line:column".
function jsonErrorAt(text, err) {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  return 'line ' + before.split('\n').length + ':' + (before.length - before.lastIndexOf('\n'));
}

function versionTable(versions) {
  return table(null, [t('version'), t('status'), t('colHash'), t('colUpdated'), t('problems')], versions.map((v) => [
    String(v.version), docStatus(v.status), v.hash ? h('code', { title: v.hash }, v.hash.slice(0, 12)) : '—', fmtDateTime(v.updatedAt, lang()),
    String((v.problems || []).length)]), { 'data-testid': 'versions' });
}

// publishButton publishes after a confirmation naming what becomes immutable.
function publishButton(what, url, out, reload) {
  const b = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'publish' }, t('publish'));
  b.addEventListener('click', async () => {
    if (!(await confirmDialog(t('publishConfirmTitle'), t('publishConfirmText') + ' ' + what, t('publish')))) return;
    await busy(b, async () => {
      try {
        const rec = await post(url);
        clear(out, notice('ok', t('published') + ' · ' + t('version') + ' ' + rec.version + (rec.hash ? ' · ' + rec.hash.slice(0, 12) : '')));
        setTimeout(reload, 1200);
      } catch (err) { failed(out, err); }
    });
  });
  return b;
}

/** templateView edits one template as a graph (or its JSON), runs it dry and compares its versions. */
export async function templateView([id], ctx) {
  const base = '/api/modeler/templates/' + encodeURIComponent(id);
  let versions = [];
  try { versions = await get(base + '/versions'); } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
  }
  const latest = versions[0];
  const stepTypes = await get('/api/modeler/step-types');
  const doc = latest ? (await get(base + '/versions/' + latest.version)).document : {
    id, title: { it: id, en: id }, start: 'domanda', steps: [
      { id: 'domanda', type: 'form', title: { it: 'Domanda', en: 'Request', sl: 'Vloga' }, next: 'conclusa', form: { formId: '', version: 1 } },
      { id: 'conclusa', type: 'end', title: { it: 'Conclusa', en: 'Completed', sl: 'Zaključena' }, end: { outcome: 'completed', message: { it: 'Pratica conclusa', en: 'Request completed', sl: 'Vloga zaključena' } } }],
  };
  const out = h('div', { id: 'doc-out', 'aria-live': 'polite' });
  const area = h('textarea', { id: 'doc', class: 'code', rows: 24, spellcheck: 'false', 'aria-describedby': 'doc-out' });
  const toJSON = () => { area.value = JSON.stringify(doc, null, 2); };
  const graph = templateGraph(doc, stepTypes, toJSON);
  toJSON();
  area.addEventListener('input', () => {
    let d;
    try { d = JSON.parse(area.value); } catch { return; }
    if (!d || !Array.isArray(d.steps)) return;
    for (const k of Object.keys(doc)) delete doc[k];
    Object.assign(doc, d);
    graph.redraw();
  });
  const parse = () => {
    try { return JSON.parse(area.value); } catch (err) {
      clear(out, problemList([{ field: jsonErrorAt(area.value, err), message: t('invalidJSON') + ': ' + err.message }]));
      return null;
    }
  };
  if (latest) graph.setProblems(latest.problems);

  const save = h('button', { type: 'button', class: 'btn btn-outline-primary', 'data-testid': 'save' }, t('saveDraft'));
  save.addEventListener('click', () => busy(save, async () => {
    const d = parse();
    if (!d) return;
    try {
      const rec = await api('PUT', base, JSON.stringify(d));
      graph.setProblems(rec.problems);
      clear(out, notice('ok', t('saved') + ' · ' + t('version') + ' ' + rec.version), problemList(rec.problems));
    } catch (err) { failed(out, err); }
  }));
  const validate = h('button', { type: 'button', class: 'btn btn-outline-primary' }, t('validate'));
  validate.addEventListener('click', () => busy(validate, async () => {
    try {
      const vs = await get(base + '/versions');
      if (!vs.length) { clear(out, notice('error', t('saveFirst'))); return; }
      const ps = await post(base + '/versions/' + vs[0].version + '/validate');
      graph.setProblems(ps);
      clear(out, problemList(ps));
    } catch (err) { failed(out, err); }
  }));

  const published = versions.find((v) => v.status === 'published');
  return h('section', {}, h('h1', {}, t('templates') + ': ', h('span', { lang: txLang(doc.title) }, tx(doc.title) || id)),
    ctx.link('/modellatore', '← ' + t('modelerTitle')),
    h('p', { class: 'meta' }, t('colId'), ': ', h('code', { class: 'tech-id' }, id)),
    tabs('tpl', [[t('tabGraph'), graph.el], [t('tabJson'), h('div', {}, h('label', { for: 'doc' }, t('document')), area), toJSON]]),
    h('div', { class: 'actions' }, save, validate, publishButton(id, base + '/publish', out, () => ctx.refresh())), out,
    dryRunPanel(base, published, graph, doc),
    h('h2', {}, t('versions')), versions.length ? versionTable(versions) : empty(),
    versions.length > 1 ? diffPanel(id, versions) : null);
}

// dryRunPanel runs the latest published version with sample data and draws the path on the graph.
function dryRunPanel(base, published, graph, doc) {
  if (!published) return h('section', {}, h('h2', {}, t('dryRun')), empty(t('dryRunNeedsPublish')));
  const sample = h('textarea', { id: 'dry-data', class: 'code', rows: 6, spellcheck: 'false' });
  sample.value = '{}';
  // Each task's outcome and whether notices stay unpaid choose the branch the run takes.
  const choices = doc.steps.filter((st) => st.type === 'task' && (st.task?.outcomes || []).length).map((st) => {
    const sel = h('select', { id: 'dry-out-' + st.id }, st.task.outcomes.map((o) => h('option', { value: o.action, lang: txLang(o.label) }, tx(o.label) || o.action)));
    return [st.id, sel, h('div', { class: 'sf-row' }, h('label', { for: sel.id }, t('dryRunOutcomeOf') + ': ', h('span', { lang: txLang(st.title) }, tx(st.title) || st.id)), sel)];
  });
  const unpaid = h('input', { id: 'dry-unpaid', type: 'checkbox' });
  const res = h('div', { 'aria-live': 'polite', 'data-testid': 'dry-result' });
  const run = h('button', { type: 'button', class: 'btn btn-outline-primary', 'data-testid': 'dry-run' }, t('dryRunGo'));
  run.addEventListener('click', () => busy(run, async () => {
    let data;
    try { data = JSON.parse(sample.value || '{}'); } catch (err) { clear(res, notice('error', t('invalidJSON') + ': ' + err.message)); return; }
    try {
      const outcomes = Object.fromEntries(choices.map(([id, sel]) => [id, sel.value]));
      const r = await post(base + '/versions/0/dry-run', { data, outcomes, unpaid: unpaid.checked });
      const ids = [];
      for (const p of r.path || []) if (p.step && ids[ids.length - 1] !== p.step) ids.push(p.step);
      graph.showPath(ids);
      clear(res, h('p', {}, t('dryRunOutcome'), ': ', h('strong', {}, has('enum_' + r.outcome) ? t('enum_' + r.outcome) : r.outcome || '—')),
        h('ol', { class: 'dry-path' }, ids.map((s) => {
          const st = doc.steps.find((x) => x.id === s);
          return h('li', {}, st ? h('span', { lang: txLang(st.title) }, tx(st.title) || s) : null, ' ', h('code', { class: 'tech-id' }, s));
        })),
        (r.errors || []).length ? h('ul', { class: 'problems' }, r.errors.map((e) => h('li', {}, e))) : null);
    } catch (err) { failed(res, err); }
  }));
  return h('section', {}, h('h2', {}, t('dryRun')),
    h('p', { class: 'meta' }, t('dryRunHelp') + ' ' + t('version') + ' ' + published.version),
    h('label', { for: 'dry-data' }, t('dryRunData')), sample, choices.map(([, , row]) => row),
    doc.steps.some((st) => st.type === 'payment') ? h('div', { class: 'sf-row sf-check' }, unpaid, h('label', { for: 'dry-unpaid' }, t('dryRunUnpaid'))) : null,
    h('div', { class: 'actions' }, run), res);
}

/** formView edits one form in the form builder. */
export async function formView([id], ctx) {
  const versions = await get('/api/modeler/forms?id=' + encodeURIComponent(id));
  versions.sort((a, b) => b.version - a.version);
  const latest = versions[0];
  const [form, concepts] = await Promise.all([
    latest ? get('/api/modeler/forms/' + encodeURIComponent(id) + '/versions/' + latest.version)
      : Promise.resolve({ id, title: { it: id, en: id }, schema: { type: 'object', properties: {} } }),
    get('/api/catalog/concepts').catch(() => []),
  ]);
  const builder = formBuilder(form, concepts);
  const titles = ['it', 'en', 'sl'].map((l) => {
    const el = h('input', { id: 'form-title-' + l, type: 'text', lang: l, value: form.title?.[l] || '' });
    return [l, el, h('div', { class: 'sf-row' }, h('label', { for: el.id }, t('colTitle') + ' (' + t('lang_' + l) + ')'), el)];
  });
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'form-out' });
  const base = '/api/modeler/forms/' + encodeURIComponent(id);
  const save = h('button', { type: 'button', class: 'btn btn-outline-primary', 'data-testid': 'save' }, t('saveDraft'));
  save.addEventListener('click', () => busy(save, async () => {
    const d = builder.doc();
    const title = {};
    for (const [l, el] of titles) if (el.value.trim()) title[l] = el.value;
    const body = { id, title: { it: '', en: '', ...title }, schema: d.schema, ui: d.ui };
    if (d.rules?.length) body.rules = d.rules;
    if (d.dates?.length) body.dates = d.dates;
    try {
      const rec = await api('PUT', base, body);
      clear(out, notice('ok', t('saved') + ' · ' + t('version') + ' ' + rec.version));
    } catch (err) { failed(out, err); }
  }));
  return h('section', {}, h('h1', {}, t('forms') + ': ', h('code', { class: 'tech-id' }, id)),
    ctx.link('/modellatore', '← ' + t('modelerTitle')),
    h('fieldset', { class: 'sf-text' }, h('legend', {}, t('colTitle')), titles.map(([, , r]) => r)),
    builder.el,
    h('div', { class: 'actions' }, save, publishButton(id, base + '/publish', out, () => ctx.refresh())), out,
    h('h2', {}, t('versions')), versions.length ? versionTable(versions) : empty());
}
