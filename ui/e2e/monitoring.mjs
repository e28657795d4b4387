// monitoring.mjs: the region opens the monitoring's charts in headless
// Chromium: each ente against the 70% target, the share month by month and
// the payments, each drawn (Chart.js on a canvas with a text alternative) and
// with its figures as a table; the filter narrows to Trieste; the CSVs
// download; axe finds nothing at 1280×800 and 390×844, in Italian and Slovenian.
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node monitoring.mjs
// Prints "ok <step>" per step and PASS, or "FAIL <step>: why" and exits 1.
import { base, newPage, login, expect, step, run, axe, shot } from './harness.mjs';

let page;

// drawn says whether the canvas of a chart has been painted by Chart.js.
async function drawn(id) {
  await page.waitForFunction((id) => {
    const c = document.getElementById(id);
    if (!c || c.width === 0) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  }, id);
}

async function axeBoth(name) {
  for (const [w, hgt] of [[1280, 800], [390, 844]]) {
    await page.setViewportSize({ width: w, height: hgt });
    const v = await axe(page);
    await shot(page, `${name}-${w}`);
    expect(v.length === 0, `axe at ${w}x${hgt}: ${v.join('; ')}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

await run(async () => {
  page = await newPage();
  // A payment this month, so the charts have something to show: Mario Rossi
  // starts a TARI pratica and pays its single option (300.00 €) at the
  // pagoPA simulator's checkout.
  await step('citizen-pays-tari', async () => {
    await login(page, 'mario.rossi');
    const paid = await page.evaluate(async () => {
      const app = document.querySelector('script[type=module][src]').src;
      const { post, get } = await import(new URL('api.js', app).href);
      const p = await post('/api/pratiche', { service: 'c_l424.tari',
        data: { anno: 2026, utenza: 'TS-000777', superficie: 80, componenti: 3, importoCents: 30000 } });
      for (let i = 0; i < 150; i++) {
        const d = await get('/api/pratiche/' + p.id);
        const pos = (d.extra?.payments || [])[0];
        const single = pos && (pos.options || []).find((o) => !o.installment && o.noticeNumber);
        if (single) {
          const r = await fetch('/sim/pagopa/checkout/pay', { method: 'POST',
            body: new URLSearchParams({ org: pos.creditor.fiscalCode, notice: single.noticeNumber, payer: 'RSSMRA80A01L424F' }) });
          return r.status + ' ' + single.amount;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      return 'no notice';
    });
    expect(paid === '200 30000', 'paying the TARI notice: ' + paid);
  });
  page = await newPage();
  await step('region-charts', async () => {
    await login(page, 'admin.regione');
    await page.goto(base + '/monitoraggio');
    await page.getByRole('heading', { name: /Monitoraggio dell'accordo/ }).waitFor();
    for (const id of ['chart-enti', 'chart-trend', 'chart-payments']) await drawn(id);
    const label = await page.locator('#chart-enti').getAttribute('aria-label');
    expect(/enti su \d+ raggiungono/.test(label), 'the per-ente chart has no text alternative: ' + label);
    // The figures behind the trend: twelve months, the last one this month.
    await page.getByTestId('chart-trend').locator('summary').click();
    const rows = await page.getByTestId('chart-trend').locator('tbody tr').count();
    expect(rows === 12, `the trend table has ${rows} months, want 12`);
    await page.getByTestId('chart-payments').locator('summary').click();
    await page.getByTestId('chart-enti').locator('summary').click();
    const paid = await page.getByTestId('chart-payments').locator('tbody').textContent();
    expect(paid.includes('300,00'), "the payments table does not show this month's 300,00 €: " + paid);
    const enti = await page.getByTestId('chart-enti').locator('tbody').textContent();
    expect(/Comune di Trieste\s*25\s%/.test(enti), 'Trieste is not at 25% (TARI active, one of four incasso services): ' + enti);
    await axeBoth('region');
  });
  await step('region-filters-trieste', async () => {
    await page.selectOption('#mon-ente', 'c_l424');
    await page.getByTestId('ente-filter').getByRole('button', { name: 'Filtra' }).click();
    await page.waitForURL(/ente=c_l424/);
    await page.getByRole('heading', { name: /Comune di Trieste/ }).waitFor();
    await drawn('chart-trend');
    expect(await page.locator('#chart-enti').count() === 0, 'one ente still shows the per-ente comparison');
    const rows = await page.getByTestId('monitoring').locator('tbody tr').count();
    expect(rows === 1, `the table of Trieste has ${rows} rows, want 1`);
  });
  await step('region-csv', async () => {
    for (const name of ['Scarica CSV', "Scarica l'andamento (CSV)"]) {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
      const path = await dl.path();
      const { readFileSync } = await import('node:fs');
      const text = readFileSync(path, 'utf8');
      expect(text.includes(';') && text.split('\n').length > 1, `${name}: not a CSV: ${text.slice(0, 80)}`);
    }
  });
  await step('region-charts-sl', async () => {
    await page.evaluate(() => localStorage.setItem('sportello.lang', 'sl'));
    await page.goto(base + '/monitoraggio');
    await page.getByRole('heading', { name: /Spremljanje sporazuma/ }).waitFor();
    await drawn('chart-trend');
    await axeBoth('region-sl');
  });
});
