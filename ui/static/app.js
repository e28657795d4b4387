// app.js: boots the portal: who is signed in, the header for their role, and
// a history-API router so every page has a real URL (deep links work).
import { h, clear } from './dom.js';
import { api, get, setCSRF, setActAs, ApiError } from './api.js';
import { t, lang, setLang } from './i18n.js';
import { slimHeader, centerHeader, navBar, breadcrumbs, renderFooter, langSwitch, enteNames, enteName } from './layout.js';
import { a11yView, privacyView } from './views/legal.js';
import { servicesView, startView, mineView } from './views/citizen.js';
import { praticaView } from './views/pratica.js';
import { entePraticheView } from './views/operator.js';
import { inboxView, taskView } from './views/inbox.js';
import { modelerView, templateView, formView } from './views/modeler.js';
import { overlaysView } from './views/admin.js';
import { monitoringView } from './views/monitoring.js';
import { rolesView } from './views/roles.js';

const main = document.getElementById('main');
const header = document.getElementById('header');
const footer = document.getElementById('footer');
const state = { me: null, ente: '' };

// Each route: the pattern, the view, and the page its breadcrumb goes back to.
const routes = [
  [/^\/$/, homeView],
  [/^\/servizi$/, servicesView],
  [/^\/servizi\/([^/]+)$/, startView, '/servizi'],
  [/^\/pratiche$/, (p, ctx) => (ctx.me && ctx.me.role === 'citizen' ? mineView(p, ctx) : entePraticheView(p, ctx))],
  [/^\/pratiche\/([^/]+)$/, praticaView, '/pratiche'],
  [/^\/attivita$/, inboxView],
  [/^\/attivita\/([^/]+)$/, taskView],
  [/^\/modellatore$/, modelerView],
  [/^\/modellatore\/modelli\/([^/]+)$/, templateView, '/modellatore'],
  [/^\/modellatore\/moduli\/([^/]+)$/, formView, '/modellatore'],
  [/^\/personalizzazioni$/, overlaysView],
  [/^\/monitoraggio$/, monitoringView],
  [/^\/ruoli$/, rolesView],
  [/^\/accessibilita$/, a11yView],
  [/^\/privacy$/, privacyView],
];

// Pages anyone may read without signing in.
const publicPaths = ['/', '/accessibilita', '/privacy'];

// The name of each section, for the breadcrumbs.
const sectionKey = {
  '/servizi': 'navServices', '/attivita': 'navInbox', '/modellatore': 'navModeler', '/personalizzazioni': 'navOverlays',
  '/monitoraggio': 'navMonitoring', '/ruoli': 'navRoles',
};

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

async function renderHeader() {
  const me = state.me;
  const here = location.pathname;
  const nav = me ? (navByRole[me.role] || []).map(([p, k]) => {
    const current = here === p || here.startsWith(p + '/');
    return h('li', { class: 'nav-item' }, link(p, t(k), { class: 'nav-link' + (current ? ' active' : ''), 'aria-current': current ? 'page' : undefined }));
  }) : [];
  const names = me ? await enteNames() : new Map();
  const who = me
    ? h('div', { class: 'who' },
      h('span', { class: 'user', 'data-testid': 'user' }, me.name || me.subject, h('small', {}, ' · ', t('role_' + me.role))),
      actAsPicker(me, names),
      h('button', { type: 'button', class: 'btn btn-primary btn-sm', onclick: logout }, t('logout')))
    : h('a', { class: 'btn btn-primary btn-sm', href: '/auth/login?return=' + encodeURIComponent(here + location.search) }, t('login'));
  const ente = state.ente;
  const name = enteName(names, ente);
  document.getElementById('skip').textContent = t('skip');
  clear(header,
    slimHeader([langSwitch(() => { render(); }), who]),
    h('div', { class: 'it-nav-wrapper' }, centerHeader(ente, name, (inner) => link('/', inner)), navBar(nav)));
  const contacts = me && ente && ente !== 'region' ? await enteContacts(ente) : [];
  renderFooter(footer, ente, name, contacts, link);
}

