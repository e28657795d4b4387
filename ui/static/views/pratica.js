// pratica.js: one pratica as its owner and the ente's staff see it: status,
// timeline, holder, legal deadline, payments, messages and the actions allowed now.
import { h, clear, fmtDateTime, fmtDate, fmtEuro, groupNotice } from '../dom.js';
import { get, post, ApiError } from '../api.js';
import { t, tx, lang, actionLabel, byLang, has } from '../i18n.js';
import { renderForm } from '../form.js';
import { serviceNames, serviceName, statusBadge, notice, busy, empty, toast, badge, serviceLang, officeNames, officeName, withOfficeNames, enteOf } from './common.js';
import { timelineText, dataList } from './pratica_text.js';
import { attachmentsSection } from './files.js';

let checkout = null;

// payURL is where a citizen pays a notice: the pagoPA simulator when this
// server runs one (sportello dev), pagoPA's checkout otherwise.
async function payURL(pos, opt) {
  if (checkout === null) {
    try {
      const r = await fetch('/sim/pagopa/checkout', { method: 'HEAD', credentials: 'same-origin' });
      checkout = r.ok ? '/sim/pagopa/checkout' : 'https://checkout.pagopa.it/';
    } catch { checkout = 'https://checkout.pagopa.it/'; }
  }
  if (checkout.startsWith('https://')) return checkout;
  return checkout + '?' + new URLSearchParams({ org: pos.creditor.fiscalCode, notice: opt.noticeNumber, lang: lang() });
}

/** praticaView shows one pratica. */
export async function praticaView([id], ctx) {
  const [p, names] = await Promise.all([get('/api/pratiche/' + encodeURIComponent(id)), serviceNames()]);
  const ente = enteOf(p.service);
  ctx.setEnte(ente);
  const offices = await officeNames(ente);
  const me = ctx.me;
  const reload = () => ctx.refresh();
  const deadline = p.deadline ? h('dd', {}, fmtDate(p.deadline, lang()),
    p.daysLeft !== undefined && p.daysLeft !== null
      ? h('span', { class: 'days ' + (p.daysLeft < 0 ? 'late' : p.daysLeft <= 3 ? 'soon' : '') },
        ' (', Math.abs(p.daysLeft), ' ', p.daysLeft < 0 ? t('daysLate') : t('daysLeft'), ')') : null,
    p.suspended ? h('p', { class: 'badge bg-warning' }, t('suspended')) : null) : h('dd', {}, '—');
  const holder = p.holder === 'citizen' ? (me.role === 'citizen' ? t('holderCitizen') : p.owner)
    : (p.holder && officeName(offices, p.holder)) || [...new Set((p.tasks || []).map((x) => (x.office ? officeName(offices, x.office) : t('holderOffice'))))].join(', ') || t('holderNone');
  const summary = h('dl', { class: 'facts' },
    h('dt', {}, t('status')), h('dd', { 'data-testid': 'status' }, statusBadge(p.status, p.statusLabel)),
    h('dt', {}, t('holder')), h('dd', { 'data-testid': 'holder' }, holder),
    h('dt', {}, t('deadline')), deadline,
    h('dt', {}, t('colCreated')), h('dd', {}, fmtDateTime(p.createdAt, lang())),
    me.role !== 'citizen' ? [h('dt', {}, t('colOwner')), h('dd', {}, p.owner)] : null);
  const timeline = h('ol', { class: 'timeline', 'data-testid': 'timeline' }, (p.timeline || []).map((e) =>
    h('li', { class: 'ev-' + e.kind }, h('time', { datetime: e.at }, fmtDateTime(e.at, lang())), ' ',
      h('span', {}, timelineText(e, offices)))));
  watch(p, ctx);
  return h('article', { class: 'pratica', 'data-pratica': p.id },
    h('h1', { lang: serviceLang(names, p.service) }, serviceName(names, p.service)),
    stepper(p),
    summary,
    actionsPanel(p, me, reload),
    h('section', {}, h('h2', {}, t('payments')), payments(p.extra?.payments || [])),
    attachmentsSection(p),
    h('section', {}, h('h2', {}, t('timeline')), timeline),
    h('section', {}, h('h2', {}, t('messages')), messages((p.extra?.messages || []).concat(p.extra?.emails || []))),
    h('details', {}, h('summary', {}, t('data')), await dataList(p)));
}

