// confirm.js: a modal confirmation (the native <dialog>, focus trapped and
// Escape to cancel by the browser) for what cannot be undone, like publishing.
import { h } from '../dom.js';
import { t } from '../i18n.js';

/** confirmDialog asks title/text and resolves true when the person confirms with ok. */
export function confirmDialog(title, text, ok) {
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'confirm-ok' }, ok);
    const no = h('button', { type: 'button', class: 'btn btn-outline-secondary' }, t('cancel'));
    const dlg = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-h', 'aria-describedby': 'confirm-p' },
      h('h2', { id: 'confirm-h' }, title), h('p', { id: 'confirm-p' }, text), h('div', { class: 'actions' }, no, yes));
    const done = (v) => { dlg.close(); dlg.remove(); resolve(v); };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(dlg);
    dlg.showModal();
    no.focus();
  });
}
