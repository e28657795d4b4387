// forms.mjs: forms rendered and validated in the browser (form.js with
// @cfworker/json-schema), in headless Chromium on the demo services. The
// marriage form is long, so a stepper: Next with the second spouse left empty
// marks each of its fields and lists them in the summary, whose links move
// the focus; the garden makes the number of guests required (if/then) and
// the form is sent. A schema whose then/else add fields shows and hides them.
// The general request refuses an empty submission in the browser, in Italian,
// English and Slovenian, keeps its uploaded file and is sent; the operator's
// task page shows the data read-only and asks for an integration, which the
// citizen answers in the same form, checked in the browser too. axe at
// 1280×800 and 390×844.
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node forms.mjs
// Prints "ok <step>" per step and PASS, or "FAIL <step>: why" and exits 1.
import { base, newPage, login, expect, step, run, axe, shot } from './harness.mjs';

let page = await newPage();
const field = (ptr) => page.locator(`[name="${ptr}"]`);
const errorOf = async (ptr) => {
  const id = await field(ptr).getAttribute('id');
  const err = page.locator('#' + id + '-err');
  return (await err.isVisible()) ? (await err.textContent()) : '';
};
const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
let posts = 0;
let praticaId = '';
page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/pratiche')) posts++; });

function isoDay(months, days) {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const [y, m, d] = p.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + months, d + days)).toISOString().slice(0, 10);
}

async function settled() {
  await page.locator('main:not([aria-busy])').waitFor();
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle').catch(() => {});
}

async function setLang(l) {
  const btn = page.locator(`.lang-switch button[data-lang="${l}"]`);
  if ((await btn.getAttribute('aria-pressed')) === 'true') return;
  await btn.click();
  await page.locator(`.lang-switch button[data-lang="${l}"][aria-pressed="true"]`).waitFor();
  await settled();
}