// watch refreshes the page while the pratica can still change, since the
// workflow records its steps a moment after each action: every 3 s it compares
// the last update and redraws, unless the person is typing in a form.
let watching = 0;

function watch(p, ctx) {
  const gen = ++watching;
  if (['completed', 'rejected', 'withdrawn', 'revoked'].includes(p.status)) return;
  const path = location.pathname;
  const seen = p.updatedAt + '|' + (p.timeline || []).length;
  const tick = async () => {
    if (gen !== watching || location.pathname !== path) return;
    try {
      const q = await get('/api/pratiche/' + encodeURIComponent(p.id));
      if (gen !== watching || location.pathname !== path) return;
      const changed = q.updatedAt + '|' + (q.timeline || []).length !== seen;
      if (changed && !document.querySelector('main form')) { ctx.refresh(); return; }
    } catch { /* try again at the next tick */ }
    setTimeout(tick, 3000);
  };
  setTimeout(tick, (p.timeline || []).length ? 3000 : 700);
}

// stepper shows where the pratica is on its way: sent, paid (when it has
// payments), processed, closed; the Bootstrap Italia stepper.
function stepper(p) {
  const hasPay = (p.extra?.payments || []).length > 0;
  const final = ['completed', 'rejected', 'withdrawn', 'revoked'].includes(p.status);
  const paid = (p.extra?.payments || []).some((pos) => (pos.options || []).some((o) => o.status === 'PO_PAID'));
  const steps = [['stepSent', true], hasPay ? ['stepPaid', paid] : null,
    ['stepWorked', final || !['submitted', 'payment_pending', 'draft'].includes(p.status)], ['stepClosed', final]].filter(Boolean);
  const current = steps.findIndex(([, done]) => !done);
  return h('nav', { class: 'steppers', 'data-testid': 'stepper', 'aria-label': t('stepperLabel') }, h('div', { class: 'steppers-header' }, h('ul', {},
    steps.map(([k, done], i) => h('li', { class: done ? 'confirmed' : i === current ? 'active' : '', 'aria-current': i === current ? 'step' : undefined },
      t(k), done ? h('span', { class: 'visually-hidden' }, ' ✓') : null)))));
}

function payments(list) {
  if (!list.length) return empty(t('noPayments'));
  const out = h('ul', { class: 'cards payments' });
  for (const pos of list) {
    for (const opt of pos.options || []) {
      // The server says what each option is now: paid, due, overdue, superseded
      // (the single option once an installment is paid, and back) or closed.
      const paid = opt.status === 'PO_PAID';
      const state = opt.state || (paid ? 'paid' : 'due');
      const payable = opt.payable ?? !paid;
      const kind = { paid: ['ok', 'paid'], due: ['warn', 'unpaid'], overdue: ['warn', 'overdue'] }[state] || ['info', state];
      const pay = h('a', { class: 'btn btn-primary', target: '_blank', rel: 'noopener', href: '#' }, t('pay'));
      if (payable) payURL(pos, opt).then((u) => pay.setAttribute('href', u));
      out.append(h('li', { class: 'card' },
        h('h3', {}, opt.description || pos.subject),
        h('dl', { class: 'facts' },
          h('dt', {}, t('noticeNumber')), h('dd', {}, h('code', { 'data-testid': 'notice-number' }, groupNotice(opt.noticeNumber))),
          h('dt', {}, t('amount')), h('dd', {}, fmtEuro(opt.amount, lang())),
          h('dt', {}, t('dueDate')), h('dd', {}, fmtDate(opt.dueDate, lang())),
          h('dt', {}, t('status')), h('dd', {}, badge(kind[0], t(kind[1]), { 'data-testid': 'option-state' }))),
        h('div', { class: 'actions' }, payable ? pay : null,
          h('a', { class: 'btn btn-outline-primary', href: '/api/payments/positions/' + encodeURIComponent(pos.id) + '/notice?lang=' + lang(), target: '_blank', rel: 'noopener' }, t('noticePdf')))));
    }
  }
  return out;
}

