// forms.mjs: the entry of the forms bundle (ui/static/vendor/forms/json-schema.js):
// @cfworker/json-schema, a maintained JSON Schema validator (drafts 4 to
// 2020-12) that interprets the schema instead of compiling it with
// new Function, so it runs under the portal's Content-Security-Policy.
export { Validator, format } from '@cfworker/json-schema';
