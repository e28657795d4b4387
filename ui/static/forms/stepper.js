// stepper.js: a long form laid out as a Bootstrap Italia stepper: the steps
// in the header (the current one with aria-current="step"), one pane shown,
// Back and Next; Next asks the form whether its step may be left.
import { h, clear } from '../dom.js';
import { tx } from '../i18n.js';

const texts = {
  next: { it: 'Avanti', en: 'Next', sl: 'Naprej' },
  prev: { it: 'Passo precedente', en: 'Previous step', sl: 'Prejšnji korak' },
  steps: { it: 'Passaggi del modulo', en: 'Form steps', sl: 'Koraki obrazca' },
  stepOf: { it: 'Passo {i} di {n}', en: 'Step {i} of {n}', sl: 'Korak {i} od {n}' },
  done: { it: 'completato', en: 'completed', sl: 'končano' },
};
const ft = (k) => tx(texts[k]);

/** stepper lays panes ([{el, title}]) out as steps; canLeave(i) says whether
 * Next may leave step i (showing why not). It returns {el, go(i, focus), paneOf(node)}. */
export function stepper(panes, canLeave) {
  let current = 0;
  const header = h('ol', { class: 'steppers-list' });
  const index = h('span', { class: 'steppers-index', 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm steppers-btn-prev', 'data-testid': 'step-prev',
    onclick: () => go(current - 1, true) }, ft('prev'));
  const next = h('button', { type: 'button', class: 'btn btn-primary btn-sm steppers-btn-next', 'data-testid': 'step-next',
    onclick: () => { if (canLeave(current)) go(current + 1, true); } }, ft('next'));
  const el = h('div', { class: 'steppers form-steppers', 'data-testid': 'form-stepper' },
    h('nav', { class: 'steppers-header', 'aria-label': ft('steps') }, header, index),
    h('div', { class: 'steppers-content' }, panes.map((p) => p.el)),
    h('div', { class: 'steppers-nav' }, prev, next));

  function go(i, focus) {
    current = Math.max(0, Math.min(panes.length - 1, i));
    panes.forEach((p, k) => { p.el.hidden = k !== current; });
    clear(header, panes.map((p, k) => h('li', { class: k < current ? 'confirmed' : k === current ? 'active' : '', 'aria-current': k === current ? 'step' : undefined },
      p.title, k < current ? h('span', { class: 'visually-hidden' }, ' (' + ft('done') + ')') : null)));
    index.textContent = ft('stepOf').replace('{i}', current + 1).replace('{n}', panes.length);
    prev.disabled = current === 0;
    next.hidden = current === panes.length - 1;
    if (focus) panes[current].el.querySelector('input, select, textarea')?.focus();
  }
  go(0, false);
  return { el, go, paneOf: (node) => panes.findIndex((p) => p.el.contains(node)) };
}
