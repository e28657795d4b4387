// inbox.js: the operator inbox as a table the server sorts, filters, searches
// and pages (GET /api/tasks), its state kept in the page's URL so every view
// has a link; and the task page: the submitted data read-only with its
// attachments, the claim, the outcome with its reason, the reassignment,
// each error next to the field it concerns.
import { h, clear, fmtDate } from '../dom.js';
import { get, getPage, post, ApiError } from '../api.js';
import { t, tx, lang, actionLabel, byLang, langOf } from '../i18n.js';
import { serviceNames, serviceName, serviceLang, notice, busy, empty, officeNames, enteOf } from './common.js';
import { attachmentsSection } from './files.js';
import { renderForm } from '../form.js';

const texts = {
  search: { it: 'Cerca per richiedente o numero di pratica', en: 'Search by applicant or pratica number', sl: 'Iskanje po vlagatelju ali številki zadeve' },
  service: { it: 'Servizio', en: 'Service', sl: 'Storitev' },
  office: { it: 'Ufficio', en: 'Office', sl: 'Urad' },
  state: { it: 'Stato', en: 'State', sl: 'Stanje' },
  applicant: { it: 'Richiedente', en: 'Applicant', sl: 'Vlagatelj' },
  deadline: { it: 'Termine di legge', en: 'Legal deadline', sl: 'Zakonski rok' },
  daysLeft: { it: 'Giorni rimasti', en: 'Days left', sl: 'Preostali dnevi' },
  task: { it: 'Attività', en: 'Task', sl: 'Naloga' },
  all: { it: 'Tutti', en: 'All', sl: 'Vsi' },
  live: { it: 'Aperte e in lavorazione', en: 'Open and in progress', sl: 'Odprte in v obdelavi' },
  overdue: { it: 'Solo oltre il termine', en: 'Overdue only', sl: 'Samo zapadle' },
  filter: { it: 'Applica', en: 'Apply', sl: 'Uporabi' },
  results: { it: 'attività', en: 'tasks', sl: 'nalog' },
  of: { it: 'di', en: 'of', sl: 'od' },
  prev: { it: 'Precedenti', en: 'Previous', sl: 'Prejšnje' },
  next: { it: 'Successive', en: 'Next', sl: 'Naslednje' },
  sortBy: { it: 'Ordina per', en: 'Sort by', sl: 'Razvrsti po' },
  data: { it: 'Dati presentati', en: 'Submitted data', sl: 'Predloženi podatki' },
  reassign: { it: 'Assegna a un altro ufficio', en: 'Assign to another office', sl: 'Dodeli drugemu uradu' },
  officeCode: { it: 'Ufficio di destinazione', en: 'Destination office', sl: 'Ciljni urad' },
  chooseOffice: { it: 'Scegli un ufficio', en: 'Choose an office', sl: 'Izberite urad' },
  back: { it: 'Torna alle attività', en: 'Back to the tasks', sl: 'Nazaj na naloge' },
  late: { it: 'oltre il termine', en: 'overdue', sl: 'zapadlo' },
};
const x = (k) => tx(texts[k]) || k;

const pageSize = 25;
const sorts = ['deadline', 'created', 'service', 'applicant', 'office', 'state'];

/** inboxView lists the ente's tasks as a table. */
export async function inboxView(_p, ctx) {
  const q = new URLSearchParams(location.search);
  const page = Math.max(0, Number(q.get('page') || 0));
  const api = new URLSearchParams();
  for (const k of ['service', 'state', 'q', 'sort', 'office']) if (q.get(k)) api.set(k, q.get(k));
  if (q.get('overdue') === 'true') api.set('overdue', 'true');
  api.set('limit', String(pageSize));
  api.set('offset', String(page * pageSize));
  const [{ items, total, capped }, names] = await Promise.all([getPage('/api/tasks?' + api), serviceNames()]);
  const go = (changes) => {
    const n = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) { if (v) n.set(k, v); else n.delete(k); }
    if (!('page' in changes)) n.delete('page');
    ctx.navigate('/attivita' + (n.toString() ? '?' + n : ''));
  };
  return h('section', {}, h('h1', { id: 'inbox-h' }, t('inboxTitle')),
    filters(q, names, ctx, go),
    h('p', { class: 'muted', role: 'status', 'data-testid': 'inbox-total' },
      total ? `${page * pageSize + 1}–${page * pageSize + items.length} ${x('of')} ${count(total, capped)} ${x('results')}` : ''),
    items.length ? inboxTable(items, names, q, ctx, go) : empty(t('inboxEmpty')),
    pager(page, total, capped, go));
}

