// monitoring.js: the region's (and an ente's) monitoring of the agreement with
// its charts: each ente's share of incasso services active on pagoPA against
// the 70% target, the share month by month, and the payments' volume. Every
// chart has its figures as a table beside it and a CSV.
import { h } from '../dom.js';
import { get } from '../api.js';
import { t, lang, locale } from '../i18n.js';
import { table, empty, badge, serviceNames, serviceName } from './common.js';
import { enteNames, enteName } from '../layout.js';
import { fmtNumber, fmtEuro } from '../dom.js';

const blue = '#0066cc';
const target = '#995c00';
const green = '#008055';

/** monitoringView is the agreement's table and charts, per ente and region-wide. */
export async function monitoringView(_p, ctx) {
  const asked = new URLSearchParams(location.search).get('ente') || '';
  const regional = ctx.me.role === 'regional-admin' || ctx.me.role === 'designer';
  const ente = regional ? asked : ctx.me.ente || asked;
  const q = ente ? '?ente=' + encodeURIComponent(ente) : '';
  const [m, trend, services, names] = await Promise.all([get('/api/catalog/monitoring' + q),
    get('/api/catalog/monitoring/trend' + (q ? q + '&' : '?') + 'months=12'), serviceNames(), enteNames()]);
  const yes = (b) => badge(b ? 'ok' : 'warn', b ? t('yes') : t('no'));
  const row = (r) => [r.name || r.ente, String(r.services), String(r.incasso), String(r.activePagoPA),
    fmtNumber(r.percent ?? 0, lang(), 2) + ' %', yes(r.pagoPATargetMet), String(r.appIO), yes(r.appIOTargetMet),
    (r.inactive || []).map((s) => serviceName(services, s)).join(', ')];
  const rows = (m.enti || []).map(row);
  if (m.totals && !ente) rows.push(row({ ...m.totals, name: t('total') }));
  const csv = (path) => path + (q ? q + '&' : '?') + 'format=csv';

  const charts = [];
  const chart = (id, title, summary, config, data) => {
    const canvas = h('canvas', { id, role: 'img', 'aria-label': title + '. ' + summary });
    charts.push([canvas, config]);
    return h('figure', { class: 'chart card p-3', 'data-testid': id },
      h('figcaption', { class: 'h5' }, title),
      h('div', { class: 'chart-box' }, canvas),
      h('details', {}, h('summary', {}, t('chartData')), data));
  };

  // 1. Each ente against the target (the region's view only: one bar is no comparison).
  const perEnte = !ente && (m.enti || []).length > 1 ? (() => {
    const labels = m.enti.map((e) => e.name || e.ente);
    const met = m.enti.filter((e) => e.pagoPATargetMet).length;
    return chart('chart-enti', t('chartEnti'), t('chartEntiSummary').replace('{met}', met).replace('{n}', m.enti.length), {
      type: 'bar',
      data: { labels, datasets: [
        { type: 'bar', label: t('colPercent'), data: m.enti.map((e) => e.percent), backgroundColor: blue },
        { type: 'line', label: t('colTarget'), data: m.enti.map(() => 70), borderColor: target, borderDash: [6, 4], pointRadius: 0, backgroundColor: target },
      ] },
      options: percentAxis(),
    }, table(null, [t('colEnte'), t('colPercent'), t('colTarget')], m.enti.map((e) => [e.name || e.ente, fmtNumber(e.percent, lang(), 2) + ' %', yes(e.pagoPATargetMet)])));
  })() : null;

  // 2. The share month by month, and 3. the payments of each month.
  const months = trend.months || [];
  const labels = months.map((x) => monthLabel(x.month));
  const last = months[months.length - 1];
  const share = months.length ? chart('chart-trend', t('chartTrend'),
    t('chartTrendSummary').replace('{pct}', fmtNumber(last.percent, lang(), 2) + ' %'), {
      type: 'line',
      data: { labels, datasets: [
        { label: t('colPercent'), data: months.map((x) => x.percent), borderColor: blue, backgroundColor: blue, tension: 0.2 },
        { label: t('colTarget'), data: months.map(() => trend.targetPercent), borderColor: target, borderDash: [6, 4], pointRadius: 0, backgroundColor: target },
      ] },
      options: percentAxis(),
    }, table(null, [t('colMonth'), t('colActive'), t('colIncasso'), t('colPercent')],
      months.map((x, i) => [labels[i], String(x.activePagoPA), String(x.incasso), fmtNumber(x.percent, lang(), 2) + ' %']))) : null;
  const paidTotal = months.reduce((s, x) => s + x.paidCents, 0);
  const volume = months.length ? chart('chart-payments', t('chartPayments'),
    t('chartPaymentsSummary').replace('{total}', fmtEuro(paidTotal, lang())), {
      type: 'bar',
      data: { labels, datasets: [
        { label: t('colPaidEuro'), data: months.map((x) => x.paidCents / 100), backgroundColor: green, yAxisID: 'y' },
        { type: 'line', label: t('colIssued'), data: months.map((x) => x.issued), borderColor: blue, backgroundColor: blue, yAxisID: 'y1' },
      ] },
      options: { maintainAspectRatio: false, animation: false, scales: {
        y: { beginAtZero: true, position: 'left', ticks: { callback: (v) => fmtEuro(v * 100, lang()) } },
        y1: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } } },
      plugins: { tooltip: { callbacks: { label: (c) => c.dataset.yAxisID === 'y' ? fmtEuro(c.raw * 100, lang()) : c.dataset.label + ': ' + c.raw } } } },
    }, table(null, [t('colMonth'), t('colIssued'), t('colPaid'), t('colPaidEuro')],
      months.map((x, i) => [labels[i], String(x.issued), String(x.paid), fmtEuro(x.paidCents, lang())]))) : null;

  const view = h('section', {}, h('h1', {}, t('monitoringTitle') + (ente ? ' · ' + enteName(names, ente) : '')),
    regional ? enteFilter(m, names, ente) : null,
    h('p', { class: 'd-flex flex-wrap gap-2' },
      h('a', { class: 'btn btn-outline-primary', href: csv('/api/catalog/monitoring'), download: 'monitoraggio.csv' }, t('downloadCsv')),
      h('a', { class: 'btn btn-outline-primary', href: csv('/api/catalog/monitoring/trend'), download: 'monitoraggio-andamento.csv' }, t('downloadTrendCsv'))),
    rows.length ? table(null, [t('colEnte'), t('colServices'), t('colIncasso'), t('colActive'), t('colPercent'), t('colTarget'), t('colAppIO'), t('colIOTarget'), t('colInactive')], rows, { 'data-testid': 'monitoring' }) : empty(),
    h('div', { class: 'charts' }, perEnte, share, volume));
  // The charts draw once the router has put the view in the page.
  whenConnected(view, () => draw(charts));
  return view;
}

