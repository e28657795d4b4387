// harness.mjs: what every browser script shares. Debian's Chromium driven by
// playwright-core with the flags this machine needs, pages in Italian and
// Europe/Rome, named steps (with a screenshot each), axe-core checks, and
// one way to end: "PASS", or "FAIL <step>: why" and exit 1. Script errors in
// any page fail the run; failed requests (401, 422 on purpose) do not.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const base = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
// Every script saves a screenshot of each step: in SHOTS when set, else in
// ui/e2e/screenshots/<script> (ignored by git).
const script = basename(process.argv[1] || 'script', '.mjs');
const shots = process.env.SHOTS || join(dirname(fileURLToPath(import.meta.url)), 'screenshots', script);
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const consoleErrors = [];
const state = { current: 'start', page: null };

// newPage opens a page in a fresh context (its own cookies) and makes it the
// one screenshots are taken of.
export async function newPage() {
  const page = await (await browser.newContext({ locale: 'it-IT', timezoneId: 'Europe/Rome', viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  state.page = page;
  return page;
}

// login signs user in through the dev identity provider.
export async function login(page, user) {
  await page.goto(base + '/');
  await page.getByRole('link', { name: 'Accedi' }).first().click();
  await page.locator(`button[data-user="${user}"]`).click();
  await page.getByTestId('user').waitFor();
}

export function expect(cond, why) { if (!cond) throw new Error(why); }

// step runs one named step and prints "ok <name>".
export async function step(name, fn) {
  state.current = name;
  await fn();
  if (state.page) await state.page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
  console.log('ok ' + name);
}

// run runs the steps of a script and ends it.
export async function run(steps) {
  try {
    await steps();
    expect(consoleErrors.length === 0, 'script errors: ' + consoleErrors.join('; '));
    console.log('PASS');
  } catch (err) {
    console.log(`FAIL ${state.current}: ${err.message.split('\n')[0]}`);
    if (state.page) await state.page.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {});
    await browser.close();
    process.exit(1);
  }
  await browser.close();
}

// shot saves a screenshot of the page as it is now, named after what it shows.
export async function shot(page, name) {
  await page.screenshot({ path: join(shots, name.replace(/[^a-zA-Z0-9_.-]+/g, '_') + '.png'), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// axe runs axe-core (every rule it runs by default, any impact) on the page and
// returns its violations as "rule (impact): target…" lines. Evaluated through
// the DevTools protocol, so the portal's CSP stays as strict as in production.
export async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\n').slice(1, 2).join('')).join(' | ')}`);
  });
  return res;
}
