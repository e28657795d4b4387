// campaign_io.js: two sections of an issued campaign's page for the finance
// office: the campaign on App IO (the notice's and each reminder's messages
// by outcome, the list of debtors to reach on paper) and its accounting (per
// budget line issued, accrued, collected, reconciled, outstanding, and the
// check against the ledger and the treasury). Each hides when the API has
// nothing to show: no App IO service, no accounting yet, no permission.
import { h, fmtDate, fmtEuro, fmtNumber } from '../dom.js';
import { get } from '../api.js';
import { t, lang } from '../i18n.js';
import { badge, table } from './common.js';
import { fill } from './issuance_text.js';
import './campaign_io_text.js';

/** campaignExtras fetches what the App IO and accounting sections show; a
 * missing part (not found, forbidden) is null. */
export async function campaignExtras(camp, path) {
  const acc = '/api/ledger/campaigns/' + encodeURIComponent(camp.id) + '/accounting?ente=' + encodeURIComponent(camp.ente);
  const [io, accounting] = await Promise.all([
    camp.plan.appIoService ? get(path + '/appio').catch(() => null) : null,
    get(acc).catch(() => null)]);
  return { io, accounting };
}

// reminderLabel names a reminder: of the single payment or of an instalment.
function reminderLabel(r, installments) {
  const what = r.installment ? fill(t('optInstallment'), { n: r.installment, m: installments }) : t('optSingle');
  return fill(t('ioReminder'), { what, date: fmtDate(r.at, lang()) });
}

/** appioSection shows the campaign's messages on App IO by outcome and links
 * the paper list; null when the campaign sends nothing on App IO. */
export function appioSection(io, camp, path) {
  if (!io || !io.enabled) return null;
  const num = (n) => fmtNumber(n || 0, lang());
  const n = (camp.plan.installments || []).length;
  const counts = (c, pending) => [c.sent, c.notOnIo, c.serviceDisabled, c.failed, c.unknown, (c.sending || 0) + pending].map(num);
  const notice = counts(io.notice, io.pending || 0);
  notice[0] = h('span', { 'data-testid': 'io-sent' }, notice[0]);
  const rows = [[t('ioNotice'), ...notice], ...(io.reminders || []).map((r) => [reminderLabel(r, n), ...counts(r, 0)])];
  return h('section', { 'aria-labelledby': 'io-h', 'data-testid': 'appio' },
    h('h2', { id: 'io-h' }, t('ioTitle')),
    h('p', {}, t('ioIntro')),
    table(t('ioTitle'), [t('ioMessage'), t('ioSent'), t('ioNotOnIo'), t('ioDisabled'), t('ioFailed'), t('ioUnknown'), t('ioPending')], rows,
      { class: 'table', 'data-testid': 'appio-counts' }),
    h('dl', { class: 'facts' }, h('dt', {}, t('ioPaper')), h('dd', { 'data-testid': 'io-paper' }, num(io.paper))),
    h('p', {}, h('a', { href: path + '/appio/paper?format=csv', download: '', 'data-testid': 'io-paper-csv' }, t('ioPaperCsv'))));
}

// half picks the part of a server text "italiano / English" for the page's
// language; Slovenian has no text of its own and reads the Italian one.
function half(text) {
  const i = text.indexOf(' / ');
  if (i < 0) return h('span', {}, text);
  return lang() === 'en' ? h('span', { lang: 'en' }, text.slice(i + 3)) : h('span', { lang: 'it' }, text.slice(0, i));
}

/** accountingSection shows the campaign's accounting per budget line and the
 * check's state; null when the ledger holds nothing for the campaign. */
export function accountingSection(acc, camp) {
  if (!acc || !(acc.lines || []).length) return null;
  const money = (c) => fmtEuro(c || 0, lang());
  const line = (l) => [l.capitolo, l.articolo, l.accertamento].filter(Boolean).join(' / ');
  const cells = (l) => [fmtNumber(l.positions || 0, lang()), money(l.issued), money(l.accrued), money(l.collected), money(l.reconciled), money(l.outstanding)];
  const rows = [...acc.lines.map((l) => [line(l), ...cells(l)]), [t('accTotal'), ...cells(acc.total || {})]];
  const ok = acc.check && acc.check.ok;
  const problems = (acc.check && acc.check.problems) || [];
  const check = h('div', { class: 'callout ' + (ok ? 'success' : 'danger'), 'data-testid': 'accounting-check', 'data-ok': ok ? 'true' : 'false' },
    h('div', { class: 'callout-inner' },
      h('div', { class: 'callout-title' }, h('span', { class: 'text' }, t('accCheck')), ' ', badge(ok ? 'ok' : 'ko', t(ok ? 'accOk' : 'accKo'))),
      h('p', {}, t(ok ? 'accOkText' : 'accKoText')),
      problems.length ? h('ul', { 'data-testid': 'accounting-problems' }, problems.map((p) => h('li', {}, half(p)))) : null));
  const csv = '/api/ledger/campaigns/' + encodeURIComponent(camp.id) + '/accounting.csv?ente=' + encodeURIComponent(camp.ente);
  return h('section', { 'aria-labelledby': 'acc-h', 'data-testid': 'accounting' },
    h('h2', { id: 'acc-h' }, t('accTitle')),
    table(t('accTitle'), [t('colAccount'), t('accPositions'), t('accIssued'), t('accAccrued'), t('accCollected'), t('accReconciled'), t('accOutstanding')], rows,
      { class: 'table', 'data-testid': 'accounting-lines' }),
    h('dl', { class: 'facts' }, h('dt', {}, t('accTreasury')), h('dd', {}, money(acc.treasury))),
    check,
    h('p', { class: 'mt-3' }, h('a', { href: csv, download: '', 'data-testid': 'accounting-csv' }, t('accCsv'))));
}
