// campaigns.js: the finance office's bollettazione massiva: the ente's
// campaigns, a new campaign's plan, the roll upload with the errors per line
// and field, the dry run, confirming in a dialog, the progress bar (polling
// the API) with pause, resume and cancel, the error list with retry, and the
// downloads (riscontri, notices).
import { h, clear, fmtDate, fmtDateTime, fmtEuro, fmtNumber } from '../dom.js';
import { api, get, post, getPage, ApiError } from '../api.js';
import { t, lang } from '../i18n.js';
import { badge, busy, empty, notice, table, toast, serviceNames, serviceName } from './common.js';
import { fill } from './issuance_text.js';
import { campaignExtras, appioSection, accountingSection } from './campaign_io.js';

const family = { draft: 'info', issuing: 'warn', paused: 'warn', done: 'ok', cancelled: 'ko' };
const statusBadge = (s) => badge(family[s] || 'info', t('cs_' + s), { 'data-testid': 'campaign-status' });

/** campaignsView lists the ente's campaigns, newest first. */
export async function campaignsView(_p, ctx) {
  const list = await get('/api/issuances?limit=100');
  const rows = list.map((c) => [
    ctx.link('/campagne/' + encodeURIComponent(c.id), c.plan.subject, { 'data-testid': 'campaign-link' }),
    c.plan.tax, String(c.plan.year), statusBadge(c.status), fmtNumber(c.rows, lang()),
    c.progress && c.progress.total ? fmtNumber(c.progress.percent, lang(), 1) + ' %' : '—', fmtDateTime(c.createdAt, lang())]);
  return h('section', {},
    h('h1', {}, t('campaignsTitle')),
    h('p', { class: 'lead' }, t('campaignsIntro')),
    h('p', {}, ctx.link('/campagne/nuova', t('newCampaign'), { class: 'btn btn-primary', 'data-testid': 'new-campaign' })),
    rows.length ? table(t('campaignsTitle'), [t('fSubject'), t('colTax'), t('colYear'), t('status'), t('colRowsN'), t('colProgress'), t('colCreated')], rows, { class: 'table', 'data-testid': 'campaigns' })
      : empty(t('noCampaigns')));
}

// field is a labelled input with its error slot, Bootstrap Italia style.
function field(id, label, input, hint) {
  input.id = id;
  const err = h('div', { class: 'invalid-feedback', id: id + '-err' });
  input.setAttribute('aria-describedby', (hint ? id + '-hint ' : '') + id + '-err');
  return h('div', { class: 'form-group mb-3', 'data-field': id },
    h('label', { for: id, class: 'active' }, label), input,
    hint ? h('small', { class: 'form-text', id: id + '-hint' }, hint) : null, err);
}

/** newCampaignView is the plan form of a new campaign: tax, year, due dates,
 * language, App IO service and the components with their budget lines. */
