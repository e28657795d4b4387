// journey.mjs: the portal's end-to-end journey in headless Chromium.
// A citizen signs in through the dev IdP, starts "Richiesta generica all'ente"
// from its rendered form (first empty, to see every field error at once), finds
// it in "Le mie pratiche"; the Trieste operator acknowledges the task from the
// inbox; the citizen then sees the pratica "Conclusa".
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node journey.mjs
// Every step prints "ok <step>"; the first failure prints "FAIL <step>: why" and exits 1.
import { base, newPage, login, expect, step, run } from './harness.mjs';

const service = 'c_l424.richiesta-generica';

const page = await newPage();

async function logout() {
  await page.getByRole('button', { name: 'Esci' }).click();
  await page.getByRole('link', { name: 'Accedi' }).first().waitFor();
}

await run(async () => {
  let praticaId = '';
  await step('citizen-login', async () => {
    await login(page, 'mario.rossi');
    await page.waitForURL(base + '/servizi');
    expect((await page.getByTestId('user').textContent()).includes('Mario Rossi'), 'header does not name Mario Rossi');
  });
  await step('services', async () => {
    await page.getByRole('heading', { name: 'Comune di Medea' }).waitFor();
    const medea = page.locator('[data-service="c_f081.matrimonio"]');
    expect(await medea.getByText('Solo allo sportello', { exact: true }).count() === 1, "Medea's marriage does not say front desk only");
    expect(await medea.getByRole('link').count() === 0, "Medea's marriage offers an online start");
    expect(await page.getByTestId('start-c_l424.matrimonio').count() === 1, "Trieste's marriage cannot be started online");
  });
  await step('form-errors', async () => {
    await page.getByTestId('start-' + service).click();
    await page.waitForURL(base + '/servizi/' + service);
    await page.getByLabel('Testo della richiesta').waitFor();
    await page.getByLabel('Email').fill('non-una-email');
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const items = await summary.locator('li').allTextContents();
    expect(items.length === 3, 'want 3 field errors at once (oggetto, testo, email), got ' + JSON.stringify(items));
    expect(await page.locator('.field.invalid').count() === 3, 'want 3 fields marked invalid');
    expect(await page.getByLabel('Testo della richiesta').getAttribute('aria-invalid') === 'true', 'testo not marked aria-invalid');
  });
  await step('start', async () => {
    await page.getByLabel('Oggetto').fill('Lampione spento in via Roma');
    await page.getByLabel('Testo della richiesta').fill('Il lampione davanti al civico 12 di via Roma è spento da una settimana.');
    await page.getByLabel('Email').fill('mario.rossi@example.org');
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.waitForURL(/\/pratiche\/[0-9a-f-]{36}$/);
    praticaId = page.url().split('/').pop();
    await page.getByTestId('timeline').locator('li').first().waitFor();
  });
  await step('mine', async () => {
    await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Le mie pratiche' }).click();
    await page.waitForURL(base + '/pratiche');
    const link = page.locator(`a[href="/pratiche/${praticaId}"]`);
    await link.waitFor();
    expect((await link.textContent()).includes('Richiesta generica'), 'the pratica is not named after its service');
  });
  await step('operator-inbox', async () => {
    await logout();
    await login(page, 'op.trieste');
    await page.waitForURL(base + '/attivita');
    const row = page.locator(`tr[data-pratica="${praticaId}"]`);
    await row.waitFor();
    await row.locator('th a').click();
    await page.waitForURL(/\/attivita\/[^/]+$/);
    await page.getByTestId('claim').click();
    await page.getByText('presa da op.trieste').waitFor();
  });
  await step('operator-acknowledge', async () => {
    await page.getByLabel('Esito').selectOption('acknowledge');
    await page.getByTestId('complete').click();
    await page.waitForURL(base + '/attivita');
    await page.getByTestId('inbox').or(page.locator('.empty')).first().waitFor();
    expect(await page.locator(`tr[data-pratica="${praticaId}"]`).count() === 0, 'the completed task is still in the inbox');
  });
  await step('citizen-sees-conclusa', async () => {
    await logout();
    await login(page, 'mario.rossi');
    const deadline = Date.now() + 20000;
    for (;;) {
      await page.goto(base + '/pratiche/' + praticaId);
      const status = page.getByTestId('status');
      await status.waitFor();
      if ((await status.textContent()).includes('Conclusa')) break;
      expect(Date.now() < deadline, 'status is still "' + (await status.textContent()) + '"');
      await page.waitForTimeout(500);
    }
    const events = await page.getByTestId('timeline').locator('li').allTextContents();
    expect(events.length >= 3, 'timeline too short: ' + JSON.stringify(events));
  });
  await step('english', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByTestId('status').getByText('Completed').waitFor();
  });
});
