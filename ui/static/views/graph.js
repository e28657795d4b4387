// graph.js: a template drawn as a graph: steps as nodes, transitions as edges,
// laid out by dagre (ui/static/vendor/graph, built by `make ui`) and drawn as
// SVG. Nodes are focusable buttons; a selected step's properties are edited in
// a form generated from its step type's schema (GET /api/modeler/step-types);
// the server's problems are marked on the nodes and a dry run's path is drawn.
import dagre from '../vendor/graph/dagre.js';
import { h, clear } from '../dom.js';
import { t, tx, txLang } from '../i18n.js';
import { schemaForm } from './schemaform.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 190, H = 58;

function s(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null && v !== false) el.setAttribute(k, String(v));
  for (const c of kids.flat()) if (c !== undefined && c !== null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** edgesOf lists the transitions leaving step: [to, label]. */
export function edgesOf(step) {
  const out = [];
  const add = (to, label, lang) => { if (to) out.push([to, label || '', lang]); };
  for (const b of step.parallel?.branches || []) add(b, '');
  if (step.type !== 'task' && step.type !== 'decision') add(step.next, '');
  else if (step.type === 'decision') add(step.decision?.default, t('edgeOtherwise'));
  for (const o of step.task?.outcomes || []) add(o.next, tx(o.label) || o.action, txLang(o.label));
  for (const c of step.decision?.cases || []) add(c.next, c.when, 'zxx');
  add(step.payment?.onExpiry, t('edgeExpiry'));
  add(step.deadline?.next, t('edgeSilence'));
  return out;
}

/** problemsByStep maps the server's problems (/steps/N/...) to step ids. */
export function problemsByStep(doc, problems) {
  const out = new Map();
  for (const p of problems || []) {
    const m = /^\/steps\/(\d+)/.exec(p.field || '');
    const id = m ? doc.steps[Number(m[1])]?.id : null;
    const key = id || '';
    if (!out.has(key)) out.set(key, []);
    out.get(key).push(p);
  }
  return out;
}

/** defaults are a new step's configuration of each type, wired to next. */
export function defaults(type, next) {
  const txt = (it, en, sl) => ({ it, en, sl });
  return {
    form: { formId: '', version: 1 },
    task: { role: 'operator', outcomes: [{ action: 'approve', label: txt('Approva', 'Approve', 'Odobri'), next }] },
    payment: { amountCents: 1600, taxonomy: '9/0104102TS/', remittance: txt('Diritti di istruttoria', 'Processing fee', 'Upravna taksa'), dueDays: 10, expiryDays: 30 },
    notify: { channel: 'appio', subject: txt('Aggiornamento della pratica', 'Update on your request', 'Posodobitev vloge'),
      markdown: txt('La tua pratica è andata avanti: trovi lo stato aggiornato nella tua area personale dello Sportello.',
        'Your request has moved on: you find its current state in your personal area of the Sportello.',
        'Vaša vloga je napredovala: trenutno stanje najdete v svojem osebnem prostoru na portalu Sportello.') },
    ledger: { kind: 'accertamento', capitolo: '1000' },
    wait: { duration: '24h' },
    deadline: { days: 30, onExpiry: 'escalate', substitute: 'segretario-comunale' },
    decision: { cases: [{ when: 'true', next }] },
    parallel: { branches: [] },
    end: { outcome: 'completed', message: txt('Pratica conclusa', 'Request completed', 'Vloga zaključena') },
  }[type];
}

/** templateGraph returns {el, setProblems, showPath} for the template doc
 * (edited in place); onChange runs after every edit. */
export function templateGraph(doc, stepTypes, onChange) {
  const types = new Map(stepTypes.map((st) => [st.type, st]));
  let selected = doc.start || doc.steps[0]?.id || null;
  let problems = new Map();
  let path = [];
  const canvas = h('div', { class: 'graph-canvas' });
  const props = h('section', { class: 'graph-props', 'aria-labelledby': 'gp-h', 'data-testid': 'step-props' });
  const live = h('div', { class: 'visually-hidden', 'aria-live': 'polite' });
  const stepById = (id) => doc.steps.find((x) => x.id === id);
  const typeLabel = (type) => tx(types.get(type)?.label) || type;

  function draw() {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 46, marginx: 8, marginy: 8 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const st of doc.steps) g.setNode(st.id, { width: W, height: H });
    let n = 0;
    for (const st of doc.steps) {
      for (const [to, label, lang] of edgesOf(st)) {
        if (!stepById(to)) continue;
        g.setEdge(st.id, to, { label, lang, width: label ? Math.min(140, label.length * 6.5 + 8) : 0, height: label ? 18 : 0, labelpos: 'c' }, 'e' + (n++));
      }
    }
    dagre.layout(g);
    const { width, height } = g.graph();
    const onPath = new Set(path);
    const descs = h('div', { class: 'visually-hidden' });
    const pathEdges = new Set(path.slice(1).map((id, i) => path[i] + '→' + id));
    const svg = s('svg', { viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`, width: Math.ceil(width), class: 'graph', role: 'group', 'aria-label': t('graphLabel') },
      s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#5c6f82' })),
        s('marker', { id: 'arrow-path', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#00664d' }))));
    for (const e of g.edges()) {
      const ed = g.edge(e);
      const taken = pathEdges.has(e.v + '→' + e.w);
      let d = ed.points.map((p, i) => (i ? 'L' : 'M') + p.x.toFixed(1) + ',' + p.y.toFixed(1)).join(' ');
      if (e.v === e.w) {
        // A step leading back to itself (an integration request): a loop on its right side.
        const nd = g.node(e.v), x = nd.x + W / 2, y = nd.y;
        d = `M${x},${y - 12} C${x + 46},${y - 34} ${x + 46},${y + 34} ${x},${y + 12}`;
        Object.assign(ed, { x: x + 30, y: y - 30 });
      }
      svg.append(s('path', { d, class: 'edge' + (taken ? ' taken' : ''), 'marker-end': taken ? 'url(#arrow-path)' : 'url(#arrow)', 'data-edge': e.v + '→' + e.w }));
      if (ed.label) svg.append(s('text', { x: ed.x, y: ed.y + 4, class: 'edge-label', 'text-anchor': 'middle', lang: ed.lang }, ed.label.length > 22 ? ed.label.slice(0, 21) + '…' : ed.label));
    }
    for (const st of doc.steps) {
      const nd = g.node(st.id);
      const ps = problems.get(st.id) || [];
      const order = path.indexOf(st.id);
      const title = tx(st.title) || st.id;
      const cls = ['node', st.id === selected ? 'selected' : '', ps.length ? 'has-problem' : '', onPath.has(st.id) ? 'on-path' : '', st.id === doc.start ? 'start' : ''].filter(Boolean).join(' ');
      // The node's name is its visible text; what its look says (first step,
      // problems, on the simulated path) is its description.
      const descId = 'gd-' + doc.steps.indexOf(st);
      descs.append(h('span', { id: descId }, [st.id === doc.start ? t('graphStart') : '', ps.length ? t('problems') + ': ' + ps.length : '',
        order >= 0 ? t('graphOnPath') + ' ' + (order + 1) : ''].filter(Boolean).join(' · ')));
      const node = s('g', { class: cls, transform: `translate(${(nd.x - W / 2).toFixed(1)},${(nd.y - H / 2).toFixed(1)})`, role: 'button', tabindex: 0,
        'aria-pressed': String(st.id === selected), 'aria-describedby': descId, 'data-step': st.id },
      s('rect', { width: W, height: H, rx: 6 }),
      s('text', { x: 10, y: 23, class: 'node-title', lang: txLang(st.title) }, title.length > 24 ? title.slice(0, 23) + '…' : title),
      s('text', { x: 10, y: 44, class: 'node-type' }, typeLabel(st.type)),
      ps.length ? s('text', { x: W - 10, y: 23, class: 'node-flag', 'text-anchor': 'end' }, '⚠ ' + ps.length) : null,
      order >= 0 ? s('text', { x: W - 10, y: 44, class: 'node-order', 'text-anchor': 'end' }, '#' + (order + 1)) : null);
      node.addEventListener('click', () => select(st.id));
      node.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(st.id, true); }
        const d = e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : e.key === 'ArrowUp' || e.key === 'ArrowLeft' ? -1 : 0;
        if (d) {
          e.preventDefault();
          const all = [...svg.querySelectorAll('g.node')];
          all[(all.indexOf(node) + d + all.length) % all.length].focus();
        }
      });
      svg.append(node);
    }
    clear(canvas, svg, descs);
  }

  function select(id, focusProps) {
    selected = id;
    draw();
    drawProps();
    canvas.querySelector(`g.node[data-step="${CSS.escape(id)}"]`)?.focus();
    if (focusProps) props.querySelector('input, select, textarea')?.focus();
  }

  function drawProps() {
    const st = stepById(selected);
    if (!st) { clear(props, h('h2', { id: 'gp-h' }, t('graphProps')), h('p', {}, t('graphPick'))); return; }
    const type = types.get(st.type);
    const titleInputs = ['it', 'en', 'sl'].map((l) => {
      const el = h('input', { id: 'gp-title-' + l, type: 'text', lang: l, value: st.title?.[l] || '' });
      return [l, el, h('div', { class: 'sf-row' }, h('label', { for: el.id }, t('fbLabel') + ' (' + t('lang_' + l) + ')'), el)];
    });
    const stepOpts = doc.steps.filter((x) => x.id !== st.id).map((x) => [x.id, tx(x.title) || x.id]);
    const hasNext = !['end', 'task', 'decision'].includes(st.type);
    const next = h('select', { id: 'gp-next' }, h('option', { value: '' }, t('choose')), stepOpts.map(([v, l]) => h('option', { value: v }, l)));
    next.value = st.next || '';
    const form = type ? schemaForm(JSON.parse(JSON.stringify(type.schema)), st[st.type], { steps: stepOpts, legend: typeLabel(st.type) }) : null;
    const ps = problems.get(st.id) || [];
    const apply = h('button', { type: 'button', class: 'btn btn-primary btn-sm' }, t('graphApply'));
    apply.addEventListener('click', () => {
      const title = {};
      for (const [l, el] of titleInputs) if (el.value.trim()) title[l] = el.value;
      st.title = { it: '', en: '', ...title };
      if (hasNext) { if (next.value) st.next = next.value; else delete st.next; }
      if (form) st[st.type] = form.value();
      live.textContent = t('graphApplied') + ': ' + (tx(st.title) || st.id);
      onChange();
      draw();
    });
    const remove = h('button', { type: 'button', class: 'btn btn-outline-danger btn-sm' }, t('graphRemove'));
    remove.addEventListener('click', () => {
      const to = st.next || '';
      doc.steps = doc.steps.filter((x) => x !== st);
      for (const x of doc.steps) {
        if (x.next === st.id) { if (to) x.next = to; else delete x.next; }
        for (const o of x.task?.outcomes || []) if (o.next === st.id) o.next = to;
        for (const c of x.decision?.cases || []) if (c.next === st.id) c.next = to;
      }
      if (doc.start === st.id) doc.start = to || doc.steps[0]?.id || '';
      selected = doc.start;
      live.textContent = t('graphRemoved') + ': ' + (tx(st.title) || st.id);
      onChange();
      draw();
      drawProps();
    });
    clear(props, h('h2', { id: 'gp-h' }, t('graphProps'), ': ', h('span', { lang: txLang(st.title) }, tx(st.title) || st.id)),
      h('p', { class: 'meta' }, t('colId'), ': ', h('code', { class: 'tech-id' }, st.id), ' · ', typeLabel(st.type)),
      ps.length ? h('div', { class: 'alert alert-danger', role: 'alert' }, h('ul', { class: 'problems' }, ps.map((p) => h('li', {}, h('code', {}, p.field), ' ', p.message)))) : null,
      titleInputs.map(([, , row]) => row),
      hasNext ? h('div', { class: 'sf-row' }, h('label', { for: 'gp-next' }, t('graphNext')), next) : null,
      form ? form.el : null,
      h('div', { class: 'actions' }, apply, remove));
  }

  // The palette: a step of the chosen type goes after the selected one.
  const typeSel = h('select', { id: 'gp-type' }, stepTypes.map((st) => h('option', { value: st.type }, tx(st.label))));
  const addBtn = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm' }, t('graphAdd'));
  addBtn.addEventListener('click', () => {
    const type = typeSel.value;
    let n = 1;
    while (stepById(type + '-' + n)) n++;
    const id = type + '-' + n;
    const after = stepById(selected);
    const next = after && !['end', 'task', 'decision'].includes(after.type) ? after.next || '' : '';
    const st = { id, type, title: { it: '', en: '', ...types.get(type).label } };
    if (!['end', 'task', 'decision'].includes(type) && next) st.next = next;
    st[type] = defaults(type, next);
    doc.steps.push(st);
    if (after && !['end', 'task', 'decision'].includes(after.type)) after.next = id;
    live.textContent = t('graphAdded') + ': ' + tx(st.title);
    onChange();
    select(id, true);
  });
  const palette = h('div', { class: 'graph-palette' }, h('label', { for: 'gp-type' }, t('graphPalette')), typeSel, addBtn);

  draw();
  drawProps();
  return {
    el: h('div', { class: 'graph-editor' }, palette, h('p', { class: 'meta' }, t('graphHelp')), h('div', { class: 'graph-layout' }, canvas, props), live),
    setProblems(list) { problems = problemsByStep(doc, list); draw(); drawProps(); },
    showPath(ids) { path = ids; draw(); },
    redraw() { selected = stepById(selected) ? selected : doc.start; draw(); drawProps(); },
  };
}
