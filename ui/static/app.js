// app.js: boots the portal: who is signed in, the header for their role, and
// a history-API router so every page has a real URL (deep links work).
import { h, clear } from './dom.js';
import { api, get, setCSRF, setActAs, ApiError } from './api.js';
import { t, lang, setLang } from './i18n.js';
import { servicesView, startView, mineView } from './views/citizen.js';
import { praticaView } from './views/pratica.js';
import { entePraticheView } from './views/operator.js';
import { inboxView, taskView } from './views/inbox.js';
import { modelerView, templateView, formView } from './views/modeler.js';
import { overlaysView, monitoringView } from './views/admin.js';
import { rolesView } from './views/roles.js';

const main = document.getElementById('main');
const header = document.getElementById('header');
const state = { me: null };

const routes = [
  [/^\/$/, homeView],
  [/^\/servizi$/, servicesView],
  [/^\/servizi\/([^/]+)$/, startView],
  [/^\/pratiche$/, (p, ctx) => (ctx.me && ctx.me.role === 'citizen' ? mineView(p, ctx) : entePraticheView(p, ctx))],
  [/^\/pratiche\/([^/]+)$/, praticaView],
  [/^\/attivita$/, inboxView],
  [/^\/attivita\/([^/]+)$/, taskView],
  [/^\/modellatore$/, modelerView],
  [/^\/modellatore\/modelli\/([^/]+)$/, templateView],
  [/^\/modellatore\/moduli\/([^/]+)$/, formView],
  [/^\/personalizzazioni$/, overlaysView],
  [/^\/monitoraggio$/, monitoringView],
  [/^\/ruoli$/, rolesView],
];

const navByRole = {
  citizen: [['/servizi', 'navServices'], ['/pratiche', 'navMine']],
  operator: [['/attivita', 'navInbox'], ['/pratiche', 'navPratiche']],
  designer: [['/modellatore', 'navModeler']],
  'ente-admin': [['/attivita', 'navInbox'], ['/pratiche', 'navPratiche'], ['/personalizzazioni', 'navOverlays'], ['/modellatore', 'navModeler'], ['/monitoraggio', 'navMonitoring'], ['/ruoli', 'navRoles']],
  'regional-admin': [['/monitoraggio', 'navMonitoring'], ['/modellatore', 'navModeler'], ['/pratiche', 'navPratiche'], ['/ruoli', 'navRoles']],
};

/** navigate changes the page without reloading. */
export function navigate(path) {
  history.pushState({}, '', path);
  render();
}

function link(path, text, attrs) {
  return h('a', { href: path, ...(attrs || {}), onclick: (e) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(path);
  } }, text);
}

function renderHeader() {
  const me = state.me;
  const here = location.pathname;
  const nav = me ? (navByRole[me.role] || []).map(([p, k]) =>
    h('li', {}, link(p, t(k), { 'aria-current': here === p || here.startsWith(p + '/') ? 'page' : undefined }))) : [];
  const langBtn = h('button', { type: 'button', class: 'link lang', lang: lang() === 'it' ? 'en' : 'it', title: t('switchLangLabel'),
    onclick: () => { setLang(lang() === 'it' ? 'en' : 'it'); renderHeader(); render(); } }, t('switchLang'));
  const who = me
    ? h('div', { class: 'who' },
      h('span', { class: 'user', 'data-testid': 'user' }, me.name || me.subject, h('small', {}, ' · ', t('role_' + me.role), me.ente ? ' · ' + me.ente : '')),
      actAsPicker(me),
      h('button', { type: 'button', class: 'btn secondary small', onclick: logout }, t('logout')))
    : h('a', { class: 'btn small', href: '/auth/login?return=' + encodeURIComponent(here + location.search) }, t('login'));
  clear(header,
    h('a', { class: 'skip', href: '#main' }, t('skip')),
    h('div', { class: 'bar' },
      link('/', h('span', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, 'S'), t('appName'))),
      h('span', { class: 'tagline' }, t('tagline')),
      h('div', { class: 'right' }, langBtn, who)),
    nav.length ? h('nav', { 'aria-label': 'principale' }, h('ul', {}, nav)) : null);
}

/** actAsPicker lets a person with several roles (or a role and their own
 * pratiche) choose which one the portal acts in. */
function actAsPicker(me) {
  const choices = me.choices || [];
  if (choices.length < 2) return null;
  const label = (c) => (c === 'citizen' ? t('actAsCitizen') : t('role_' + c.split('@')[0]) + ' · ' + c.split('@')[1]);
  const sel = h('select', { id: 'act-as', 'data-testid': 'act-as', onchange: async () => {
    setActAs(sel.value);
    state.me = await get('/api/me');
    history.replaceState({}, '', '/');
    render();
  } }, choices.map((c) => h('option', { value: c, selected: c === me.actAs }, label(c))));
  return h('span', { class: 'act-as' }, h('label', { for: 'act-as' }, t('actAs') + ' '), sel);
}

async function logout() {
  setActAs('');
  try { await api('POST', '/auth/logout'); } catch { /* the session may be gone already */ }
  state.me = null;
  setCSRF('');
  navigate('/');
  renderHeader();
}

function homeView(_p, ctx) {
  const me = ctx.me;
  if (!me) {
    return h('section', { class: 'hero' },
      h('h1', {}, t('welcomeTitle')),
      h('p', {}, t('welcomeText')),
      h('a', { class: 'btn', href: '/auth/login?return=/' }, t('login')));
  }
  const first = (navByRole[me.role] || [])[0];
  if (first) { history.replaceState({}, '', first[0]); return render(); }
  return h('p', {}, t('signedAs'), ' ', me.subject);
}

async function render() {
  renderHeader();
  const path = location.pathname;
  document.title = t('appName');
  main.setAttribute('aria-busy', 'true');
  clear(main, h('p', { class: 'muted' }, t('loading')));
  const ctx = { me: state.me, navigate, link, refresh: render };
  let node;
  try {
    const hit = routes.map(([re, v]) => [path.match(re), v]).find(([m]) => m);
    if (!hit) node = h('section', {}, h('h1', {}, t('notFound')));
    else if (!state.me && path !== '/') {
      location.assign('/auth/login?return=' + encodeURIComponent(path + location.search));
      return;
    } else node = await hit[1](hit[0].slice(1).map(decodeURIComponent), ctx);
  } catch (err) {
    node = errorBox(err);
  }
  if (location.pathname !== path) return; // the view navigated elsewhere
  if (node) clear(main, node);
  main.removeAttribute('aria-busy');
  const h1 = main.querySelector('h1');
  if (h1) document.title = h1.textContent + ' · ' + t('appName');
}

/** errorBox shows an API error for a page that could not load. */
export function errorBox(err) {
  const msg = err instanceof ApiError && err.status === 403 ? t('forbidden') + ': ' + err.message : err.message;
  return h('div', { class: 'alert error', role: 'alert' }, h('strong', {}, t('error') + ': '), msg);
}

async function boot() {
  setLang(lang());
  try {
    state.me = await get('/api/me').catch((err) => {
      // A role chosen earlier and revoked since: back to the default.
      if (!(err instanceof ApiError) || err.reason !== 'act_as') throw err;
      setActAs('');
      return get('/api/me');
    });
    setCSRF(state.me.csrfToken);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) console.warn('me', err);
    state.me = null;
  }
  window.addEventListener('popstate', render);
  render();
}

boot();
