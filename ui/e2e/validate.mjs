// validate.mjs: reads [{schema, data, lang}] as JSON on standard input and
// prints, for each, the browser validator's findings [{field, message}] as
// JSON: the other half of ui/forms_parity_test.go, which compares them with
// the server's (modeler.Validate) on the same samples.
import { validate } from '../static/forms/validate.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const cases = JSON.parse(input);
process.stdout.write(JSON.stringify(cases.map((c) => validate(c.schema, c.data, c.lang || 'it'))));