function filters(q, names, ctx, go) {
  const ente = ctx.me?.ente || '';
  const svc = h('select', { id: 'f-service', name: 'service' }, h('option', { value: '' }, x('all')),
    [...names.keys()].filter((id) => !ente || id.startsWith(ente + '.')).sort()
      .map((id) => h('option', { value: id, selected: q.get('service') === id }, serviceName(names, id))));
  const st = h('select', { id: 'f-state', name: 'state' },
    [['', x('live')], ['open', t('task_open')], ['claimed', t('task_claimed')], ['done', t('task_done')], ['cancelled', t('task_cancelled')]]
      .map(([v, l]) => h('option', { value: v, selected: (q.get('state') || '') === v }, l)));
  const search = h('input', { id: 'f-q', name: 'q', type: 'search', value: q.get('q') || '', maxlength: 100 });
  const overdue = h('input', { id: 'f-overdue', name: 'overdue', type: 'checkbox', checked: q.get('overdue') === 'true' });
  const office = ctx.me?.role === 'operator' ? null : h('input', { id: 'f-office', name: 'office', value: q.get('office') || '' });
  return h('form', { class: 'filters', role: 'search', 'data-testid': 'inbox-filters', onsubmit: (e) => {
    e.preventDefault();
    go({ q: search.value.trim(), service: svc.value, state: st.value, overdue: overdue.checked ? 'true' : '', office: office ? office.value.trim() : q.get('office') });
  } },
  h('div', { class: 'field' }, h('label', { for: 'f-q' }, x('search')), search),
  h('div', { class: 'field' }, h('label', { for: 'f-service' }, x('service')), svc),
  office ? h('div', { class: 'field' }, h('label', { for: 'f-office' }, x('office')), office) : null,
  h('div', { class: 'field' }, h('label', { for: 'f-state' }, x('state')), st),
  h('div', { class: 'field check' }, overdue, h('label', { for: 'f-overdue' }, x('overdue'))),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, x('filter'))));
}

function inboxTable(items, names, q, ctx, go) {
  const cur = q.get('sort') || 'deadline';
  const col = (key, label) => {
    if (!sorts.includes(key)) return h('th', { scope: 'col' }, label);
    const on = cur.replace(/^-/, '') === key;
    const desc = on && cur.startsWith('-');
    return h('th', { scope: 'col', 'aria-sort': on ? (desc ? 'descending' : 'ascending') : 'none' },
      h('button', { type: 'button', class: 'link sort', 'data-sort': key, title: x('sortBy') + ' ' + label,
        onclick: () => go({ sort: on && !desc ? '-' + key : key }) }, label, on ? (desc ? ' ▼' : ' ▲') : ''));
  };
  const rows = items.map((task) => h('tr', { 'data-task': task.id, 'data-pratica': task.praticaId },
    h('th', { scope: 'row', lang: langOf(task.titleIt, task.titleEn) }, ctx.link('/attivita/' + encodeURIComponent(task.id), byLang(task.titleIt, task.titleEn) || task.step),
      h('br'), h('small', { class: 'muted' }, task.praticaId.slice(0, 8))),
    h('td', { lang: serviceLang(names, task.service) }, serviceName(names, task.service)),
    h('td', { 'data-col': 'applicant' }, task.applicant || '—'),
    h('td', {}, task.office || '—'),
    h('td', {}, t('task_' + task.state), task.claimedBy ? ' · ' + task.claimedBy : ''),
    h('td', {}, task.deadline ? fmtDate(task.deadline, lang()) : '—'),
    h('td', { class: 'num' }, days(task.daysLeft))));
  return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'inbox', 'aria-labelledby': 'inbox-h' },
    h('thead', {}, h('tr', {}, col('created', x('task')), col('service', x('service')), col('applicant', x('applicant')),
      col('office', x('office')), col('state', x('state')), col('deadline', x('deadline')), h('th', { scope: 'col' }, x('daysLeft')))),
    h('tbody', {}, rows)));
}

