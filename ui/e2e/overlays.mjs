// overlays.mjs: the ente admin's "Personalizzazioni" page in headless Chromium,
// after a regional publish that Trieste's marriage overlay no longer fits: the
// overlay is marked for review, naming the value to fix and the versions.
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node overlays.mjs
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
const page = await (await browser.newContext({ locale: 'it-IT', timezoneId: 'Europe/Rome', viewport: { width: 1280, height: 900 } })).newPage();
page.setDefaultTimeout(15000);
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text()); });
page.on('pageerror', (e) => consoleErrors.push(String(e)));

let current = 'start';
async function step(name, fn) {
  current = name;
  await fn();
  if (shots) await page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
  console.log('ok ' + name);
}
function expect(cond, why) { if (!cond) throw new Error(why); }

try {
  await step('admin-login', async () => {
    await page.goto(base + '/');
    await page.getByRole('link', { name: 'Accedi' }).first().click();
    await page.locator('button[data-user="admin.trieste"]').click();
    await page.getByTestId('user').waitFor();
  });
  await step('needs-review', async () => {
    await page.goto(base + '/personalizzazioni');
    const card = page.getByTestId('overlay-matrimonio');
    await card.getByTestId('needs-review').waitFor();
    const text = await card.getByTestId('needs-review').textContent();
    expect(text.includes('Da rivedere'), 'the card does not say the overlay needs review: ' + text);
    expect(text.includes('/values/tariffa'), 'the card does not name the value to fix: ' + text);
    expect(text.includes('matrimonio@1 → matrimonio@2'), 'the card does not name the versions: ' + text);
  });
  expect(consoleErrors.length === 0, 'script errors: ' + consoleErrors.join('; '));
  console.log('PASS');
} catch (err) {
  console.log(`FAIL ${current}: ${err.message}`);
  if (shots) await page.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {});
  await browser.close();
  process.exit(1);
}
await browser.close();