// enteContacts are the distinct contacts of an ente's services in the catalog.
const contactCache = new Map();
async function enteContacts(ente) {
  if (!contactCache.has(ente)) {
    let list = [];
    try {
      const seen = new Set();
      for (const s of await get('/api/catalog/services?ente=' + encodeURIComponent(ente))) {
        for (const c of s.contacts || []) {
          if (c.kind === 'sportello' || seen.has(c.kind + c.value)) continue;
          seen.add(c.kind + c.value);
          list.push(c);
        }
      }
    } catch { list = []; }
    contactCache.set(ente, list.slice(0, 4));
  }
  return contactCache.get(ente);
}

/** defaultEnte is the ente a page shows in its header: a pratica's own (set by
 * its view), the staff member's, the one the citizen browses, else Trieste. */
function defaultEnte(me) {
  if (!me) return 'region'; // the enti's names are for signed-in people: the Region's portal until then
  if (me.role !== 'citizen' && me.ente) return me.ente;
  const q = new URLSearchParams(location.search).get('ente');
  if (q) return q.split(',')[0];
  if (me.role === 'regional-admin') return 'region';
  return 'c_l424';
}

/** actAsPicker lets a person with several roles (or a role and their own
 * pratiche) choose which one the portal acts in. */
function actAsPicker(me, names) {
  const choices = me.choices || [];
  if (choices.length < 2) return null;
  const label = (c) => (c === 'citizen' ? t('actAsCitizen') : t('role_' + c.split('@')[0]) + ' · ' + enteName(names, c.split('@')[1]));
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
}

function homeView(_p, ctx) {
  const me = ctx.me;
  if (!me) {
    return h('section', { class: 'hero' },
      h('h1', {}, t('welcomeTitle')),
      h('p', { class: 'lead' }, t('welcomeText')),
      h('a', { class: 'btn btn-primary', href: '/auth/login?return=/' }, t('login')));
  }
  const first = (navByRole[me.role] || [])[0];
  if (first) { history.replaceState({}, '', first[0]); return render(); }
  return h('p', {}, t('signedAs'), ' ', me.name || me.subject);
}

async function render() {
  const path = location.pathname;
  state.ente = defaultEnte(state.me);
  document.title = t('appName');
  main.setAttribute('aria-busy', 'true');
  clear(main, h('p', { class: 'text-muted' }, t('loading')));
  const ctx = { me: state.me, navigate, link, refresh: render, setEnte: (e) => { if (e) state.ente = e; } };
  let node, parent;
  try {
    const hit = routes.map(([re, v, up]) => [path.match(re), v, up]).find(([m]) => m);
    if (!hit) node = h('section', {}, h('h1', {}, t('notFound')));
    else if (!state.me && !publicPaths.includes(path)) {
      location.assign('/auth/login?return=' + encodeURIComponent(path + location.search));
      return;
    } else {
      parent = hit[2];
      node = await hit[1](hit[0].slice(1).map(decodeURIComponent), ctx);
    }
  } catch (err) {
    node = errorBox(err);
  }
  if (location.pathname !== path) return; // the view navigated elsewhere
  await renderHeader();
  if (location.pathname !== path) return;
  if (node) clear(main, node);
  main.removeAttribute('aria-busy');
  const h1 = main.querySelector('h1');
  if (h1) document.title = h1.textContent + ' · ' + t('appName');
  if (path !== '/' && h1) {
    const trail = [['/', t('home')]];
    const section = parent || path;
    if (parent && sectionKey[parent]) trail.push([parent, t(sectionKey[parent])]);
    else if (parent === '/pratiche') trail.push([parent, state.me && state.me.role === 'citizen' ? t('navMine') : t('navPratiche')]);
    else if (sectionKey[section] && section !== path) trail.push([section, t(sectionKey[section])]);
    trail.push([path, h1.textContent]);
    main.prepend(breadcrumbs(trail, link));
  }
}

/** errorBox shows an API error for a page that could not load. */
export function errorBox(err) {
  const msg = err instanceof ApiError && err.status === 403 ? t('forbidden') + ': ' + err.message : err.message;
  return h('div', { class: 'alert alert-danger', role: 'alert' }, h('strong', {}, t('error') + ': '), msg);
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
