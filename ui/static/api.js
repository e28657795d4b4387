// api.js: calls to the Sportello API with the session cookie. Unsafe methods
// carry the CSRF token that GET /api/me hands out.
import { lang } from './i18n.js';

let csrf = '';

/** ApiError is a non-2xx answer in the server's error shape. */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || '';
    this.reason = e.reason || '';
    this.fields = e.fields || [];
  }
}

/** actAs is the role the person chose to act in (X-Sportello-Act-As), kept for
 * the browser tab; empty: the server's default. */
export function actAs() { return sessionStorage.getItem('actAs') || ''; }
/** setActAs chooses the role of the following requests; '' goes back to the default. */
export function setActAs(v) { if (v) sessionStorage.setItem('actAs', v); else sessionStorage.removeItem('actAs'); }

/** setCSRF stores the token of the current session. */
export function setCSRF(token) { csrf = token || ''; }

/** api sends a JSON request and returns the decoded answer (null for 204). */
export async function api(method, path, body, extraHeaders) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang(), ...(extraHeaders || {}) };
  if (actAs()) headers['X-Sportello-Act-As'] = actAs();
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string') {
      payload = body;
      headers['Content-Type'] = headers['Content-Type'] || 'application/json';
    } else {
      payload = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { error: { message: text } }; }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** get is api('GET', path). */
export const get = (path) => api('GET', path);
/** post is api('POST', path, body). */
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);

/** upload sends a file as the body of POST /api/attachments (its type in
 * Content-Type, its name and form field in the query) and returns the attachment. */
export async function upload(file, field) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang(), 'X-CSRF-Token': csrf,
    'Content-Type': file.type || 'application/octet-stream' };
  if (actAs()) headers['X-Sportello-Act-As'] = actAs();
  const q = new URLSearchParams({ name: file.name, field: field || '' });
  const res = await fetch('/api/attachments?' + q, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { error: { message: text } }; }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/**
 * getPage returns one page of a list: {items, total, capped} from X-Total-Count
 * and X-Total-Capped (true when the server stopped counting at total: more match).
 */
export async function getPage(path) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang() };
  if (actAs()) headers['X-Sportello-Act-As'] = actAs();
  const res = await fetch(path, { headers, credentials: 'same-origin' });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { error: { message: text } }; }
  if (!res.ok) throw new ApiError(res.status, data);
  return { items: data || [], total: Number(res.headers.get('X-Total-Count') || (data || []).length),
    capped: res.headers.get('X-Total-Capped') === 'true' };
}