export async function newCampaignView(_p, ctx) {
  const me = ctx.me;
  const ente = await get('/api/catalog/enti/' + encodeURIComponent(me.ente));
  const iban = ((ente.accounts || []).find((a) => !a.postal) || (ente.accounts || [])[0] || {}).iban || '';
  const year = new Date().getFullYear() + 1;
  const inp = (attrs) => h('input', { class: 'form-control', ...attrs });
  const f = {
    tax: inp({ type: 'text', value: 'TARI', required: true, maxlength: 8 }),
    year: inp({ type: 'number', value: year, min: 2000, max: 2100, required: true }),
    subject: inp({ type: 'text', value: 'TARI ' + year, required: true, maxlength: 100 }),
    singleDue: inp({ type: 'date', value: year + '-04-30' }),
    count: h('select', { class: 'form-select' }, [0, 2, 3, 4, 6].map((n) => h('option', { value: n, selected: n === 3 }, n ? String(n) : t('noInstallments')))),
    lang: h('select', { class: 'form-select' }, ['it', 'en', 'sl', 'de'].map((l) => h('option', { value: l, selected: l === lang() }, t('lang_' + l)))),
    // The ente's services published on App IO, by name; the tax's own first.
    appio: h('select', { class: 'form-select' }, h('option', { value: '' }, t('noAppIO'))),
  };
  const services = await get('/api/catalog/services?ente=' + encodeURIComponent(me.ente)).catch(() => []);
  const onIO = services.filter((sv) => sv.ente === me.ente && sv.appIO && sv.appIO.enabled);
  const names = await serviceNames();
  for (const sv of onIO) f.appio.append(h('option', { value: sv.id, selected: sv.id.endsWith('.tari') }, serviceName(names, sv.id)));
  const dueBox = h('div', { class: 'row' });
  const defaults = ['-04-30', '-07-31', '-10-31', '-12-31', '-02-28', '-03-31'];
  const dues = [];
  const drawDues = () => {
    const n = Number(f.count.value);
    const y = Number(f.year.value) || year;
    dues.length = 0;
    clear(dueBox, Array.from({ length: n }, (_, i) => {
      const d = inp({ type: 'date', value: (i < 4 ? y : y + 1) + defaults[i] });
      dues.push(d);
      return h('div', { class: 'col-12 col-md-4' }, field('f-inst-' + i, fill(t('fInstallmentDue'), { n: i + 1 }), d));
    }));
  };
  f.count.addEventListener('change', drawDues);
  drawDues();
  // The beneficiaries' names are their legal names, in Italian (marked so for
  // screen readers and the language checks).
  const comps = [
    { code: 'TARI', description: 'TARI', category: '9/0101101IM/', beneficiary: { fiscalCode: ente.fiscalCode, name: ente.name, iban }, account: { capitolo: '1010', articolo: '1', accertamento: year + '/101' } },
    { code: 'TEFA', description: 'TEFA', category: '9/0201102IM/', beneficiary: { fiscalCode: '80014930327', name: 'Regione Autonoma Friuli Venezia Giulia', iban: 'IT82G0200802242000101234567' },
      account: { capitolo: '9010', articolo: '2', accertamento: year + '/901' } },
  ];
  const acc = comps.map((c, i) => ['capitolo', 'articolo', 'accertamento'].map((k) => {
    const id = `f-comp-${i}-${k}`;
    return h('input', { class: 'form-control', id, value: c.account[k], 'aria-label': c.code + ' · ' + t('f' + k[0].toUpperCase() + k.slice(1)) });
  }));
  const compTable = h('div', { class: 'table-wrap', tabindex: 0 }, h('table', { class: 'table' },
    h('caption', {}, t('fComponents')),
    h('thead', {}, h('tr', {}, [t('fCode'), t('fBeneficiary'), t('fCapitolo'), t('fArticolo'), t('fAccertamento')].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, comps.map((c, i) => h('tr', {}, h('th', { scope: 'row' }, c.code), h('td', {}, h('span', { lang: 'it' }, c.beneficiary.name)), acc[i].map((x) => h('td', {}, x)))))));
  const status = h('div', { 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'create-campaign' }, t('createDraft'));
  const ids = { 'plan.tax': 'f-tax', 'plan.year': 'f-year', 'plan.subject': 'f-subject', 'plan.singleDue': 'f-single', 'plan.installments': 'f-count', 'plan.lang': 'f-lang', 'plan.appIoService': 'f-appio' };
  const form = h('form', { novalidate: true, class: 'campaign-form', onsubmit: async (e) => {
    e.preventDefault();
    form.querySelectorAll('.is-invalid').forEach((x) => x.classList.remove('is-invalid'));
    form.querySelectorAll('.invalid-feedback').forEach((x) => { x.textContent = ''; });
    const plan = { tax: f.tax.value.trim(), year: Number(f.year.value), subject: f.subject.value.trim(), singleDue: f.singleDue.value,
      installments: dues.map((d) => d.value), lang: f.lang.value, appIoService: f.appio.value.trim(), reminderDays: [7],
      components: comps.map((c, i) => ({ ...c, account: { capitolo: acc[i][0].value.trim(), articolo: acc[i][1].value.trim(), accertamento: acc[i][2].value.trim() } })) };
    await busy(send, async () => {
      try {
        const c = await post('/api/issuances', { plan });
        ctx.navigate('/campagne/' + encodeURIComponent(c.id));
      } catch (err) {
        if (!(err instanceof ApiError) || !err.fields.length) { clear(status, notice('error', err.message)); return; }
        const items = [];
        for (const fe of err.fields) {
          let id = ids[fe.field];
          const m = /^plan\.installments\[(\d+)\]/.exec(fe.field) || null;
          if (m) id = 'f-inst-' + m[1];
          const c = /^plan\.components\[(\d+)\]\.account\.(\w+)/.exec(fe.field);
          if (c) id = `f-comp-${c[1]}-${c[2]}`;
          const el = id && document.getElementById(id);
          if (el) {
            el.classList.add('is-invalid');
            const slot = document.getElementById(id + '-err');
            if (slot) slot.textContent = fe.message;
            else el.setAttribute('aria-invalid', 'true');
          }
          items.push(h('li', {}, el ? h('a', { href: '#' + id }, fe.field + ': ' + fe.message) : fe.field + ': ' + fe.message));
        }
        clear(status, h('div', { class: 'alert alert-danger error-summary', role: 'alert' }, h('p', {}, t('formErrors')), h('ul', {}, items)));
      }
    });
  } },
  h('fieldset', {}, h('legend', {}, t('planTitle')),
    h('div', { class: 'row' },
      h('div', { class: 'col-12 col-md-3' }, field('f-tax', t('fTax'), f.tax)),
      h('div', { class: 'col-12 col-md-3' }, field('f-year', t('fYear'), f.year)),
      h('div', { class: 'col-12 col-md-6' }, field('f-subject', t('fSubject'), f.subject))),
    h('div', { class: 'row' },
      h('div', { class: 'col-12 col-md-4' }, field('f-single', t('fSingleDue'), f.singleDue)),
      h('div', { class: 'col-12 col-md-4' }, field('f-count', t('fInstallments'), f.count)),
      h('div', { class: 'col-12 col-md-4' }, field('f-lang', t('fLang'), f.lang))),
    dueBox,
    field('f-appio', t('fAppIO'), f.appio)),
  compTable, status, h('div', { class: 'actions mt-3' }, send));
  return h('section', {}, h('h1', {}, t('newCampaign')), form);
}

let polling = 0;

/** campaignView is one campaign: its plan, the roll and its dry run while a
 * draft, then the progress, the errors, the payments and the downloads. */
export async function campaignView([id], ctx) {
  const path = '/api/issuances/' + encodeURIComponent(id);
  const c = await get(path);
  const gen = ++polling;
  const here = location.pathname;
  const live = () => gen === polling && location.pathname === here;
  const root = h('article', { class: 'campaign', 'data-campaign': c.id });
  const head = h('div', {});
  const progressBox = h('section', { 'aria-labelledby': 'prog-h' });
  const body = h('div', {});
  const draw = async (camp) => {
    clear(head, h('h1', {}, camp.plan.subject), h('dl', { class: 'facts' },
      h('dt', {}, t('status')), h('dd', {}, statusBadge(camp.status)),
      h('dt', {}, t('colTax')), h('dd', {}, camp.plan.tax + ' ' + camp.plan.year),
      h('dt', {}, t('optSingle')), h('dd', {}, camp.plan.singleDue ? fmtDate(camp.plan.singleDue + 'T12:00:00Z', lang()) : '—'),
      h('dt', {}, t('fInstallments')), h('dd', {}, (camp.plan.installments || []).length
        ? (camp.plan.installments || []).map((d) => fmtDate(d + 'T12:00:00Z', lang())).join(' · ') : t('noInstallments'))));
    if (camp.status === 'draft') {
      clear(progressBox);
      clear(body, await draftPart(camp, path, ctx));
      return;
    }
    clear(progressBox, progress(camp, path, ctx));
    clear(body, await issuedPart(camp, path, ctx));
  };
  await draw(c);
  // Poll while issuing: the bar moves, then the page redraws when done.
  let last = c.status;
  const tick = async () => {
    if (!live()) return;
    try {
      const camp = await get(path);
      if (!live()) return;
      if (camp.status !== last) { last = camp.status; await draw(camp); } else if (camp.status !== 'draft') clear(progressBox, progress(camp, path, ctx));
      if (camp.status === 'issuing' || camp.status === 'paused') setTimeout(tick, 1000);
    } catch { setTimeout(tick, 3000); }
  };
  if (c.status === 'issuing' || c.status === 'paused') setTimeout(tick, 1000);
  root.restart = () => { last = 'issuing'; setTimeout(tick, 500); };
  root.append(head, progressBox, body);
  return root;
}

async function draftPart(camp, path, ctx) {
  const status = h('div', { 'aria-live': 'polite' });
  const file = h('input', { type: 'file', id: 'roll-file', class: 'form-control', accept: '.csv,.json,text/csv,application/json', 'aria-describedby': 'roll-hint' });
  const dryBox = h('div', {});
  const send = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'upload-roll' }, t('upload'));
  const form = h('form', { class: 'roll-form', onsubmit: async (e) => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) { clear(status, notice('error', t('rollFile') + ': ' + t('required'))); file.focus(); return; }
    await busy(send, async () => {
      try {
        const json = /\.json$/i.test(f.name) || f.type === 'application/json';
        const d = await api('PUT', path + '/roll', await f.text(), { 'Content-Type': json ? 'application/json' : 'text/csv' });
        clear(status, notice('ok', t('uploaded')));
        clear(dryBox, dryRun(d, await get(path), path, ctx));
      } catch (err) { clear(status, notice('error', err.message)); }
    });
  } },
  h('div', { class: 'form-group mb-3' }, h('label', { for: 'roll-file', class: 'active' }, t('rollFile')), file,
    h('small', { class: 'form-text', id: 'roll-hint' }, t('rollHint'))), h('div', { class: 'actions' }, send));
  let d = null;
  if (camp.rows || camp.refused) { try { d = await get(path + '/dry-run'); } catch { d = null; } }
  if (d) dryBox.append(dryRun(d, camp, path, ctx));
  return h('div', {}, h('section', { 'aria-labelledby': 'roll-h' }, h('h2', { id: 'roll-h' }, t('rollTitle')), form, status), dryBox);
}