function days(n) {
  if (n === undefined || n === null) return '—';
  return h('span', { class: 'days ' + (n < 0 ? 'late' : n <= 3 ? 'soon' : '') }, n < 0 ? `${-n} ${x('late')}` : String(n));
}

/**
 * count writes a total in the page's language; a capped one (the server
 * stopped counting there, more match) as "1.000+" / "1,000+".
 */
function count(n, capped) {
  return n.toLocaleString(lang()) + (capped ? '+' : '');
}

function pager(page, total, capped, go) {
  if (total <= pageSize && !capped) return null;
  const last = Math.ceil(total / pageSize) - 1;
  return h('nav', { class: 'pager', 'aria-label': 'pagine' },
    h('button', { type: 'button', class: 'btn secondary', disabled: page === 0, onclick: () => go({ page: String(page - 1) }) }, x('prev')),
    ' ', h('span', {}, `${page + 1} / ${count(last + 1, capped)}`), ' ',
    h('button', { type: 'button', class: 'btn secondary', disabled: page >= last && !capped, onclick: () => go({ page: String(page + 1) }) }, x('next')));
}

/** taskView is one task: the pratica's data read-only, its files, and the actions. */
export async function taskView([id], ctx) {
  const task = await get('/api/tasks/' + encodeURIComponent(id));
  const [p, names] = await Promise.all([get('/api/pratiche/' + encodeURIComponent(task.praticaId)), serviceNames()]);
  let form = null;
  try { form = (await get('/api/portal/services/' + encodeURIComponent(p.service) + '/start')).form; } catch { /* labels are a nicety */ }
  const known = new Map((p.extra?.attachments || []).map((a) => [a.id, a]));
  const status = h('div', { 'aria-live': 'polite' });
  return h('article', { class: 'task-page', 'data-task': task.id },
    h('p', {}, ctx.link('/attivita', '← ' + x('back'))),
    h('h1', { lang: langOf(task.titleIt, task.titleEn) }, byLang(task.titleIt, task.titleEn) || task.step),
    h('dl', { class: 'facts' },
      h('dt', {}, x('service')), h('dd', { lang: serviceLang(names, task.service || p.service) }, serviceName(names, task.service || p.service)),
      h('dt', {}, x('applicant')), h('dd', {}, task.applicant || p.owner),
      h('dt', {}, t('colPratica')), h('dd', {}, ctx.link('/pratiche/' + encodeURIComponent(p.id), p.id)),
      h('dt', {}, x('office')), h('dd', {}, task.office || '—'),
      h('dt', {}, x('state')), h('dd', {}, t('task_' + task.state), task.claimedBy ? ' · ' + t('claimedBy') + ' ' + task.claimedBy : ''),
      h('dt', {}, x('deadline')), h('dd', {}, task.deadline ? fmtDate(task.deadline, lang()) : '—', task.daysLeft !== undefined ? [' (', days(task.daysLeft), ')'] : null)),
    status,
    ['open', 'claimed'].includes(task.state) ? actions(task, p, ctx, status) : null,
    h('section', { 'aria-labelledby': 'data-h' }, h('h2', { id: 'data-h' }, x('data')), renderForm(form || {}, p.data || {}, { readOnly: true, known }).el),
    attachmentsSection(p));
}

function fieldError(id) {
  return h('p', { id, class: 'field-error', hidden: true });
}

function showAt(map, err, general) {
  for (const e of Object.values(map)) { e.hidden = true; e.textContent = ''; }
  let placed = false;
  for (const f of err.fields || []) {
    const at = map[f.field];
    if (at) { at.textContent = f.message; at.hidden = false; placed = true; }
  }
  if (!placed) clear(general, notice('error', err.message));
}