function messages(list) {
  if (!list.length) return empty(t('noMessages'));
  return h('ul', { class: 'messages' }, list.map((m) => h('li', {},
    h('strong', {}, m.subject || m.content?.subject || ''), ' ',
    h('span', { class: 'text-muted' }, fmtDateTime(m.sentAt || m.createdAt, lang()), m.recipient ? ' · ' + t('contact_email') + ' ' + m.recipient : '', m.status && has('msg_' + m.status) ? ' · ' + t('msg_' + m.status) : ''),
    m.markdown || m.content?.markdown ? h('p', {}, m.markdown || m.content.markdown) : null)));
}

// actionsPanel offers the actions the pratica allows now to the caller's role;
// the server's list ("role:action") is the only source of truth.
function actionsPanel(p, me, reload) {
  const mine = (p.actions || []).filter((a) => a.split(':')[0] === me.role).map((a) => a.split(':')[1]);
  if (!mine.length || (p.status && ['completed', 'rejected', 'withdrawn', 'revoked'].includes(p.status))) return null;
  const status = h('div', { 'aria-live': 'polite' });
  const box = h('section', { class: 'panel', 'aria-labelledby': 'act-h' }, h('h2', { id: 'act-h' }, t('actionsNow')));
  const buttons = h('div', { class: 'actions' });
  for (const a of mine) {
    if (a === 'integrate') {
      buttons.append(h('button', { type: 'button', class: 'btn btn-primary', onclick: (e) => integrate(e.target, p, box, status, reload) }, actionLabel(a)));
      continue;
    }
    const btn = h('button', { type: 'button', class: a === 'withdraw' || a === 'revoke' ? 'btn btn-danger' : 'btn btn-primary', 'data-action': a,
      onclick: async () => {
        if (a === 'withdraw' && !confirm(t('confirmWithdraw'))) return;
        await busy(btn, async () => {
          try { await post('/api/pratiche/' + encodeURIComponent(p.id) + '/actions', { action: a }); toast('ok', t('done'), actionLabel(a)); reload(); }
          catch (err) { clear(status, notice('error', err.message)); }
        });
      } }, actionLabel(a));
    buttons.append(btn);
  }
  box.append(buttons, status);
  return box;
}

async function integrate(btn, p, box, status, reload) {
  btn.disabled = true;
  try {
    const start = await get('/api/portal/services/' + encodeURIComponent(p.service) + '/start');
    if (!start.form) throw new Error(t('notOnline'));
    const form = renderForm(start.form, p.data || {}, { known: new Map((p.extra?.attachments || []).map((a) => [a.id, a])) });
    const send = h('button', { type: 'submit', class: 'btn btn-primary' }, t('act_integrate'));
    box.append(h('form', { novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      if (!form.validate()) return;
      await busy(send, async () => {
        try {
          await post('/api/pratiche/' + encodeURIComponent(p.id) + '/actions', { action: 'integrate', data: form.collect() });
          reload();
        } catch (err) {
          if (err instanceof ApiError && err.fields.length) form.showErrors(err.fields);
          else clear(status, notice('error', err.message));
        }
      });
    } }, h('div', { class: 'callout warning' }, h('div', { class: 'callout-inner' },
      h('div', { class: 'callout-title' }, h('span', { class: 'text' }, t('integrateTitle'))), h('p', {}, t('integrateText')))), form.el, send));
  } catch (err) {
    btn.disabled = false;
    clear(status, notice('error', err.message));
  }
}