function optionLabel(b, n) {
  if (b.key === 'single') return t('optSingle');
  const m = /^installment-(\d+)$/.exec(b.key);
  return m ? fill(t('optInstallment'), { n: m[1], m: n }) : b.label;
}

function dryRun(d, camp, path, ctx) {
  const n = d.options.filter((b) => b.key !== 'single').length;
  const money = (c) => fmtEuro(c, lang());
  const figures = h('div', { class: 'row figures', 'data-testid': 'dry-run-figures' },
    [[t('rowsValid'), fmtNumber(d.rows, lang()), 'dry-rows'], [t('rowsRefused'), fmtNumber(d.refused, lang()), 'dry-refused'], [t('totalAmount'), money(d.total), 'dry-total']]
      .map(([k, v, id]) => h('div', { class: 'col-12 col-md-4' }, h('div', { class: 'card card-bg' }, h('div', { class: 'card-body' },
        h('p', { class: 'card-text mb-1' }, k), h('p', { class: 'h3', 'data-testid': id }, v))))));
  const confirmBtn = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'confirm-issue', disabled: d.rows === 0 }, t('confirmIssue'));
  const dlg = h('dialog', { class: 'confirm-dialog', 'aria-labelledby': 'dlg-h', 'data-testid': 'confirm-dialog' });
  const status = h('div', { 'aria-live': 'polite' });
  const yes = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'confirm-yes' }, t('confirmIssue'));
  dlg.append(h('h2', { id: 'dlg-h', class: 'h4' }, t('confirmTitle')),
    h('p', {}, fill(t('confirmText'), { n: fmtNumber(d.rows, lang()), amount: money(d.total) })),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'btn btn-outline-primary', onclick: () => dlg.close() }, t('cancel')), yes));
  yes.addEventListener('click', () => busy(yes, async () => {
    try {
      await post(path + '/confirm');
      dlg.close();
      toast('ok', t('done'), t('cs_issuing'));
      ctx.refresh();
    } catch (err) { dlg.close(); clear(status, notice('error', err.message)); }
  }));
  confirmBtn.addEventListener('click', () => dlg.showModal());
  return h('section', { 'aria-labelledby': 'dry-h', 'data-testid': 'dry-run' },
    h('h2', { id: 'dry-h' }, t('dryRunTitle')), figures,
    table(t('byOption'), [t('colOption'), t('dueDate'), t('colRowsN'), t('amount')],
      d.options.map((b) => [optionLabel(b, n), b.due ? fmtDate(b.due + 'T12:00:00Z', lang()) : '—', fmtNumber(b.rows, lang()), money(b.amount)]), { class: 'table' }),
    table(t('byBeneficiary'), [t('fBeneficiary'), t('colRowsN'), t('amount')], d.beneficiaries.map((b) => [h('span', { lang: 'it' }, b.label), fmtNumber(b.rows, lang()), money(b.amount)]), { class: 'table' }),
    table(t('byAccount'), [t('fCode'), t('colAccount'), t('colRowsN'), t('amount')],
      d.accountingLines.map((b) => [b.label, b.key.split(' ').slice(1).join(' '), fmtNumber(b.rows, lang()), money(b.amount)]), { class: 'table' }),
    d.refusedRows.length ? table(t('refusedTitle'), [t('colLine'), t('colField'), t('colProblem')],
      d.refusedRows.map((r) => [String(r.line), h('code', {}, r.field), r.message]), { class: 'table', 'data-testid': 'refused-rows' }) : null,
    h('div', { class: 'actions mt-3' }, confirmBtn), status, dlg);
}

