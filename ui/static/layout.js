// layout.js: the frame every page shares, as Designers Italia draws it with
// Bootstrap Italia: the slim header of the Region, the header of the ente
// (crest and name from the catalog), the navigation, the breadcrumbs and the
// footer with contacts, privacy notice and accessibility statement.
import { h, clear } from './dom.js';
import { get } from './api.js';
import { t, lang, setLang, languages } from './i18n.js';

/** assetURL is the URL of a file of ui/static (under the hashed assets path this module came from). */
export function assetURL(name) { return new URL(name, import.meta.url).pathname; }

/** icon is a Bootstrap Italia sprite icon, hidden from screen readers. */
export function icon(name, extra) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'icon ' + (extra || ''));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(ns, 'use');
  use.setAttribute('href', assetURL('vendor/sprites.svg') + '#' + name);
  svg.append(use);
  return svg;
}

/** crestURL is the crest of an ente from the catalog (the generic shield when
 * it has none), or the Region's for the region's own pages. */
export function crestURL(ente) {
  if (!ente || ente === 'region') return assetURL('crests/region.svg');
  return '/api/catalog/enti/' + encodeURIComponent(ente) + '/crest';
}

let enti = null;

/** enteNames maps every ente's IPA code to its name in the catalog (signed in only). */
export async function enteNames() {
  if (!enti) {
    try { enti = new Map((await get('/api/portal/enti')).map((e) => [e.id, e.name])); } catch { enti = null; return new Map(); }
  }
  return enti;
}

/** enteName is the catalog's name of an ente, or the Region's for "region". */
export function enteName(names, id) {
  if (!id || id === 'region') return t('regionName');
  return names.get(id) || t('enteUnknown');
}

/** langSwitch lets a person choose Italian, English or Slovenian; each name
 * is written in its own language. */
export function langSwitch(onChange) {
  return h('ul', { class: 'lang-switch', 'aria-label': t('langLabel') }, languages.map(([code, name]) =>
    h('li', {}, h('button', { type: 'button', class: 'btn btn-link btn-sm', lang: code, 'data-lang': code,
      'aria-pressed': code === lang() ? 'true' : 'false',
      onclick: () => { if (code !== lang()) { setLang(code); onChange(); } } }, name))));
}

/** slimHeader is the Region's bar at the very top, with the language switch and the sign-in or the person. */
export function slimHeader(right) {
  return h('div', { class: 'it-header-slim-wrapper' }, h('div', { class: 'container' }, h('div', { class: 'it-header-slim-wrapper-content' },
    h('a', { class: 'navbar-brand', href: 'https://www.regione.fvg.it', lang: 'it' }, t('regionName')),
    h('div', { class: 'it-header-slim-right-zone' }, right))));
}

/** centerHeader is the ente's bar: crest, name and the service's name. */
export function centerHeader(ente, name, home) {
  return h('div', { class: 'it-header-center-wrapper' }, h('div', { class: 'container' }, h('div', { class: 'it-header-center-content-wrapper' },
    h('div', { class: 'it-brand-wrapper' }, home(h('span', { class: 'brand-link' },
      h('img', { class: 'crest', src: crestURL(ente), alt: '', width: 48, height: 56, 'data-testid': 'crest', 'data-ente': ente || 'region' }),
      h('span', { class: 'it-brand-text' },
        h('span', { class: 'it-brand-title', 'data-testid': 'ente-name' }, name),
        h('span', { class: 'it-brand-tagline' }, t('tagline')))))))));
}

/** navBar is the main navigation; on small screens a button shows and hides it. */
export function navBar(items) {
  if (!items.length) return null;
  const list = h('ul', { class: 'navbar-nav', id: 'main-menu' }, items);
  const toggle = h('button', { type: 'button', class: 'custom-navbar-toggler', 'aria-controls': 'main-menu', 'aria-expanded': 'false',
    'aria-label': t('menu') }, icon('it-burger'));
  const wrap = h('div', { class: 'navbar-collapsable' }, h('div', { class: 'menu-wrapper' }, list));
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    wrap.classList.toggle('expanded', open);
  });
  return h('div', { class: 'it-header-navbar-wrapper' }, h('div', { class: 'container' },
    h('nav', { class: 'navbar navbar-expand-lg', 'aria-label': t('navLabel') }, toggle, wrap)));
}

/** breadcrumbs is the trail from the home page to the current one; the last item is the page. */
export function breadcrumbs(trail, link) {
  return h('nav', { class: 'breadcrumb-container', 'aria-label': t('breadcrumbLabel'), 'data-testid': 'breadcrumbs' },
    h('ol', { class: 'breadcrumb' }, trail.map(([path, text], i) => (i === trail.length - 1
      ? h('li', { class: 'breadcrumb-item active', 'aria-current': 'page' }, text)
      : h('li', { class: 'breadcrumb-item' }, link(path, text), h('span', { class: 'separator', 'aria-hidden': 'true' }, '/'))))));
}

/** renderFooter fills the footer: the ente, its contacts from the catalog, and the legal pages. */
export function renderFooter(el, ente, name, contacts, link) {
  clear(el,
    h('div', { class: 'it-footer-main' }, h('div', { class: 'container' },
      h('div', { class: 'footer-brand' },
        h('img', { class: 'crest', src: crestURL(ente), alt: '', width: 40, height: 46 }),
        h('p', { class: 'footer-title' }, name, h('br'), h('span', { class: 'small' }, t('tagline')))),
      h('div', { class: 'footer-cols' },
        h('section', { 'aria-labelledby': 'footer-contacts' }, h('h2', { id: 'footer-contacts', class: 'footer-heading' }, t('contacts')),
          contacts.length ? h('ul', { class: 'footer-list', 'data-testid': 'contacts' }, contacts.map((c) => h('li', {}, contactLink(c))))
            : h('p', {}, t('contactsNone'))),
        h('section', { 'aria-labelledby': 'footer-info' }, h('h2', { id: 'footer-info', class: 'footer-heading' }, t('footerInfo')),
          h('ul', { class: 'footer-list' },
            h('li', {}, link('/privacy', t('privacyTitle'))),
            h('li', {}, link('/accessibilita', t('a11yTitle'))),
            h('li', {}, h('a', { href: '/openapi.json' }, t('openData')))))))),
    h('div', { class: 'it-footer-small-prints' }, h('div', { class: 'container' },
      h('p', {}, t('regionName') + ' · ' + t('footerNote')))));
}

function contactLink(c) {
  const label = t('contact_' + c.kind) || c.kind;
  const v = c.value;
  const href = c.kind === 'email' || c.kind === 'pec' ? 'mailto:' + v : c.kind === 'telefono' ? 'tel:' + v.replace(/\s+/g, '') : c.kind === 'url' ? v : null;
  return [label + ': ', href ? h('a', { href }, v) : v];
}
