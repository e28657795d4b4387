// Dev login round trip in headless Chromium: /auth/login redirects to the dev
// IdP, the user is picked on its login page, the callback opens the session,
// and /api/me answers with the session cookie. Prints one JSON line with what it saw.
// Usage: node login.mjs <base URL> <demo user id>
import { chromium } from 'playwright-core';

const [base, user] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const out = { steps: [] };
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) out.steps.push(new URL(f.url()).pathname); });

  await page.goto(`${base}/auth/login?return=/api/me`);
  out.loginTitle = await page.title();
  await page.click(`button[data-user="${user}"]`);
  await page.waitForURL(`${base}/api/me`);
  out.me = JSON.parse(await page.locator('body').innerText());

  const cookies = await context.cookies(base);
  const session = cookies.find((c) => c.name === 'sportello_session');
  out.cookie = session && { httpOnly: session.httpOnly, sameSite: session.sameSite, secure: session.secure };
  out.documentCookie = await page.evaluate(() => document.cookie);

  // An unsafe call from the page with the CSRF token works; without it, it is refused.
  out.logoutWithoutToken = await page.evaluate(async () => (await fetch('/auth/logout', { method: 'POST' })).status);
  out.logout = await page.evaluate(async (t) =>
    (await fetch('/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': t } })).status, out.me.csrfToken);
  out.meAfterLogout = await page.evaluate(async () => (await fetch('/api/me')).status);
} catch (e) {
  out.error = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
