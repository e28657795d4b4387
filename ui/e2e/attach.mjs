// attach.mjs: attachments and the inbox table in headless Chromium. Mario
// attaches a PDF to the general request (an HTML file named .pdf is refused
// next to the field), submits, and sees the file on his pratica. Two more
// pratiche come in through the API (Giulia's and Mario's). The Trieste
// operator sorts the inbox by applicant both ways, searches a name, filters
// by a service with no tasks, opens a task and finds the submitted data
// read-only with the file, which downloads.
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node attach.mjs
// Prints "ok <step>" per step and PASS, or "FAIL <step>: why" and exits 1.
import { base, newPage, login, expect, step, run } from './harness.mjs';

const service = 'c_l424.richiesta-generica';
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
let page = await newPage();
let praticaId = '';

// token and api speak to the API as a demo user, as an outside client would.
async function token(user) {
  const r = await fetch(base + '/idp/oauth/token', { method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: user, client_secret: 'demo', scope: 'openid' }) });
  return (await r.json()).access_token;
}
async function startAs(user, oggetto) {
  const r = await fetch(base + '/api/pratiche', { method: 'POST',
    headers: { Authorization: 'Bearer ' + await token(user), 'Content-Type': 'application/json' },
    body: JSON.stringify({ service, data: { oggetto, testo: 'Richiesta inviata per la prova della lista attività' } }) });
  expect(r.status === 201, `start as ${user} = ${r.status}`);
}
const applicants = async () => page.locator('[data-testid="inbox"] td[data-col="applicant"]').allTextContents();
const sorted = (xs, desc) => xs.every((v, i) => i === 0 || (desc ? xs[i - 1].localeCompare(v) >= 0 : xs[i - 1].localeCompare(v) <= 0));

await run(async () => {
  await step('citizen-form', async () => {
    await login(page, 'mario.rossi');
    await page.goto(base + '/servizi/' + service);
    await page.locator('[name="/oggetto"]').fill('Richiesta con allegato');
    await page.locator('[name="/testo"]').fill('Allego la planimetria richiesta dall\'ufficio');
  });
  await step('wrong-file-refused', async () => {
    await page.locator('[name="/allegati"]').setInputFiles({ name: 'finto.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><body>no</body></html>') });
    const id = await page.locator('[name="/allegati"]').getAttribute('id');
    const err = page.locator('#' + id + '-err');
    await err.waitFor();
    const msg = await err.textContent();
    expect(msg.includes('finto.pdf') && msg.includes('text/html'), 'no content error next to the file field: ' + msg);
  });
  await step('file-attached', async () => {
    await page.locator('[name="/allegati"]').setInputFiles({ name: 'planimetria.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByTestId('files-/allegati').getByText('planimetria.pdf').waitFor();
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.waitForURL(/\/pratiche\/[0-9a-f-]{36}$/);
    praticaId = page.url().split('/').pop();
    await page.getByTestId('attachments').getByRole('link', { name: 'planimetria.pdf' }).waitFor();
  });
  await step('more-pratiche', async () => {
    await startAs('giulia.bianchi', 'Richiesta di Giulia');
    await startAs('mario.rossi', 'Seconda richiesta di Mario');
  });
  page = await newPage();
  await step('operator-inbox', async () => {
    await login(page, 'op.trieste');
    await page.waitForURL(base + '/attivita');
    // The tasks open once each pratica is registered by its workflow.
    const deadline = Date.now() + 30000;
    for (;;) {
      await page.getByTestId('inbox').or(page.locator('.empty')).first().waitFor();
      if ((await page.locator('[data-testid="inbox"] tbody tr').count()) >= 3) break;
      expect(Date.now() < deadline, 'the inbox has fewer than 3 tasks');
      await page.waitForTimeout(500);
      await page.reload();
    }
  });
  await step('sort-by-applicant', async () => {
    await page.locator('button[data-sort="applicant"]').click();
    await page.waitForURL(/sort=applicant/);
    await page.locator('th[aria-sort="ascending"] button[data-sort="applicant"]').waitFor();
    const up = await applicants();
    expect(up.length >= 3 && sorted(up, false), 'not ascending: ' + JSON.stringify(up));
    await page.locator('button[data-sort="applicant"]').click();
    await page.waitForURL(/sort=-applicant/);
    await page.locator('th[aria-sort="descending"] button[data-sort="applicant"]').waitFor();
    const down = await applicants();
    expect(sorted(down, true) && down[0] !== down[down.length - 1], 'not descending: ' + JSON.stringify(down));
  });
  await step('search-a-name', async () => {
    await page.getByLabel('Cerca per richiedente o numero di pratica').fill('bianchi');
    await page.getByRole('button', { name: 'Applica' }).click();
    await page.waitForURL(/q=bianchi/);
    await page.locator('[data-testid="inbox-total"]').getByText('di 1 attività').waitFor();
    const names = await applicants();
    expect(names.length === 1 && names[0].includes('Bianchi'), 'search found ' + JSON.stringify(names));
  });
  await step('filter-a-service', async () => {
    await page.getByLabel('Cerca per richiedente o numero di pratica').fill('');
    await page.locator('#f-service').selectOption('c_l424.matrimonio');
    await page.getByRole('button', { name: 'Applica' }).click();
    await page.waitForURL(/service=c_l424.matrimonio/);
    await page.locator('.empty').waitFor();
  });
  await step('task-page', async () => {
    await page.goto(base + '/attivita');
    await page.locator(`tr[data-pratica="${praticaId}"] th a`).click();
    await page.waitForURL(/\/attivita\/[^/]+$/);
    await page.getByText('Richiesta con allegato').waitFor();
    const link = page.getByTestId('attachments').getByRole('link', { name: 'planimetria.pdf' });
    await link.waitFor();
    const r = await page.request.get(base + await link.getAttribute('href'));
    expect(r.status() === 200 && (await r.body()).subarray(0, 5).toString() === '%PDF-', 'the operator cannot download the file: ' + r.status());
  });
  await step('reason-error-at-field', async () => {
    await page.getByTestId('claim').click();
    await page.getByText('presa da op.trieste').waitFor();
    await page.getByLabel('Esito').selectOption('request_integration');
    await page.getByTestId('complete').click();
    const err = page.locator('#reason-err');
    await err.waitFor();
    expect((await err.textContent()).includes('required'), 'no error next to the reason: ' + await err.textContent());
  });
});
