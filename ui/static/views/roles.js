// roles.js: the ente admin's page of staff roles: who holds which role in the
// ente and for which offices, giving a role to a person (codice fiscale or eIDAS
// identifier) and taking it back. The server checks every rule; the page only asks.
import { h, clear, fmtDateTime } from '../dom.js';
import { get, api, post } from '../api.js';
import { t, lang } from '../i18n.js';
import { table, notice, busy, empty } from './common.js';
import { enteNames, enteName } from '../layout.js';

/** rolesView lists the ente's role assignments with a form to add one. */
export async function rolesView(_p, ctx) {
  // The region manages every ente's roles (?ente=) and its own regional ones.
  const asked = new URLSearchParams(location.search).get('ente') || '';
  const ente = (ctx.me.role === 'regional-admin' && asked) || ctx.me.ente;
  const base = '/api/enti/' + encodeURIComponent(ente) + '/roles';
  const [list, units] = await Promise.all([get(base), get('/api/catalog/enti/' + encodeURIComponent(ente) + '/units').catch(() => [])]);
  const unitName = new Map(units.map((u) => [u.code, u.name]));
  const names = await enteNames();
  const status = h('div', { 'aria-live': 'polite' });
  const reload = () => ctx.refresh();
  const rows = list.map((a) => {
    const revoke = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', 'data-testid': 'revoke' }, t('rolesRevoke'));
    revoke.addEventListener('click', () => busy(revoke, async () => {
      try { await api('DELETE', base + '/' + encodeURIComponent(a.id)); reload(); } catch (err) { clear(status, notice('error', err.message)); }
    }));
    return [a.person, t('role_' + a.role), (a.offices || []).map((c) => unitName.get(c) || c).join(', ') || t('rolesAllOffices'), a.grantedBy, fmtDateTime(a.grantedAt, lang()), revoke];
  });
  const person = h('input', { id: 'role-person', name: 'person', required: true, autocomplete: 'off', 'aria-describedby': 'role-person-help' });
  const role = h('select', { id: 'role-role', name: 'role' },
    (ente === 'region' ? ['designer', 'regional-admin'] : ['operator', 'ente-admin']).map((r) => h('option', { value: r }, t('role_' + r))));
  const offices = h('select', { id: 'role-offices', name: 'offices', multiple: true, size: Math.min(6, Math.max(2, units.length)) },
    units.map((u) => h('option', { value: u.code }, u.name)));
  const add = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'grant' }, t('rolesGrant'));
  const form = h('form', { class: 'card', 'data-testid': 'grant-role', onsubmit: async (e) => {
    e.preventDefault();
    await busy(add, async () => {
      try {
        const body = { person: person.value.trim(), role: role.value };
        const picked = [...offices.selectedOptions].map((o) => o.value);
        if (picked.length) body.offices = picked;
        await post(base, body);
        clear(status, notice('ok', t('done')));
        reload();
      } catch (err) {
        const f = (err.fields || []).map((x) => x.field + ': ' + x.message).join('; ');
        clear(status, notice('error', f || err.message));
      }
    });
  } },
  h('h2', {}, t('rolesAdd')),
  h('label', { for: 'role-person' }, t('rolesPerson')), person,
  h('small', { id: 'role-person-help', class: 'text-muted' }, t('rolesPersonHelp')),
  h('label', { for: 'role-role' }, t('rolesRole')), role,
  h('label', { for: 'role-offices' }, t('rolesOffices')), offices,
  h('small', { class: 'text-muted' }, t('rolesOfficesHelp')), add);
  return h('section', {}, h('h1', {}, t('rolesTitle') + ' · ' + enteName(names, ente)), status,
    rows.length ? table(null, [t('rolesPerson'), t('rolesRole'), t('rolesOffices'), t('rolesGrantedBy'), t('rolesGrantedAt'), ''], rows, { 'data-testid': 'roles' }) : empty(t('rolesNone')),
    form);
}
