// validate.js: checks form data against the form's JSON Schema in the browser
// with @cfworker/json-schema (vendor/forms, built by ui/build) and the custom
// formats of formats.js, and turns what it finds into the server's shape:
// [{field: JSON pointer, message}], a missing property at its own pointer,
// every problem at once, messages in the page's language.
import { Validator, format } from '../vendor/forms/json-schema.js';
import { customFormats } from './formats.js';
import { message } from './messages.js';

Object.assign(format, customFormats);

// Keywords that only report that something below them failed.
const wrappers = new Set(['properties', 'patternProperties', 'items', 'prefixItems', 'allOf',
  'anyOf', 'oneOf', '$ref', '$recursiveRef', 'if', 'then', 'else', 'not', 'dependentSchemas', 'unevaluatedProperties',
  'unevaluatedItems', 'contains', 'additionalItems', 'dependencies', 'propertyNames']);

const cache = new WeakMap();

/** validator is the (cached) validator of a schema, draft 2020-12, reporting every error. */
export function validator(schema) {
  let v = cache.get(schema);
  if (!v) {
    v = new Validator(schema, '2020-12', false);
    cache.set(schema, v);
  }
  return v;
}

/** matches tells whether data satisfies schema (an "if" of the form, say). */
export function matches(schema, data) {
  return new Validator(schema, '2020-12', true).validate(data).valid;
}

/** validate returns the problems of data against schema, [] when valid. */
export function validate(schema, data, lang) {
  const res = validator(schema).validate(data);
  if (res.valid) return [];
  const out = [];
  const seen = new Set();
  const add = (field, msg) => {
    const k = field + '\u0000' + msg;
    if (!seen.has(k)) {
      seen.add(k);
      out.push({ field, message: msg });
    }
  };
  const extra = new Set();
  for (const e of res.errors) {
    if (wrappers.has(e.keyword)) continue;
    const at = e.instanceLocation.replace(/^#/, '');
    const num = (e.error.match(/(-?[0-9.e+]+)\)?\.$/) || [])[1];
    switch (e.keyword) {
      case 'required': {
        // A missing block is reported at each of its required fields, so each can be marked.
        const ptr = at + '/' + escape(/"(.*)"/.exec(e.error)[1]);
        for (const leaf of requiredLeaves(schema, ptr)) add(leaf, message('required', '', lang));
        break;
      }
      case 'additionalProperties': {
        const ptr = at + '/' + escape(/"(.*)"/.exec(e.error)[1]);
        extra.add(ptr);
        add(ptr, message('notField', '', lang));
        break;
      }
      case 'false':
        if (!extra.has(at)) add(at || '/', message('notAllowed', '', lang));
        break;
      case 'format':
        add(at || '/', message('format:' + /"(.*)"/.exec(e.error)[1], '', lang));
        break;
      case 'type':
        add(at || '/', message('type', /Expected "(.*)"/.exec(e.error)[1].split('", "').join(','), lang));
        break;
      default:
        add(at || '/', message(e.keyword, num, lang));
    }
  }
  out.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  return out;
}

const escape = (k) => k.replaceAll('~', '~0').replaceAll('/', '~1');

/** schemaAt follows a JSON pointer of the data through the schema's
 * properties (and local $refs); undefined when it cannot tell. */
export function schemaAt(root, ptr) {
  let s = deref(root, root);
  for (const tok of ptr.split('/').slice(1)) {
    const key = tok.replaceAll('~1', '/').replaceAll('~0', '~');
    s = deref(root, s?.properties?.[key]);
    if (!s) return undefined;
  }
  return s;
}

/** deref resolves a schema's local "$ref" (#/$defs/...). */
export function deref(root, s) {
  for (let guard = 0; s && typeof s.$ref === 'string' && s.$ref.startsWith('#/') && guard < 10; guard++) {
    s = s.$ref.slice(2).split('/').reduce((o, k) => (o ? o[k.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined), root);
  }
  return s;
}

/** requiredLeaves lists the pointers a missing value at ptr leaves empty: the
 * value itself, or, for a block of fields, each of its required fields (depth first). */
function requiredLeaves(root, ptr, depth = 0) {
  const s = schemaAt(root, ptr);
  if (!s || !s.properties || !Array.isArray(s.required) || !s.required.length || depth > 8) return [ptr];
  return s.required.flatMap((k) => (s.properties[k] ? requiredLeaves(root, ptr + '/' + escape(k), depth + 1) : [ptr + '/' + escape(k)]));
}
