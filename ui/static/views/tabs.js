// tabs.js: accessible tabs (WAI-ARIA tabs pattern): a tab list whose arrow
// keys move between tabs, each tab controlling one panel.
import { h } from '../dom.js';

/** tabs returns the tab list and panels for [[label, panel, onShow?], ...];
 * id prefixes the ids. The first tab is shown; onShow runs when its tab opens. */
export function tabs(id, items) {
  const buttons = [];
  const panels = items.map(([, panel], i) => h('div', { id: `${id}-panel-${i}`, role: 'tabpanel', 'aria-labelledby': `${id}-tab-${i}`, tabindex: '0', class: 'tab-panel', hidden: i !== 0 }, panel));
  const show = (n, focus) => {
    buttons.forEach((b, i) => {
      b.setAttribute('aria-selected', String(i === n));
      b.tabIndex = i === n ? 0 : -1;
      b.classList.toggle('active', i === n);
      panels[i].hidden = i !== n;
    });
    if (focus) buttons[n].focus();
    items[n][2]?.();
  };
  items.forEach(([label], i) => {
    const b = h('button', { type: 'button', role: 'tab', id: `${id}-tab-${i}`, class: 'tab' + (i === 0 ? ' active' : ''), 'aria-controls': `${id}-panel-${i}`,
      'aria-selected': String(i === 0), tabindex: i === 0 ? '0' : '-1' }, label);
    b.addEventListener('click', () => show(i));
    b.addEventListener('keydown', (e) => {
      const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (d) { e.preventDefault(); show((i + d + items.length) % items.length, true); }
    });
    buttons.push(b);
  });
  return h('div', { class: 'tabs' }, h('div', { role: 'tablist', class: 'tablist' }, buttons), panels);
}
