// roles.mjs: the ente admin's "Ruoli" page in headless Chromium: admin.trieste
// makes giulia.bianchi (a citizen to the identity provider) an operator of the
// registry office; giulia then signs in, the portal opens her inbox as that
// operator, and the header's choice turns her back into a citizen.
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node roles.mjs
// Prints "ok <step>" per step and PASS, or "FAIL <step>: why" and exits 1.
import { base, newPage, login, expect, step, run } from './harness.mjs';

let page;

await run(async () => {
  page = await newPage();
  await step('admin-assigns', async () => {
    await login(page, 'admin.trieste');
    await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Ruoli' }).click();
    await page.getByRole('heading', { name: /Ruoli del personale/ }).waitFor();
    await page.fill('#role-person', 'TINIT-BNCGLI85C55L424K');
    await page.selectOption('#role-role', 'operator');
    await page.selectOption('#role-offices', ['stato-civile']);
    await page.getByTestId('grant').click();
    const row = page.getByTestId('roles').locator('tr', { hasText: 'BNCGLI85C55L424K' });
    await row.waitFor();
    const text = await row.textContent();
    expect(text.includes('operatore') && text.includes('Anagrafe e stato civile') && !text.includes('stato-civile') && text.includes('admin.trieste'), 'the row does not show the assignment: ' + text);
  });
  await step('admin-refused-bad-person', async () => {
    await page.fill('#role-person', 'not a person');
    await page.getByTestId('grant').click();
    const alert = page.locator('.alert.alert-danger');
    await alert.waitFor();
    expect((await alert.textContent()).includes('person'), 'the error does not name the field');
  });
  page = await newPage();
  await step('person-acts-as-operator', async () => {
    await login(page, 'giulia.bianchi');
    await page.getByTestId('inbox').or(page.locator('.empty')).first().waitFor();
    expect(new URL(page.url()).pathname === '/attivita', 'giulia did not land on the inbox: ' + page.url());
    const who = await page.getByTestId('user').textContent();
    const ente = await page.getByTestId('ente-name').textContent();
    expect(who.includes('operatore') && ente.includes('Comune di Trieste'), 'the header does not say operator of Trieste: ' + who + ' / ' + ente);
  });
  await step('person-acts-as-citizen', async () => {
    await page.selectOption('[data-testid="act-as"]', 'citizen');
    await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Servizi' }).waitFor();
    const who = await page.getByTestId('user').textContent();
    expect(who.includes('cittadino'), 'the header does not say citizen: ' + who);
  });
});