/** enteFilter lets the region look at one ente. */
function enteFilter(m, names, ente) {
  const ids = [...new Set([...(m.enti || []).map((e) => e.ente), ente].filter(Boolean))];
  return h('form', { class: 'row g-2 align-items-end mb-3', method: 'get', action: '/monitoraggio', 'data-testid': 'ente-filter' },
    h('div', { class: 'col-auto' },
      h('label', { for: 'mon-ente', class: 'form-label' }, t('colEnte')),
      h('select', { id: 'mon-ente', name: 'ente', class: 'form-select' },
        h('option', { value: '' }, t('allEnti')),
        ids.map((id) => h('option', { value: id, selected: id === ente }, enteName(names, id))))),
    h('div', { class: 'col-auto' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('filter'))));
}

/** percentAxis is the options of a chart of percentages, 0 to 100. */
function percentAxis() {
  return { maintainAspectRatio: false, animation: false,
    scales: { y: { beginAtZero: true, max: 100, ticks: { callback: (v) => v + ' %' } } } };
}

/** monthLabel shows 2026-11 as "nov 2026" in the page's language. */
function monthLabel(ym) {
  const [y, mo] = ym.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, mo - 1, 1)));
}

/** whenConnected runs fn once el is in the document (the router inserts the view after it resolves). */
function whenConnected(el, fn, tries = 50) {
  if (el.isConnected) fn();
  else if (tries > 0) setTimeout(() => whenConnected(el, fn, tries - 1), 20);
}

/** draw loads Chart.js (only on this page) and draws each chart. */
async function draw(charts) {
  if (!charts.length) return;
  const { Chart } = await import('../vendor/charts/chart.js');
  Chart.defaults.font.family = "'Titillium Web', sans-serif";
  Chart.defaults.color = '#1a1a1a';
  for (const [canvas, config] of charts) {
    if (canvas.isConnected) new Chart(canvas, config);
  }
}
