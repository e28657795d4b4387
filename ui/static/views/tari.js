// tari.js: TARI online, the citizen's local taxes issued by roll: for each
// tax and year the standing, each way to pay (single payment or an
// instalment) with its state, the notice, pagoPA and the receipts.
import { h, fmtDate, fmtDateTime, fmtEuro, groupNotice } from '../dom.js';
import { get } from '../api.js';
import { t, lang } from '../i18n.js';
import { badge, empty } from './common.js';
import { fill } from './issuance_text.js';

let checkout = null;

/** payURL is where the citizen pays an option: the pagoPA simulator when this
 * server runs one (sportello dev), pagoPA's checkout otherwise. */
export async function payURL(org, notice) {
  if (checkout === null) {
    try {
      const r = await fetch('/sim/pagopa/checkout', { method: 'HEAD', credentials: 'same-origin' });
      checkout = r.ok ? '/sim/pagopa/checkout' : 'https://checkout.pagopa.it/';
    } catch { checkout = 'https://checkout.pagopa.it/'; }
  }
  if (checkout.startsWith('https://')) return checkout;
  return checkout + '?' + new URLSearchParams({ org, notice, lang: lang() === 'it' ? 'it' : 'en' });
}

const standing = { paid: 'ok', partially_paid: 'info', overdue: 'ko', unpaid: 'warn' };
const optionFamily = { paid: 'ok', due: 'warn', overdue: 'ko', superseded: 'info', closed: 'info' };

/** tariView lists the signed-in citizen's tax positions, newest year first. */
export async function tariView() {
  const list = await get('/api/taxes');
  return h('section', { class: 'tari' },
    h('h1', {}, t('tariTitle')),
    h('p', { class: 'lead' }, t('tariIntro')),
    list.length ? list.map(position) : empty(t('tariNone')));
}

function position(tp) {
  const pos = tp.position;
  const n = (pos.options || []).filter((o) => o.installment).length;
  let k = 0;
  const label = (o) => (o.installment ? fill(t('optInstallment'), { n: ++k, m: n }) : t('optSingle'));
  const id = 'tax-' + pos.id;
  return h('article', { class: 'card-wrapper tax-position', 'data-testid': 'tax-position', 'aria-labelledby': id },
    h('div', { class: 'card card-bg' }, h('div', { class: 'card-body' },
      h('h2', { id, class: 'card-title h3' }, tp.tax + ' ' + tp.year, ' ', badge(standing[tp.state] || 'info', t('ds_' + tp.state), { 'data-testid': 'tax-state' })),
      h('dl', { class: 'facts' },
        h('dt', {}, t('creditor')), h('dd', {}, pos.creditor.name),
        h('dt', {}, t('totalDue')), h('dd', {}, fmtEuro(tp.amount, lang())),
        h('dt', {}, t('paidSoFar')), h('dd', { 'data-testid': 'tax-paid' }, fmtEuro(tp.paid, lang()))),
      h('div', { class: 'actions' },
        h('a', { class: 'btn btn-outline-primary', href: '/api/payments/positions/' + encodeURIComponent(pos.id) + '/notice?lang=' + lang(),
          target: '_blank', rel: 'noopener', 'data-testid': 'tax-notice' }, t('noticePdf'))),
      h('h3', { class: 'h4' }, t('optionsTitle')),
      h('div', { class: 'callout note' }, h('div', { class: 'callout-inner' }, h('p', {}, t('tariChoice')))),
      h('ul', { class: 'cards payments' }, (pos.options || []).map((o) => option(tp, o, label(o)))),
      h('h3', { class: 'h4' }, t('receiptsTitle')),
      receipts(tp))));
}

function option(tp, o, label) {
  const pos = tp.position;
  const pay = h('a', { class: 'btn btn-primary', target: '_blank', rel: 'noopener', href: '#', 'data-testid': 'pay' }, t('pay'));
  if (o.payable) payURL(pos.creditor.fiscalCode, o.noticeNumber).then((u) => pay.setAttribute('href', u));
  return h('li', { class: 'card', 'data-testid': 'tax-option', 'data-notice': o.noticeNumber, 'data-state': o.state },
    h('h4', { class: 'h5' }, label),
    h('dl', { class: 'facts' },
      h('dt', {}, t('amount')), h('dd', {}, fmtEuro(o.amount, lang())),
      h('dt', {}, t('dueDate')), h('dd', {}, fmtDate(o.dueDate, lang())),
      h('dt', {}, t('noticeNumber')), h('dd', {}, h('code', {}, groupNotice(o.noticeNumber))),
      h('dt', {}, t('status')), h('dd', {}, badge(optionFamily[o.state] || 'info', t('os_' + o.state), { 'data-testid': 'option-state' })),
      o.paidAt ? [h('dt', {}, t('paidOn')), h('dd', {}, fmtDateTime(o.paidAt, lang()))] : null),
    h('div', { class: 'actions' }, o.payable ? pay : null,
      o.state === 'paid' ? h('a', { class: 'btn btn-outline-primary', 'data-testid': 'receipt',
        href: '/api/taxes/' + encodeURIComponent(pos.id) + '/receipt?notice=' + encodeURIComponent(o.noticeNumber) }, t('downloadReceipt'), h('span', { class: 'visually-hidden' }, ' ' + label)) : null));
}

function receipts(tp) {
  if (!tp.receipts.length) return empty(t('noReceipts'));
  const names = new Map();
  let k = 0;
  const n = tp.position.options.filter((o) => o.installment).length;
  for (const o of tp.position.options) names.set(o.noticeNumber, o.installment ? fill(t('optInstallment'), { n: ++k, m: n }) : t('optSingle'));
  return h('ul', { class: 'receipts', 'data-testid': 'receipts' }, tp.receipts.map((r) => h('li', {},
    h('strong', {}, names.get(r.noticeNumber) || groupNotice(r.noticeNumber)), ' · ', fmtEuro(r.amount, lang()), ' · ',
    fmtDateTime(r.paymentDateTime, lang()), r.pspName ? ' · ' + r.pspName : '')));
}