function progress(camp, path, ctx) {
  const p = camp.progress || { total: 0, issued: 0, failed: 0, percent: 0 };
  const pct = Math.round(p.percent || 0);
  const act = (a, cls) => h('button', { type: 'button', class: 'btn ' + cls, 'data-action': a, onclick: (e) => busy(e.target, async () => {
    try { await post(path + '/' + a); toast('ok', t('done'), t(a === 'cancel' ? 'cancelCampaign' : a)); ctx.refresh(); } catch (err) { toast('error', t('error'), err.message); }
  }) }, t(a === 'cancel' ? 'cancelCampaign' : a));
  const running = camp.status === 'issuing' || camp.status === 'paused';
  const bar = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuenow': pct, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': t('progressLabel') });
  bar.style.width = pct + '%'; // through the CSSOM: the CSP refuses style attributes
  return [h('h2', { id: 'prog-h' }, t('progressTitle')),
    h('div', { class: 'progress progress-campaign', 'data-testid': 'progress' }, bar),
    h('p', { 'data-testid': 'progress-text' }, fill(t('issuedOf'), { done: fmtNumber(p.issued, lang()), total: fmtNumber(p.total, lang()) }),
      ' (', fmtNumber(p.percent || 0, lang(), 1), ' %)',
      p.failed ? ' · ' + fill(t('failedN'), { n: fmtNumber(p.failed, lang()) }) : '',
      camp.status === 'issuing' && p.ratePerSec ? ' · ' + fill(t('rateN'), { n: fmtNumber(p.ratePerSec, lang()) }) : '',
      camp.status === 'issuing' && p.etaSeconds ? ' · ' + fill(t('etaN'), { n: fmtNumber(p.etaSeconds, lang()) }) : ''),
    running ? h('div', { class: 'actions' },
      camp.status === 'issuing' ? act('pause', 'btn-outline-primary') : act('resume', 'btn-primary'), act('cancel', 'btn-outline-danger')) : null];
}

