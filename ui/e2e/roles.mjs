// roles.mjs: the ente admin's "Ruoli" page in headless Chromium: admin.trieste
// makes giulia.bianchi (a citizen to the identity provider) an operator of the
// registry office; giulia then signs in, the portal opens her inbox as that
// operator, and the header's choice turns her back into a citizen.
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node roles.mjs
// Prints "ok <step>" per step and PASS, or "FAIL <step>: why" and exits 1.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const shots = process.env.SHOTS || '';
if (shots) mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const consoleErrors = [];
async function newPage() {
  const page = await (await browser.newContext({ locale: 'it-IT', timezoneId: 'Europe/Rome', viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return page;
}
async function login(page, user) {
  await page.goto(base + '/');
  await page.getByRole('link', { name: 'Accedi' }).first().click();
  await page.locator(`button[data-user="${user}"]`).click();
  await page.getByTestId('user').waitFor();
}

let current = 'start';
let page;
async function step(name, fn) {
  current = name;
  await fn();
  if (shots) await page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
  console.log('ok ' + name);
}
function expect(cond, why) { if (!cond) throw new Error(why); }

try {
  page = await newPage();
  await step('admin-assigns', async () => {
    await login(page, 'admin.trieste');
    await page.getByRole('link', { name: 'Ruoli' }).click();
    await page.getByRole('heading', { name: /Ruoli del personale/ }).waitFor();
    await page.fill('#role-person', 'TINIT-BNCGLI85C55L424K');
    await page.selectOption('#role-role', 'operator');
    await page.selectOption('#role-offices', ['stato-civile']);
    await page.getByTestId('grant').click();
    const row = page.getByTestId('roles').locator('tr', { hasText: 'BNCGLI85C55L424K' });
    await row.waitFor();
    const text = await row.textContent();
    expect(text.includes('operatore') && text.includes('stato-civile') && text.includes('admin.trieste'), 'the row does not show the assignment: ' + text);
  });
  await step('admin-refused-bad-person', async () => {
    await page.fill('#role-person', 'not a person');
    await page.getByTestId('grant').click();
    const alert = page.locator('.alert.error');
    await alert.waitFor();
    expect((await alert.textContent()).includes('person'), 'the error does not name the field');
  });
  page = await newPage();
  await step('person-acts-as-operator', async () => {
    await login(page, 'giulia.bianchi');
    await page.getByTestId('inbox').or(page.locator('.empty')).first().waitFor();
    expect(new URL(page.url()).pathname === '/attivita', 'giulia did not land on the inbox: ' + page.url());
    const who = await page.getByTestId('user').textContent();
    expect(who.includes('operatore') && who.includes('c_l424'), 'the header does not say operator of Trieste: ' + who);
  });
  await step('person-acts-as-citizen', async () => {
    await page.selectOption('[data-testid="act-as"]', 'citizen');
    await page.getByRole('link', { name: 'Servizi' }).waitFor();
    const who = await page.getByTestId('user').textContent();
    expect(who.includes('cittadino'), 'the header does not say citizen: ' + who);
  });
  expect(consoleErrors.length === 0, 'script errors: ' + consoleErrors.join('; '));
  console.log('PASS');
} catch (err) {
  console.log(`FAIL ${current}: ${err.message}`);
  if (shots && page) await page.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {});
  await browser.close();
  process.exit(1);
}
await browser.close();