function actions(task, p, ctx, status) {
  const me = ctx.me;
  const claimedByOther = task.state === 'claimed' && task.claimedBy !== me.subject;
  const box = h('section', { class: 'panel', 'aria-labelledby': 'act-h' }, h('h2', { id: 'act-h' }, t('actionsNow')));
  if (task.state === 'open') {
    const claim = h('button', { type: 'button', class: 'btn secondary', 'data-testid': 'claim' }, t('claim'));
    claim.addEventListener('click', () => busy(claim, async () => {
      try { await post('/api/tasks/' + encodeURIComponent(task.id) + '/claim'); ctx.refresh(); } catch (err) { clear(status, notice('error', err.message)); }
    }));
    box.append(h('div', { class: 'actions' }, claim));
  }
  if (claimedByOther) return box;
  const outcome = h('select', { id: 'outcome', name: 'outcome' }, (task.outcomes || []).map((o) => h('option', { value: o }, actionLabel(o))));
  const reason = h('textarea', { id: 'reason', name: 'reason', rows: 3, 'aria-describedby': 'reason-help reason-err' });
  const errs = { reason: fieldError('reason-err'), action: fieldError('outcome-err') };
  const general = h('div', { 'aria-live': 'polite' });
  const done = h('button', { type: 'submit', class: 'btn', 'data-testid': 'complete' }, t('complete'));
  box.append(h('form', { class: 'complete', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    await busy(done, async () => {
      try {
        const body = { action: outcome.value };
        if (reason.value.trim()) body.reason = reason.value.trim();
        await post('/api/tasks/' + encodeURIComponent(task.id) + '/complete', body);
        clear(status, notice('ok', t('done')));
        ctx.navigate('/attivita');
      } catch (err) {
        if (err instanceof ApiError) showAt(errs, err, general); else clear(general, notice('error', err.message));
        reason.setAttribute('aria-invalid', errs.reason.hidden ? 'false' : 'true');
      }
    });
  } },
  h('div', { class: 'field' }, h('label', { for: 'outcome' }, t('outcome')), outcome, errs.action),
  h('div', { class: 'field' }, h('label', { for: 'reason' }, t('reason')), h('p', { id: 'reason-help', class: 'help' }, t('reasonHelp')), reason, errs.reason),
  general, h('div', { class: 'actions' }, done)));
  if ((p.actions || []).some((a) => a.endsWith(':reassign'))) box.append(reassignForm(task, p, ctx, status));
  return box;
}

function reassignForm(task, p, ctx, status) {
  // The ente's offices by name (the catalog's organisation), never by code;
  // the task's own office is not a destination.
  const office = h('select', { id: 'reassign-office', name: 'office', 'aria-describedby': 'reassign-office-err' },
    h('option', { value: '' }, x('chooseOffice')));
  officeNames(enteOf(p.service)).then((names) => {
    const opts = [...names].filter(([code]) => code && code !== task.office).sort((a, b) => a[1].localeCompare(b[1], lang()));
    office.append(...opts.map(([code, name]) => h('option', { value: code }, name)));
  });
  const why = h('input', { id: 'reassign-reason', name: 'reason', 'aria-describedby': 'reassign-reason-err' });
  const errs = { 'data.office': fieldError('reassign-office-err'), reason: fieldError('reassign-reason-err') };
  const general = h('div', { 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'btn secondary' }, x('reassign'));
  return h('form', { class: 'reassign', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    await busy(send, async () => {
      try {
        await post('/api/pratiche/' + encodeURIComponent(p.id) + '/actions', { action: 'reassign', data: { office: office.value.trim() }, reason: why.value.trim() || undefined });
        clear(status, notice('ok', t('done')));
        ctx.navigate('/attivita');
      } catch (err) {
        if (err instanceof ApiError) showAt(errs, err, general); else clear(general, notice('error', err.message));
        office.setAttribute('aria-invalid', errs['data.office'].hidden ? 'false' : 'true');
      }
    });
  } },
  h('h3', {}, x('reassign')),
  h('div', { class: 'field' }, h('label', { for: 'reassign-office' }, x('officeCode')), office, errs['data.office']),
  h('div', { class: 'field' }, h('label', { for: 'reassign-reason' }, t('reason')), why, errs.reason),
  general, h('div', { class: 'actions' }, send));
}

