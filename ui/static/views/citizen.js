// citizen.js: the services of the enti, starting a pratica from its rendered
// form, and "Le mie pratiche".
import { h, clear, fmtDateTime } from '../dom.js';
import { api, get, ApiError } from '../api.js';
import { t, tx, txLang, lang } from '../i18n.js';
import { renderForm } from '../form.js';
import { serviceNames, serviceName, statusBadge, table, notice, busy, empty } from './common.js';

// The demo shows Trieste and Medea side by side: the same marriage procedure
// online in one, at the front desk only in the other.
const defaultEnti = ['c_l424', 'c_f081'];

/** servicesView lists the services of the enti in ?ente= (comma separated). */
export async function servicesView(_p, ctx) {
  const q = new URLSearchParams(location.search).get('ente');
  const enti = q ? q.split(',').filter(Boolean) : defaultEnti;
  const names = new Map((await get('/api/portal/enti').catch(() => [])).map((e) => [e.id, e.name]));
  const cols = await Promise.all(enti.map(async (ente) => {
    const [all, online] = await Promise.all([
      get('/api/catalog/services?ente=' + encodeURIComponent(ente)),
      get('/api/catalog/services?online=true&ente=' + encodeURIComponent(ente)),
    ]);
    const can = new Set(online.map((s) => s.id));
    const title = names.get(ente) || ente;
    return h('section', { class: 'ente-col', 'aria-labelledby': 'ente-' + ente },
      h('h2', { id: 'ente-' + ente }, title),
      h('ul', { class: 'cards' }, all.filter((s) => s.ente === ente).map((s) => serviceCard(s, can.has(s.id), ctx))));
  }));
  return h('section', {}, h('h1', {}, t('servicesTitle')), h('div', { class: 'columns' }, cols));
}

function serviceCard(s, online, ctx) {
  const channels = s.channels || [];
  const frontDesk = !channels.includes('web') && !channels.includes('app');
  return h('li', { class: 'card', 'data-service': s.id },
    h('h3', { lang: txLang(s.name) }, tx(s.name) || s.id),
    h('p', {}, tx(s.description)),
    s.info ? h('p', { class: 'text-muted' }, tx(s.info)) : null,
    h('p', { class: 'meta' }, t('channels') + ': ', channels.map((c) => t('ch_' + c)).join(', ')),
    (s.contacts || []).length ? h('p', { class: 'meta' }, t('contacts') + ': ', s.contacts.map((c) => c.value).join(' · ')) : null,
    online
      ? ctx.link('/servizi/' + encodeURIComponent(s.id), t('start'), { class: 'btn btn-primary', 'data-testid': 'start-' + s.id })
      : h('p', { class: 'badge bg-warning' }, frontDesk ? t('frontDeskOnly') : t('notOnline')));
}

/** startView renders the start form of a service and submits the pratica. */
export async function startView([id], ctx) {
  const [svc, start] = await Promise.all([
    get('/api/catalog/services/' + encodeURIComponent(id)),
    get('/api/portal/services/' + encodeURIComponent(id) + '/start'),
  ]);
  const title = h('h1', { lang: txLang(svc.name) }, tx(svc.name) || id);
  if (!start.online) {
    return h('section', {}, title, h('div', { class: 'callout' }, h('div', { class: 'callout-inner' },
      h('div', { class: 'callout-title' }, h('span', { class: 'text' }, t('notOnline'))), h('p', { lang: txLang(start.reason) }, tx(start.reason)))),
      ctx.link('/servizi', t('back'), { class: 'btn btn-outline-primary' }));
  }
  const form = start.form ? renderForm(start.form) : { el: h('div'), collect: () => ({}), showErrors: () => {} };
  const status = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('submit'));
  // One key per form: a resubmission after a lost answer gets the same pratica, not a second one.
  const key = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const el = h('form', { novalidate: true, class: 'start-form', onsubmit: async (e) => {
    e.preventDefault();
    clear(status);
    if (form.validate && !form.validate()) return;
    await busy(submit, async () => {
      try {
        const pr = await api('POST', '/api/pratiche', { service: id, data: form.collect() }, { 'Idempotency-Key': key });
        form.showErrors([]);
        ctx.navigate('/pratiche/' + encodeURIComponent(pr.id));
      } catch (err) {
        if (err instanceof ApiError && err.fields.length) form.showErrors(err.fields);
        else clear(status, notice('error', err.message));
      }
    });
  } }, form.el, status, h('div', { class: 'actions' }, submit, ctx.link('/servizi', t('back'), { class: 'btn btn-outline-primary' })));
  return h('section', {}, title,
    h('p', { class: 'lead' }, tx(start.form?.title) || t('startTitle')),
    tx(svc.description) ? h('p', {}, tx(svc.description)) : null, el);
}

/** mineView lists the citizen's own pratiche. */
export async function mineView(_p, ctx) {
  const [list, names] = await Promise.all([get('/api/pratiche'), serviceNames()]);
  const rows = list.map((p) => [
    ctx.link('/pratiche/' + encodeURIComponent(p.id), serviceName(names, p.service), { 'data-testid': 'pratica-link' }),
    statusBadge(p.status),
    fmtDateTime(p.createdAt, lang()),
    fmtDateTime(p.updatedAt, lang()),
  ]);
  return h('section', {}, h('h1', {}, t('mineTitle')),
    rows.length ? table(null, [t('colService'), t('colStatus'), t('colCreated'), t('colUpdated')], rows, { 'data-testid': 'mine' }) : empty());
}
