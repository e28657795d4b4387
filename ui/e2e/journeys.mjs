// journeys.mjs: the citizen's and the operators' journeys through one
// marriage pratica in headless Chromium, each page checked with axe.
// Mario Rossi's marriage request is paid at the pagoPA checkout from the
// pratica's page; the registry office asks for an integration (a missing
// reason is refused at the field); Mario answers it from his page; the
// office passes the task to the protocol office, choosing it by name; that
// office takes it and approves; Mario follows every state on his page and
// downloads the receipt. (attach.mjs covers submitting a form with a file and
// sorting, searching and filtering the inbox.)
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node journeys.mjs
// Prints "ok <step>" per step and PASS, or "FAIL <step>: why" and exits 1.
import { base, newPage, login, expect, step, run, axe } from './harness.mjs';

let page;
let id = '';

async function clean(what) {
  const v = await axe(page);
  expect(v.length === 0, `axe on ${what}: ${v.join('; ')}`);
}

// status waits until Mario's pratica page shows the status label.
async function status(label, limit = 60000) {
  const deadline = Date.now() + limit;
  for (;;) {
    await page.goto(base + '/pratiche/' + id);
    const s = page.getByTestId('status');
    await s.waitFor();
    const text = (await s.textContent()).trim();
    if (text.includes(label)) return;
    expect(Date.now() < deadline, `the pratica is "${text}", want "${label}"`);
    await page.waitForTimeout(750);
  }
}

// openTask opens, as the signed-in operator, the task of the marriage pratica.
async function openTask(limit = 60000) {
  const deadline = Date.now() + limit;
  for (;;) {
    await page.goto(base + '/attivita?service=c_l424.matrimonio');
    await page.getByTestId('inbox').or(page.locator('.empty')).first().waitFor();
    const link = page.getByTestId('inbox').locator('tr', { hasText: 'Rossi' }).getByRole('link').first();
    if (await link.count() > 0) { await link.click(); break; }
    expect(Date.now() < deadline, 'the marriage task is not in the inbox');
    await page.waitForTimeout(750);
  }
  await page.getByRole('heading', { name: /Azioni disponibili|Azioni/ }).first().waitFor();
}

async function claim() {
  const c = page.getByTestId('claim');
  if (await c.count() > 0) { await c.click(); await page.getByTestId('claim').waitFor({ state: 'detached' }); }
}

await run(async () => {
  page = await newPage();
  await step('citizen-starts-marriage', async () => {
    await login(page, 'mario.rossi');
    id = await page.evaluate(async () => {
      const me = await (await fetch('/api/me')).json();
      const d = new Date(); d.setMonth(d.getMonth() + 3);
      const data = {
        sposo1: { nome: 'Mario', cognome: 'Rossi', codiceFiscale: 'RSSMRA80A01L424F', dataNascita: '1980-01-01' },
        sposo2: { nome: 'Giulia', cognome: 'Bianchi', codiceFiscale: 'BNCGLI85C55L424K', dataNascita: '1985-03-15' },
        sala: 'sala-matrimoni', data: d.toISOString().slice(0, 10), testimoni: 2,
      };
      const r = await fetch('/api/pratiche', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken },
        body: JSON.stringify({ service: 'c_l424.matrimonio', data }) });
      const b = await r.json();
      if (r.status !== 201) throw new Error('start marriage: ' + r.status + ' ' + JSON.stringify(b));
      return b.id;
    });
    await status('In attesa di pagamento');
    await page.getByTestId('notice-number').first().waitFor();
    await clean('the pratica awaiting payment');
  });
  await step('citizen-pays-at-checkout', async () => {
    const [checkout] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: 'Paga con pagoPA' }).first().click()]);
    await checkout.getByRole('button', { name: 'Paga' }).click();
    await checkout.locator('#receiptId').waitFor();
    await checkout.close();
    await status('Protocollata');
    const tl = await page.getByTestId('timeline').textContent();
    expect(/pagamento|Pagamento/.test(tl), 'the timeline does not show the payment: ' + tl);
    await clean('the paid pratica');
  });
  page = await newPage();
  await step('operator-asks-integration', async () => {
    await login(page, 'op.trieste');
    await openTask();
    await claim();
    await page.selectOption('#outcome', 'request_integration');
    await page.getByTestId('complete').click();
    const err = page.locator('#reason-err');
    await err.waitFor({ state: 'visible' });
    expect((await page.locator('#reason').getAttribute('aria-invalid')) === 'true', 'the missing reason is not marked on the field');
    await clean('the task with an error');
    await page.fill('#reason', "Manca la data di nascita corretta del secondo coniuge: verificatela e inviate di nuovo.");
    await page.getByTestId('complete').click();
    await page.waitForURL(/\/attivita(\?|$)/);
  });
  page = await newPage();
  await step('citizen-answers-integration', async () => {
    await login(page, 'mario.rossi');
    await status('Integrazione richiesta');
    await page.getByRole('button', { name: 'Invia integrazione' }).first().click();
    await page.getByText('Integrazione richiesta').first().waitFor();
    await clean('the integration form');
    const send = page.locator('form').getByRole('button', { name: 'Invia integrazione' });
    await send.click();
    // The page reloads once the integration is accepted: leaving earlier would cancel the request.
    await send.waitFor({ state: 'detached', timeout: 60000 });
    await status('Inviata dopo integrazione');
  });
  page = await newPage();
  await step('operator-reassigns-by-name', async () => {
    await login(page, 'op.trieste');
    await openTask();
    await claim();
    // The offices come from the catalog after the page is drawn.
    await page.waitForFunction(() => document.querySelectorAll('#reassign-office option').length > 1);
    const options = await page.locator('#reassign-office option').allTextContents();
    expect(options.some((o) => /Protocollo/i.test(o)) && !options.some((o) => /^[a-z-]+$/.test(o)), 'the offices are not listed by name: ' + options.join(', '));
    await clean('the task page');
    await page.getByRole('button', { name: 'Assegna a un altro ufficio' }).click();
    await page.locator('#reassign-office-err').waitFor({ state: 'visible' });
    const label = options.find((o) => /Protocollo/i.test(o));
    await page.selectOption('#reassign-office', { label });
    await page.fill('#reassign-reason', 'Competenza del protocollo generale');
    await page.getByRole('button', { name: 'Assegna a un altro ufficio' }).click();
    await page.waitForURL(/\/attivita(\?|$)/);
  });
  page = await newPage();
  await step('protocol-approves', async () => {
    await login(page, 'op.protocollo');
    await openTask();
    await claim();
    await page.selectOption('#outcome', 'approve');
    await page.getByTestId('complete').click();
    await page.waitForURL(/\/attivita(\?|$)/);
  });
  page = await newPage();
  await step('citizen-follows-to-the-end', async () => {
    await login(page, 'mario.rossi');
    await status('Conclusa');
    const tl = await page.getByTestId('timeline').textContent();
    for (const want of ['Integrazione richiesta', 'Ufficio protocollo', 'della tariffa', 'Domanda accolta']) expect(tl.includes(want), `the timeline does not say "${want}": ${tl}`);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('receipt').click()]);
    expect(/\.pdf$/i.test(dl.suggestedFilename()), 'the receipt is not a PDF: ' + dl.suggestedFilename());
    await clean('the concluded pratica');
  });
});