async function axeBoth(what) {
  for (const [size, vp] of [['1280', { width: 1280, height: 800 }], ['390', { width: 390, height: 844 }]]) {
    await page.setViewportSize(vp);
    await page.waitForTimeout(150);
    const v = await axe(page);
    await shot(page, `${what}.${size}`);
    expect(v.length === 0, `axe on ${what} at ${size}px: ` + v.join('; '));
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function describedBy(ptr) {
  const id = await field(ptr).getAttribute('id');
  return ((await field(ptr).getAttribute('aria-describedby')) || '').split(' ').includes(id + '-err');
}

await run(async () => {
  await step('login', async () => {
    await login(page, 'mario.rossi');
  });
  await step('stepper', async () => {
    await page.goto(base + '/servizi/c_l424.matrimonio');
    await settled();
    const stepper = page.getByTestId('form-stepper');
    await stepper.waitFor();
    expect((await stepper.locator('.steppers-list li').count()) === 2, 'the marriage form is not a two-step stepper');
    expect(await stepper.locator('li[aria-current="step"]').textContent() === 'Gli sposi', 'the first step is not "Gli sposi"');
    expect(await field('/sposo1/nome').isVisible(), 'the first step does not show the spouses');
    expect(!(await field('/sala').isVisible()), 'the second step shows before Next');
    await axeBoth('marriage-step1');
  });
  await step('missing-block', async () => {
    await field('/sposo1/nome').fill('Mario');
    await field('/sposo1/cognome').fill('Rossi');
    await field('/sposo1/codiceFiscale').fill('RSSMRA80A01L424F');
    await field('/sposo1/dataNascita').fill('1980-01-01');
    await page.getByTestId('step-next').click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), 'the focus did not move to the summary');
    for (const f of ['nome', 'cognome', 'codiceFiscale', 'dataNascita']) {
      const ptr = '/sposo2/' + f;
      expect((await errorOf(ptr)).includes('obbligatorio'), `no "required" next to ${ptr}`);
      expect(await field(ptr).getAttribute('aria-invalid') === 'true', ptr + ' not aria-invalid');
      expect(await describedBy(ptr), ptr + ' is not described by its error');
    }
    expect(await field('/sposo1/nome').getAttribute('aria-invalid') === null, 'a good field is marked invalid');
    const links = summary.locator('a');
    expect(await links.count() === 4, 'want 4 links in the summary, got ' + await links.count());
    await links.nth(2).click();
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('name'));
    expect(focused === '/sposo2/codiceFiscale', 'the third link focused ' + focused);
    expect(posts === 0, 'the form was sent to the server');
    await axeBoth('marriage-missing-block');
  });
  await step('if-then-required', async () => {
    await field('/sposo2/nome').fill('Giulia');
    await field('/sposo2/cognome').fill('Bianchi');
    await field('/sposo2/codiceFiscale').fill('bncgli85c55l424k');
    await field('/sposo2/dataNascita').fill('1985-03-15');
    await page.getByTestId('step-next').click();
    await field('/sala').waitFor();
    expect(await page.locator('.error-summary').isHidden(), 'the summary stays after a good step');
    expect(!(await field('/sposo1/nome').isVisible()), 'the first step still shows');
    expect(await field('/ospiti').getAttribute('aria-required') === null, 'guests are required before the garden is chosen');
    await field('/sala').selectOption('giardino');
    expect(await field('/ospiti').getAttribute('aria-required') === 'true', 'the garden does not make guests required');
    await field('/data').fill(isoDay(2, 0));
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.locator('.error-summary').waitFor();
    expect((await errorOf('/ospiti')).includes('obbligatorio'), 'no "required" next to the guests');
    await field('/ospiti').fill('80');
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    expect((await errorOf('/ospiti')).includes('al massimo 60'), 'no "at most 60" next to the guests: ' + await errorOf('/ospiti'));
    await field('/sala').selectOption('sala-giunta');
    expect(await field('/ospiti').getAttribute('aria-required') === null, 'guests stay required without the garden');
    expect(posts === 0, 'an invalid form was sent to the server');
    await page.getByTestId('step-prev').click();
    await field('/sposo1/nome').waitFor();
    await page.getByTestId('step-next').click();
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.waitForURL(/\/pratiche\/[0-9a-f-]{36}$/);
  });
  await step('if-then-else-fields', async () => {
    // A form whose branches add fields, rendered by the portal's own module.
    await page.goto(base + '/servizi/c_l424.richiesta-generica');
    await settled();
    await page.evaluate(async () => {
      const src = document.querySelector('script[type="module"]').src.replace(/app\.js$/, 'form.js');
      const { renderForm } = await import(src);
      const f = renderForm({ schema: {
        type: 'object',
        properties: { tipo: { type: 'string', enum: ['persona', 'impresa'] } },
        required: ['tipo'],
        if: { properties: { tipo: { const: 'impresa' } }, required: ['tipo'] },
        then: { properties: { partitaIva: { type: 'string', format: 'codice-fiscale' } }, required: ['partitaIva'] },
        else: { properties: { codiceFiscale: { type: 'string', format: 'codice-fiscale' } } },
      } });
      f.el.id = 'cond-form';
      window.condForm = f;
      document.querySelector('main').prepend(f.el);
    });
    const cond = page.locator('#cond-form');
    const vis = async (n) => cond.locator(`[name="/${n}"]`).isVisible();
    expect(!(await vis('partitaIva')) && await vis('codiceFiscale'), 'without a choice the else branch should show');
    await cond.locator('[name="/tipo"]').selectOption('impresa');
    expect(await vis('partitaIva') && !(await vis('codiceFiscale')), 'a company does not show its VAT number only');
    expect(await cond.locator('[name="/partitaIva"]').getAttribute('aria-required') === 'true', 'the VAT number is not required');
    await cond.locator('[name="/partitaIva"]').fill('12345678901');
    const errs = await page.evaluate(() => { window.condForm.validate(); return window.condForm.collect(); });
    expect(JSON.stringify(errs) === '{"tipo":"impresa","partitaIva":"12345678901"}', 'collected ' + JSON.stringify(errs));
    expect((await cond.locator('.field-error:visible').textContent()).includes('codice fiscale valido'), 'a wrong VAT number is not refused');
    await cond.locator('[name="/tipo"]').selectOption('persona');
    expect(!(await vis('partitaIva')), 'the VAT number stays for a person');
    const data = await page.evaluate(() => window.condForm.collect());
    expect(!('partitaIva' in data), 'a hidden field is sent: ' + JSON.stringify(data));
    // A field that is a business-catalog concept (resolved by the server only) leaves the check to the server.
    const ok = await page.evaluate(async () => {
      const src = document.querySelector('script[type="module"]').src.replace(/app\.js$/, 'form.js');
      const { renderForm } = await import(src);
      const f = renderForm({ schema: { type: 'object', properties: { iban: { $ref: 'https://catalogo.sportello.invalid/concetti/iban/1' } } } });
      f.el.querySelector('input').value = 'IT60X0542811101000000123456';
      return f.validate();
    });
    expect(ok === true, 'a form with a concept is refused in the browser');
  });
  await step('languages', async () => {
    await page.goto(base + '/servizi/c_l424.richiesta-generica');
    await settled();
    for (const [l, button, required] of [['en', 'Send the request', 'is required'], ['sl', 'Pošlji vlogo', 'je obvezno'], ['it', 'Invia la richiesta', 'obbligatorio']]) {
      await setLang(l);
      await field('/email').fill('x');
      await page.getByRole('button', { name: button }).click();
      const summary = page.locator('.error-summary');
      await summary.waitFor();
      const items = await summary.locator('li').allTextContents();
      expect(items.length === 3 && items.filter((x) => x.includes(required)).length === 2, `${l} summary: ` + JSON.stringify(items));
      if (l !== 'it') await axeBoth('general-errors.' + l);
    }
    expect(posts === 1, 'an invalid form was sent to the server (' + posts + ' posts)');
  });
  await step('attachment', async () => {
    await page.locator('[name="/allegati"]').setInputFiles({ name: 'planimetria.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByTestId('files-/allegati').getByText('planimetria.pdf').waitFor();
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.getByTestId('files-/allegati').getByText('planimetria.pdf').count() === 1, 'the file is lost after the errors');
    await field('/oggetto').fill('Planimetria del cortile');
    await field('/testo').fill('Allego la planimetria del cortile condominiale');
    await field('/email').fill('mario.rossi@example.org');
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.waitForURL(/\/pratiche\/[0-9a-f-]{36}$/);
    praticaId = page.url().split('/').pop();
    await page.getByTestId('attachments').getByRole('link', { name: 'planimetria.pdf' }).waitFor();
  });
  page = await newPage();
  await step('operator-read-only', async () => {
    await login(page, 'op.trieste');
    await page.waitForURL(base + '/attivita');
    const deadline = Date.now() + 30000;
    for (;;) {
      await page.getByTestId('inbox').or(page.locator('.empty')).first().waitFor();
      const row = page.locator(`tr[data-pratica="${praticaId}"]`);
      if (await row.count() > 0) { await row.first().locator('th a').click(); break; }
      expect(Date.now() < deadline, 'the task is not in the inbox');
      await page.waitForTimeout(500);
      await page.reload();
    }
    const ro = page.getByTestId('form-readonly');
    await ro.waitFor();
    const text = await ro.textContent();
    expect(text.includes('Oggetto') && text.includes('Planimetria del cortile') && text.includes('planimetria.pdf'), 'the read-only data: ' + text);
    expect(await ro.locator('input, select, textarea').count() === 0, 'the read-only form has inputs');
    await axeBoth('task-read-only');
    await page.getByTestId('claim').click();
    await page.getByText('presa da op.trieste').waitFor();
    await page.getByLabel('Esito').selectOption('request_integration');
    await page.locator('#reason').fill('Indicare anche il numero civico');
    await page.getByTestId('complete').click();
    await page.waitForURL(base + '/attivita');
  });
  page = await newPage();
  await step('integration-form', async () => {
    // The citizen answers in the same form, filled with what was sent, the file kept.
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/actions')) posts++; });
    posts = 0;
    await login(page, 'mario.rossi');
    const send = page.getByRole('button', { name: 'Invia integrazione' });
    const deadline = Date.now() + 30000;
    for (;;) {
      await page.goto(base + '/pratiche/' + praticaId);
      await settled();
      if (await send.count() > 0) break;
      expect(Date.now() < deadline, 'the citizen cannot answer the integration');
      await page.waitForTimeout(1000);
    }
    await send.click();
    await field('/oggetto').waitFor();
    expect(await field('/oggetto').inputValue() === 'Planimetria del cortile', 'the integration form is not filled with the data sent');
    await page.getByTestId('files-/allegati').getByText('planimetria.pdf').waitFor();
    await field('/oggetto').fill('');
    await page.locator('form').filter({ has: field('/oggetto') }).getByRole('button', { name: 'Invia integrazione' }).click();
    await page.locator('.error-summary').waitFor();
    expect((await errorOf('/oggetto')).includes('obbligatorio'), 'no "required" next to the subject of the integration');
    expect(posts === 0, 'an invalid integration was sent');
    await axeBoth('integration-errors');
    await field('/oggetto').fill('Planimetria del cortile, via Roma 12');
    await page.locator('form').filter({ has: field('/oggetto') }).getByRole('button', { name: 'Invia integrazione' }).click();
    await page.getByText('Integrazione inviata').first().waitFor();
    expect((await page.getByTestId('data').textContent()).includes('via Roma 12'), 'the pratica does not hold the corrected subject');
    expect(posts === 1, 'the integration was not sent once: ' + posts);
  });
});