async function issuedPart(camp, path, ctx) {
  const [errs, sum, extras] = await Promise.all([getPage(path + '/errors?limit=100'), get(path + '/summary').catch(() => null), campaignExtras(camp, path)]);
  const money = (c) => fmtEuro(c, lang());
  const retry = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'retry', onclick: (e) => busy(e.target, async () => {
    try { await post(path + '/retry'); ctx.refresh(); } catch (err) { toast('error', t('error'), err.message); }
  }) }, t('retryFailed'));
  const failed = (camp.progress && camp.progress.failed) || 0;
  const downloads = h('ul', { class: 'downloads', 'data-testid': 'downloads' },
    h('li', {}, h('a', { href: path + '/debtors?format=csv', download: '', 'data-testid': 'riscontri-csv' }, t('riscontriCsv'))),
    h('li', {}, h('a', { href: path + '/debtors', target: '_blank', rel: 'noopener', 'data-testid': 'riscontri-json' }, t('riscontriJson'))));
  // Every notice: one PDF per debtor in a zip, or one file in postal order for the printer.
  downloads.append(
    h('li', {}, h('a', { href: path + '/notices.zip', download: '', 'data-testid': 'notices-zip' }, t('noticesZip'))),
    h('li', {}, h('a', { href: path + '/notices/print', download: '', 'data-testid': 'notices-print' }, t('noticesPrint'))));
  return h('div', {},
    sum ? h('section', { 'aria-labelledby': 'sum-h' }, h('h2', { id: 'sum-h' }, t('summaryTitle')),
      table(t('summaryTitle'), [t('status'), t('sumDebtors')], [
        [t('ds_paid'), fmtNumber(sum.paid, lang())], [t('ds_partially_paid'), fmtNumber(sum.partiallyPaid, lang())],
        [t('ds_overdue'), fmtNumber(sum.overdue, lang())], [t('ds_unpaid'), fmtNumber(sum.unpaid, lang())]], { class: 'table', 'data-testid': 'summary' }),
      h('dl', { class: 'facts' }, h('dt', {}, t('sumDue')), h('dd', {}, money(sum.amountDue)), h('dt', {}, t('sumPaid')), h('dd', { 'data-testid': 'sum-paid' }, money(sum.amountPaid)))) : null,
    appioSection(extras.io, camp, path),
    accountingSection(extras.accounting, camp),
    h('section', { 'aria-labelledby': 'err-h' }, h('h2', { id: 'err-h' }, t('errorsTitle')),
      errs.items.length ? table(t('errorsTitle'), [t('colLine'), t('colKind'), t('colField'), t('colProblem')],
        errs.items.map((e) => [String(e.line), t('kind_' + e.kind), h('code', {}, e.field), e.message]), { class: 'table', 'data-testid': 'errors' }) : empty(t('noErrors')),
      failed ? h('div', { class: 'actions' }, retry) : null),
    h('section', { 'aria-labelledby': 'dl-h' }, h('h2', { id: 'dl-h' }, t('downloadsTitle')), downloads));
}
