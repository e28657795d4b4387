// admin.js: an ente administrator's overlays of the regional templates, and
// the region's monitoring of the agreement with its CSV.
import { h } from '../dom.js';
import { get, ApiError } from '../api.js';
import { t, tx, lang } from '../i18n.js';
import { table, empty, badge, serviceNames, serviceName } from './common.js';
import { enteNames, enteName } from '../layout.js';
import { fmtNumber } from '../dom.js';

/** overlaysView shows, for every regional template, the ente's overlay values
 * and, when a regional publish could not carry an overlay along, that it needs
 * review: the problems to fix and what changed in the regional template. */
export async function overlaysView(_p, ctx) {
  const ente = ctx.me.ente;
  // One card per regional template: the list has every version, newest first.
  const templates = (await get('/api/modeler/templates')).filter((x) => !x.id.includes('.') && x.status === 'published')
    .filter((x, i, all) => all.findIndex((y) => y.id === x.id) === i);
  const states = new Map((await get('/api/modeler/overlays/' + encodeURIComponent(ente))).map((r) => [r.template, r]));
  const cards = await Promise.all(templates.map(async (tp) => {
    let ov = null;
    try { ov = await get('/api/modeler/overlays/' + encodeURIComponent(ente) + '/' + encodeURIComponent(tp.id)); } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
    }
    const st = states.get(tp.id);
    return h('li', { class: 'card', 'data-testid': 'overlay-' + tp.id }, h('h2', {}, tx(tp.title) || tp.id),
      ov ? [h('p', {}, t('baseVersion') + ': ' + ov.baseVersion), st ? reviewOf(st) : null, h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(ov.values, null, 2))]
        : empty(t('overlayNone')));
  }));
  return h('section', {}, h('h1', {}, t('overlaysTitle') + ' · ' + enteName(await enteNames(), ente)), h('ul', { class: 'cards' }, cards));
}

/** reviewOf says whether an overlay is live on the latest regional version or waits for review, and why. */
function reviewOf(st) {
  if (st.review !== 'needs_review') return h('p', {}, h('span', { class: 'badge bg-success' }, t('overlayLive')));
  const d = st.diff || {};
  const changes = [].concat(
    (d.reasons || []),
    (d.stepsChanged || []).map((x) => t('stepChanged') + ' ' + x),
    (d.stepsAdded || []).map((x) => t('stepAdded') + ' ' + x),
    (d.stepsRemoved || []).map((x) => t('stepRemoved') + ' ' + x));
  return h('div', { class: 'review', 'data-testid': 'needs-review' },
    h('p', {}, h('span', { class: 'badge bg-warning' }, t('overlayNeedsReview')), ' ', (d.from || '') + ' → ' + (d.to || '')),
    h('ul', {}, (st.problems || []).map((p) => h('li', {}, h('code', {}, p.field), ' ', p.message))),
    changes.length ? [h('p', {}, t('regionalChanges')), h('ul', {}, changes.map((c) => h('li', {}, c)))] : null);
}
