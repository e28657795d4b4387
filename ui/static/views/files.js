// files.js: attachments in the portal. A form's file field (format
// "attachment", or an array of them) uploads each chosen file at once to
// POST /api/attachments and keeps the ids the form sends; the server checks
// the content and answers errors naming the field, shown next to it. The
// pratica page lists the files it holds and, once paid, the receipt.
import { h, clear } from '../dom.js';
import { upload } from '../api.js';
import { tx, lang } from '../i18n.js';

/** fx is this module's text in the page's language. */
export const fx = (k) => tx(texts[k]) || k;
const texts = {
  choose: { it: 'Scegli un file', en: 'Choose a file', sl: 'Izberi datoteko' },
  uploading: { it: 'Caricamento…', en: 'Uploading…', sl: 'Nalaganje…' },
  remove: { it: 'Rimuovi', en: 'Remove', sl: 'Odstrani' },
  accepts: { it: 'Formati ammessi', en: 'Accepted formats', sl: 'Dovoljene oblike' },
  upTo: { it: 'fino a', en: 'up to', sl: 'do' },
  attachments: { it: 'Allegati', en: 'Attachments', sl: 'Priloge' },
  none: { it: 'Nessun allegato', en: 'No attachments', sl: 'Brez prilog' },
  receipt: { it: 'Scarica la ricevuta di pagamento (PDF)', en: 'Download the payment receipt (PDF)', sl: 'Prenesi potrdilo o plačilu (PDF)' },
  receiptRT: { it: 'Ricevuta telematica pagoPA (XML)', en: 'pagoPA electronic receipt (XML)', sl: 'Elektronsko potrdilo pagoPA (XML)' },
  download: { it: 'Scarica', en: 'Download', sl: 'Prenesi' },
};

const typeNames = { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'application/pkcs7-mime': 'P7M' };
const extensions = { 'application/pdf': '.pdf', 'image/png': '.png', 'image/jpeg': '.jpg,.jpeg', 'application/pkcs7-mime': '.p7m' };

/** isFileField tells whether a (resolved) schema is a file field or a list of them. */
export function isFileField(schema) {
  return schema.format === 'attachment' || (schema.type === 'array' && schema.items && schema.items.format === 'attachment');
}

/** size shows a byte count as KB or MB. */
export function size(n) {
  return n >= 1 << 20 ? (n / (1 << 20)).toFixed(1) + ' MB' : Math.max(1, Math.round(n / 1024)) + ' KB';
}

/** fileField renders a file field: {input, el, value()}. known maps ids the
 * form already holds (an integration's starting data) to their attachments. */
export function fileField({ id, ptr, schema, desc, value, known, error }) {
  const multiple = schema.type === 'array';
  const item = multiple ? schema.items : schema;
  const accept = item['x-accept'] || Object.keys(typeNames);
  const max = item['x-maxSize'] || 10 << 20;
  const files = []; // {id, name, size}
  for (const v of multiple ? (value || []) : (value ? [value] : [])) {
    const a = known?.get(v);
    files.push({ id: v, name: a ? a.name : v.slice(0, 8), size: a ? a.size : 0 });
  }
  const list = h('ul', { class: 'files', 'data-testid': 'files-' + ptr });
  const status = h('p', { class: 'help', 'aria-live': 'polite' });
  const input = h('input', { id, name: ptr, type: 'file', 'aria-describedby': desc, multiple: multiple || undefined,
    accept: accept.map((t) => extensions[t] || t).join(',') });
  const draw = () => clear(list, files.map((f, i) => h('li', {}, h('span', { class: 'file-name' }, f.name), f.size ? ' (' + size(f.size) + ') ' : ' ',
    h('button', { type: 'button', class: 'link', 'aria-label': fx('remove') + ' ' + f.name, onclick: () => { files.splice(i, 1); draw(); } }, fx('remove')))));
  input.addEventListener('change', async () => {
    const chosen = [...input.files];
    input.value = '';
    error.hidden = true;
    for (const file of chosen) {
      status.textContent = fx('uploading') + ' ' + file.name;
      try {
        const a = await upload(file, ptr);
        if (!multiple) files.length = 0;
        if (!files.some((f) => f.id === a.id)) files.push({ id: a.id, name: a.name, size: a.size });
        draw();
      } catch (err) {
        const msg = (err.fields || []).map((f) => f.message).join('; ') || err.message;
        error.textContent = file.name + ': ' + msg;
        error.hidden = false;
        input.setAttribute('aria-invalid', 'true');
      }
    }
    status.textContent = '';
  });
  draw();
  const hint = h('p', { class: 'help' }, fx('accepts') + ': ' + accept.map((t) => typeNames[t] || t).join(', ') + ', ' + fx('upTo') + ' ' + size(max));
  return {
    input,
    el: h('div', { class: 'file-field' }, hint, input, status, list),
    value: () => (multiple ? files.map((f) => f.id) : files[0]?.id),
  };
}

/** attachmentsSection lists a pratica's files with their download links, and the receipt once paid. */
export function attachmentsSection(p) {
  const files = p.extra?.attachments || [];
  const paid = (p.extra?.payments || []).some((pos) => (pos.options || []).some((o) => o.status === 'PO_PAID' || o.state === 'paid'));
  const base = '/api/pratiche/' + encodeURIComponent(p.id);
  return h('section', { 'aria-labelledby': 'files-h' }, h('h2', { id: 'files-h' }, fx('attachments')),
    files.length
      ? h('ul', { class: 'files', 'data-testid': 'attachments' }, files.map((a) => h('li', {},
        h('a', { href: base + '/attachments/' + encodeURIComponent(a.id), download: a.name }, a.name),
        ' (' + (typeNames[a.mediaType] || a.mediaType) + ', ' + size(a.size) + ')')))
      : h('p', { class: 'muted empty' }, fx('none')),
    paid ? h('p', { class: 'd-flex flex-wrap gap-2' },
      h('a', { class: 'btn btn-primary', href: base + '/receipt?format=pdf&lang=' + lang(), 'data-testid': 'receipt' }, fx('receipt')),
      h('a', { class: 'btn btn-outline-primary', href: base + '/receipt', 'data-testid': 'receipt-rt' }, fx('receiptRT'))) : null);
}
