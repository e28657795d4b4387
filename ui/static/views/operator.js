// operator.js: the inbox of the ente's open tasks (the server sorts them by
// legal deadline), claim and completion with an outcome, and the ente's pratiche.
import { h, clear, fmtDateTime, fmtDate } from '../dom.js';
import { get, post } from '../api.js';
import { t, lang, actionLabel, byLang, langOf } from '../i18n.js';
import { serviceNames, serviceName, statusBadge, table, notice, busy, empty, toast } from './common.js';

/** inboxView lists the open tasks of the operator's ente (and office). */
export async function inboxView(_p, ctx) {
  const tasks = await get('/api/tasks');
  const status = h('div', { 'aria-live': 'polite' });
  const reload = () => ctx.refresh();
  const list = h('ul', { class: 'cards inbox', 'data-testid': 'inbox' }, tasks.map((task) => taskCard(task, ctx, status, reload)));
  return h('section', {}, h('h1', {}, t('inboxTitle')), status, tasks.length ? list : empty(t('inboxEmpty')));
}

function taskCard(task, ctx, status, reload) {
  const me = ctx.me;
  const title = byLang(task.titleIt, task.titleEn);
  const claimedByOther = task.state === 'claimed' && task.claimedBy !== me.subject;
  const claim = h('button', { type: 'button', class: 'btn btn-outline-primary', 'data-testid': 'claim' }, t('claim'));
  claim.addEventListener('click', () => busy(claim, async () => {
    try { await post('/api/tasks/' + encodeURIComponent(task.id) + '/claim'); reload(); } catch (err) { clear(status, notice('error', err.message)); }
  }));
  const rid = 'reason-' + task.id, oid = 'outcome-' + task.id;
  const outcome = h('select', { id: oid, name: 'outcome' }, (task.outcomes || []).map((o) => h('option', { value: o }, actionLabel(o))));
  const reason = h('textarea', { id: rid, name: 'reason', rows: 2, 'aria-describedby': rid + '-help' });
  const errBox = h('div', { 'aria-live': 'polite' });
  const done = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'complete' }, t('complete'));
  const form = h('form', { class: 'complete', onsubmit: async (e) => {
    e.preventDefault();
    await busy(done, async () => {
      try {
        const body = { action: outcome.value };
        if (reason.value.trim()) body.reason = reason.value.trim();
        await post('/api/tasks/' + encodeURIComponent(task.id) + '/complete', body);
        toast('ok', t('done'), actionLabel(body.action));
        reload();
      } catch (err) {
        const f = (err.fields || []).map((x) => x.field + ': ' + x.message).join('; ');
        clear(errBox, notice('error', f || err.message));
      }
    });
  } },
  h('div', { class: 'field' }, h('label', { for: oid }, t('outcome')), outcome),
  h('div', { class: 'field' }, h('label', { for: rid }, t('reason')), h('p', { id: rid + '-help', class: 'help' }, t('reasonHelp')), reason),
  errBox, h('div', { class: 'actions' }, task.state === 'open' ? claim : null, done));
  return h('li', { class: 'card task', 'data-task': task.id },
    h('h2', { lang: langOf(task.titleIt, task.titleEn) }, title),
    h('dl', { class: 'facts' },
      h('dt', {}, t('colPratica')), h('dd', {}, ctx.link('/pratiche/' + encodeURIComponent(task.praticaId), t('openDetail'))),
      h('dt', {}, t('colDeadline')), h('dd', {}, task.deadline ? fmtDate(task.deadline, lang()) : '—'),
      h('dt', {}, t('colState')), h('dd', {}, t('task_' + task.state), task.claimedBy ? ' · ' + t('claimedBy') + ' ' + task.claimedBy : ''),
      h('dt', {}, t('colCreated')), h('dd', {}, fmtDateTime(task.createdAt, lang()))),
    claimedByOther ? null : form);
}

/** entePraticheView lists the pratiche of the staff member's ente. */
export async function entePraticheView(_p, ctx) {
  const [list, names] = await Promise.all([get('/api/pratiche'), serviceNames()]);
  const rows = list.map((p) => [
    ctx.link('/pratiche/' + encodeURIComponent(p.id), serviceName(names, p.service)),
    statusBadge(p.status), p.owner, p.deadline ? fmtDate(p.deadline, lang()) : '—', fmtDateTime(p.updatedAt, lang()),
  ]);
  return h('section', {}, h('h1', {}, t('praticheTitle')),
    rows.length ? table(null, [t('colService'), t('colStatus'), t('colOwner'), t('colDeadline'), t('colUpdated')], rows) : empty());
}
