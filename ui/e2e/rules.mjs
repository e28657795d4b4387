// rules.mjs: the marriage form's cross-field rules in the portal, in headless
// Chromium. Mario fills Trieste's marriage with his own codice fiscale for both
// spouses and a date in the past: the server refuses it and the portal shows
// each rule's message next to each field it concerns (both codici fiscali, the
// date); the date picker offers only the booking window. Then, with Giulia's
// codice fiscale typed in lower case and a date in the window, the pratica starts.
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node rules.mjs
// Prints "ok <step>" per step and PASS, or "FAIL <step>: why" and exits 1.
import { base, newPage, login, expect, step, run } from './harness.mjs';

const page = await newPage();

const field = (ptr) => page.locator(`[name="${ptr}"]`);
const errorOf = async (ptr) => {
  const id = await field(ptr).getAttribute('id');
  return (await page.locator('#' + id + '-err').textContent()) || '';
};
// isoDay is a date n months from today in Europe/Rome, as the portal's browser sees it.
function isoDay(months, days) {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const [y, m, d] = p.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 + months, d + days)).toISOString().slice(0, 10);
}

await run(async () => {
  await step('login', async () => {
    await login(page, 'mario.rossi');
  });
  await step('rules-next-to-fields', async () => {
    await page.goto(base + '/servizi/c_l424.matrimonio');
    await field('/sposo1/nome').waitFor();
    for (const s of ['sposo1', 'sposo2']) {
      await field(`/${s}/nome`).fill(s === 'sposo1' ? 'Mario' : 'Giulia');
      await field(`/${s}/cognome`).fill(s === 'sposo1' ? 'Rossi' : 'Bianchi');
      await field(`/${s}/codiceFiscale`).fill('RSSMRA80A01L424F');
      await field(`/${s}/dataNascita`).fill('1980-01-01');
    }
    await page.getByTestId('step-next').click(); // the long form is a stepper: the ceremony is its second step
    await field('/sala').selectOption('sala-matrimoni');
    const date = field('/data');
    expect(await date.getAttribute('min') === isoDay(1, 0), 'date min is ' + await date.getAttribute('min') + ', want ' + isoDay(1, 0));
    expect(await date.getAttribute('max') === isoDay(6, 0), 'date max is ' + await date.getAttribute('max') + ', want ' + isoDay(6, 0));
    await date.fill(isoDay(0, -1));
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.locator('.error-summary').waitFor();
    for (const ptr of ['/sposo1/codiceFiscale', '/sposo2/codiceFiscale']) {
      const msg = await errorOf(ptr);
      expect(msg.includes('codici fiscali diversi'), `no "different codici fiscali" message next to ${ptr}: ${msg}`);
      expect(await field(ptr).getAttribute('aria-invalid') === 'true', ptr + ' not marked aria-invalid');
    }
    const msg = await errorOf('/data');
    expect(msg.includes('deve essere tra il'), 'no booking-window message next to the date: ' + msg);
    expect(page.url() === base + '/servizi/c_l424.matrimonio', 'left the form: ' + page.url());
  });
  await step('lowercase-accepted', async () => {
    await field('/sposo2/codiceFiscale').fill('bncgli85c55l424k');
    await page.getByTestId('step-next').click();
    await field('/data').fill(isoDay(2, 0));
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.waitForURL(/\/pratiche\/[0-9a-f-]{36}$/);
  });
});
