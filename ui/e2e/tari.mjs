// tari.mjs: the TARI journey of issue 11 (its done-when): the
// finance office of Trieste creates a campaign, uploads a generated roll
// (ROLL: a CSV of ROWS valid households and one bad row), reads the dry run
// with the bad row's line and field, confirms in the dialog, watches the
// progress bar move (pausing and resuming it on the way) to done and downloads
// the riscontri and the zip of every notice; the campaign's App IO message
// reaches Mario Rossi in the simulator; Mario opens his TARI, pays two
// instalments at the pagoPA checkout and downloads the receipts; the riscontri
// then show him partially paid; the day reconciles and the ledger balances.
// The campaign page shows its App IO messages (sent ≥ 1, the paper list) and
// its accounting per budget line with the check passed. Every page is checked
// with axe-core at 1280×800 and 390×844 and leaves a screenshot.
// Usage: BASE_URL=… ROLL=/path/roll.csv ROWS=10000 node tari.mjs
import { readFileSync } from 'node:fs';
import { base, newPage, login, expect, step, run, shot, axe } from './harness.mjs';

const roll = process.env.ROLL;
const rows = Number(process.env.ROWS || 0);
const wide = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };
const mario = 'RSSMRA80A01L424F';

async function settled(page) {
  await page.locator('main:not([aria-busy])').waitFor();
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle').catch(() => {});
}

// check runs axe at both sizes and saves a screenshot of each.
async function check(page, name) {
  for (const [size, vp] of [['1280', wide], ['390', phone]]) {
    await page.setViewportSize(vp);
    await page.waitForTimeout(150);
    const v = await axe(page);
    await shot(page, `${name}.${size}`);
    expect(v.length === 0, `axe on ${name} at ${size}px: ` + v.join('; '));
    const wider = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wider <= vp.width, `${name} at ${size}px is ${wider}px wide: it scrolls sideways`);
  }
  await page.setViewportSize(wide);
}

// download clicks the link and returns the downloaded file's text.
async function download(page, link) {
  const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return readFileSync(await dl.path(), 'utf8');
}

// marioLines are Mario Rossi's lines of a riscontri CSV.
const marioLines = (csv) => csv.split('\n').filter((l) => l.includes(',' + mario + ','));

let office = null;
let citizen = null;
let campaignURL = '';
let notices = [];

await run(async () => {
  expect(roll && rows > 0, 'ROLL and ROWS must be set');
  await step('tari-office-campaigns', async () => {
    office = await newPage();
    await login(office, 'admin.trieste');
    await office.getByRole('link', { name: 'Emissioni massive' }).first().click();
    await office.waitForURL(base + '/campagne');
    await settled(office);
    await check(office, 'office-campaigns');
  });
  await step('tari-office-new-campaign', async () => {
    await office.getByTestId('new-campaign').click();
    await office.waitForURL(base + '/campagne/nuova');
    await settled(office);
    await check(office, 'office-new-campaign');
    // A bad budget line is refused next to its field, then corrected.
    await office.locator('#f-comp-0-capitolo').fill('');
    await office.getByTestId('create-campaign').click();
    await office.locator('.error-summary').waitFor();
    expect(await office.locator('#f-comp-0-capitolo.is-invalid').count() === 1, 'the empty capitolo is not marked');
    await check(office, 'office-new-campaign-errors');
    await office.locator('#f-comp-0-capitolo').fill('1010');
    await office.getByTestId('create-campaign').click();
    await office.waitForURL(/\/campagne\/[0-9a-f-]{36}$/);
    campaignURL = office.url();
    await settled(office);
    expect((await office.getByTestId('campaign-status').textContent()) === 'Bozza', 'the new campaign is not a draft');
  });
  await step('tari-office-dry-run', async () => {
    await office.locator('#roll-file').setInputFiles(roll);
    const t0 = Date.now();
    await office.getByTestId('upload-roll').click();
    await office.getByTestId('dry-run').waitFor({ timeout: 120000 });
    console.log(`upload and dry run of ${rows} rows: ${Date.now() - t0} ms`);
    const num = async (id) => Number((await office.getByTestId(id).textContent()).replace(/\D/g, ''));
    expect(await num('dry-rows') === rows, 'valid rows: ' + await office.getByTestId('dry-rows').textContent());
    expect(await num('dry-refused') === 1, 'refused rows: ' + await office.getByTestId('dry-refused').textContent());
    const bad = await office.getByTestId('refused-rows').locator('tbody tr').first().textContent();
    expect(bad.includes(String(rows + 2)) && bad.includes('fiscal_code'), 'the bad row is not shown with its line and field: ' + bad);
    await check(office, 'office-dry-run');
  });
  await step('tari-office-confirm', async () => {
    await office.getByTestId('confirm-issue').click();
    await office.getByTestId('confirm-dialog').waitFor();
    await check(office, 'office-confirm-dialog');
    const t0 = Date.now();
    await office.getByTestId('confirm-yes').click();
    await office.getByTestId('progress').waitFor();
    const seen = new Set();
    let paused = false;
    const deadline = Date.now() + 15 * 60 * 1000;
    for (;;) {
      const v = await office.locator('[data-testid="progress"] [role="progressbar"]').getAttribute('aria-valuenow').catch(() => null);
      if (v !== null) seen.add(Number(v));
      if (seen.size === 2) await shot(office, 'office-progress-moving');
      if (rows > 500 && !paused) {
        // Pause at once: it takes effect at the end of the first chunk of
        // 500 rows, so a roll of more than one chunk stops part-way; resume.
        paused = true;
        await office.locator('button[data-action="pause"]').click();
        await office.locator('[data-testid="campaign-status"]', { hasText: 'In pausa' }).waitFor({ timeout: 10 * 60 * 1000 });
        const at = Number(await office.locator('[data-testid="progress"] [role="progressbar"]').getAttribute('aria-valuenow'));
        expect(at > 0 && at < 100, 'paused at ' + at + ' %');
        seen.add(at);
        await check(office, 'office-campaign-paused');
        await office.locator('button[data-action="resume"]').click();
        await office.locator('[data-testid="campaign-status"]', { hasText: 'In emissione' }).waitFor({ timeout: 60000 });
      }
      const st = await office.getByTestId('campaign-status').textContent().catch(() => '');
      if (st === 'Emessa') break;
      expect(Date.now() < deadline, 'the campaign did not finish issuing; progress seen: ' + [...seen].join(','));
      await office.waitForTimeout(400);
    }
    const secs = (Date.now() - t0) / 1000;
    console.log(`issued ${rows} rows in ${secs.toFixed(1)} s (${(rows / secs).toFixed(0)} rows/s); progress values seen: ${[...seen].sort((a, b) => a - b).join(',')}`);
    await settled(office);
    const text = await office.getByTestId('progress-text').textContent();
    expect(text.includes(rows.toLocaleString('it-IT')), 'the progress does not say every row is issued: ' + text);
    expect(await office.locator('[data-testid="progress"] [role="progressbar"]').getAttribute('aria-valuenow') === '100', 'the bar is not at 100');
    await check(office, 'office-campaign-done');
  });
  await step('tari-office-riscontri', async () => {
    const csv = await download(office, office.getByTestId('riscontri-csv'));
    const lines = csv.trim().split('\n');
    expect(lines.length === rows * 4 + 1, `riscontri lines: ${lines.length}, want ${rows * 4 + 1}`);
    const mine = marioLines(csv);
    expect(mine.length === 4 && mine.every((l) => l.includes(',unpaid,')), 'Mario in the riscontri: ' + mine.join(' | '));
    notices = mine.map((l) => l.split(',')[5]);
  });
  await step('tari-office-notices-zip', async () => {
    // One PDF per debtor, streamed as it renders: the zip's central directory counts them.
    const [dl] = await Promise.all([office.waitForEvent('download'), office.getByTestId('notices-zip').click()]);
    const zip = readFileSync(await dl.path());
    expect(zip.subarray(0, 2).toString() === 'PK', 'the notices download is not a zip');
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const entries = zip.readUInt16LE(eocd + 10);
    expect(entries === rows, `the zip holds ${entries} notices, want ${rows}`);
    console.log(`notices zip: ${entries} PDFs, ${(zip.length / 1048576).toFixed(1)} MB`);
  });
  await step('tari-appio-message', async () => {
    // The campaign's App IO notice reaches Mario's inbox in the simulator, with his first notice number.
    const deadline = Date.now() + 120000;
    for (;;) {
      const r = await fetch(base + '/sim/appio/inbox/' + mario);
      const msgs = r.ok ? await r.json() : [];
      const hit = msgs.find((m) => notices.some((n) => JSON.stringify(m).includes(n)));
      if (hit) break;
      expect(Date.now() < deadline, 'no App IO message with a notice of this campaign for Mario: ' + JSON.stringify(msgs).slice(0, 400));
      await new Promise((res) => setTimeout(res, 1000));
    }
  });
  await step('tari-office-appio', async () => {
    // The campaign page shows the notice's messages on App IO by outcome, at
    // least one sent (Mario's), and links the paper list as CSV.
    await office.goto(campaignURL);
    await settled(office);
    await office.getByTestId('appio').waitFor();
    const sent = Number((await office.getByTestId('io-sent').textContent()).replace(/\D/g, ''));
    expect(sent >= 1, 'App IO notices sent: ' + await office.getByTestId('io-sent').textContent());
    const rows = await office.getByTestId('appio-counts').locator('tbody tr').count();
    expect(rows >= 2, `the App IO table has ${rows} rows, want the notice and its reminders`);
    const paper = await download(office, office.getByTestId('io-paper-csv'));
    expect(paper.startsWith('line,fiscal_code,name,address,status,reason'), 'the paper list CSV: ' + paper.slice(0, 120));
    const listed = paper.trim().split('\n').length - 1;
    const shown = Number((await office.getByTestId('io-paper').textContent()).replace(/\D/g, ''));
    expect(listed === shown, `the paper list holds ${listed} debtors, the page says ${shown}`);
    console.log(`App IO on the campaign page: ${sent} notices sent, ${shown} for paper`);
    await office.getByTestId('appio').scrollIntoViewIfNeeded();
    await check(office, 'office-campaign-appio');
  });
  await step('tari-citizen-page', async () => {
    citizen = await newPage();
    await login(citizen, 'mario.rossi');
    await citizen.getByRole('link', { name: 'TARI e tributi' }).first().click();
    await citizen.waitForURL(base + '/tari');
    await settled(citizen);
    const states = await citizen.locator('[data-testid="tax-option"]').evaluateAll((els) => els.map((e) => e.dataset.state));
    expect(states.join(',') === 'due,due,due,due', 'option states: ' + states.join(','));
    await check(citizen, 'citizen-tari');
  });
  await step('tari-citizen-pays-two', async () => {
    for (const i of [1, 2]) {
      const opt = citizen.locator('[data-testid="tax-option"]').nth(i);
      const pay = opt.getByTestId('pay');
      await citizen.waitForFunction((el) => el.getAttribute('href') !== '#', await pay.elementHandle());
      const [popup] = await Promise.all([citizen.waitForEvent('popup'), pay.click()]);
      await popup.waitForLoadState();
      await popup.locator('form[action="checkout/pay"] button').click();
      await popup.locator('#receiptId').waitFor();
      await shot(popup, `citizen-checkout-paid-${i}`);
      await popup.close();
    }
    const deadline = Date.now() + 60000;
    for (;;) {
      await citizen.reload();
      await settled(citizen);
      if (await citizen.getByTestId('receipts').locator('li').count() === 2) break;
      expect(Date.now() < deadline, 'the receipts did not arrive');
      await citizen.waitForTimeout(1000);
    }
    const states = await citizen.locator('[data-testid="tax-option"]').evaluateAll((els) => els.map((e) => e.dataset.state));
    expect(states.join(',') === 'superseded,paid,paid,due', 'option states after paying: ' + states.join(','));
    expect((await citizen.getByTestId('tax-state').textContent()) === 'Pagato in parte', 'standing: ' + await citizen.getByTestId('tax-state').textContent());
    const rt = await download(citizen, citizen.locator('[data-testid="tax-option"]').nth(1).getByTestId('receipt'));
    expect(rt.includes(notices[1]), 'the receipt is not the instalment\'s');
    await check(citizen, 'citizen-tari-paid');
    // The page in English and Slovenian: its own texts, no Italian left.
    for (const [l, title, paid] of [['en', 'My local taxes', 'Partly paid'], ['sl', 'Moji lokalni davki', 'Delno plačano']]) {
      await citizen.locator(`.lang-switch button[data-lang="${l}"]`).click();
      await citizen.locator(`.lang-switch button[data-lang="${l}"][aria-pressed="true"]`).waitFor();
      await settled(citizen);
      expect((await citizen.locator('main h1').textContent()) === title, `the ${l} title`);
      expect((await citizen.getByTestId('tax-state').textContent()) === paid, `the ${l} standing`);
      const italian = await citizen.locator('main').evaluate((m) => ['Rata ', 'Unica soluzione', 'Scarica la ricevuta', 'Da pagare'].filter((s) => m.innerText.includes(s)));
      expect(italian.length === 0, `Italian on the ${l} page: ` + italian.join(', '));
      await shot(citizen, `citizen-tari-paid.${l}`);
    }
    await citizen.locator('.lang-switch button[data-lang="it"]').click();
    await settled(citizen);
  });
  await step('tari-office-partially-paid', async () => {
    await office.goto(campaignURL);
    await settled(office);
    const csv = await download(office, office.getByTestId('riscontri-csv'));
    const mine = marioLines(csv);
    expect(mine.length === 4 && mine.every((l) => l.includes(',partially_paid,')), 'Mario in the riscontri after paying: ' + mine.join(' | '));
    expect(mine.filter((l) => l.includes(',true,')).length >= 2, 'two options paid: ' + mine.join(' | '));
    const sum = await office.getByTestId('summary').textContent();
    expect(/Pagato in parte\s*1/.test(sum), 'summary: ' + sum);
    await check(office, 'office-campaign-paid');
    // The office's pages in English and Slovenian.
    for (const [l, title, paid] of [['en', 'Payments so far', 'Partly paid'], ['sl', 'Stanje plačil', 'Delno plačano']]) {
      await office.locator(`.lang-switch button[data-lang="${l}"]`).click();
      await office.locator(`.lang-switch button[data-lang="${l}"][aria-pressed="true"]`).waitFor();
      await settled(office);
      expect((await office.locator('#sum-h').textContent()) === title, `the ${l} summary title`);
      expect((await office.getByTestId('summary').textContent()).includes(paid), `the ${l} summary`);
      await shot(office, `office-campaign-paid.${l}`);
    }
    await office.locator('.lang-switch button[data-lang="it"]').click();
    await settled(office);
  });
  await step('tari-reconciliation-balances', async () => {
    // The day's flows and treasury journal from the reporting simulator, the
    // reconciliation run the next day, and the ledger balances; the campaign's
    // accounting (accertamenti per row, reversali for what was paid) checks out.
    const id = campaignURL.split('/').pop();
    const out = await office.evaluate(async (id) => {
      const app = document.querySelector('script[type=module][src]').src;
      const { get, post } = await import(new URL('api.js', app).href);
      const now = new Date();
      const day = now.toISOString().slice(0, 10);
      const next = new Date(now.getTime() + 86400000).toISOString().slice(0, 10);
      let delivered = null;
      for (let i = 0; i < 100 && !delivered; i++) {
        const r = await fetch('/sim/reporting/days/' + day + '/deliver', { method: 'POST' });
        if (r.ok) delivered = await r.json(); else await new Promise((res) => setTimeout(res, 200));
      }
      const run = await post('/api/reconciliation/runs?ente=c_l424', { day: next });
      const bal = await get('/api/ledger/balance?ente=c_l424');
      const acc = await get('/api/ledger/campaigns/' + id + '/accounting?ente=c_l424');
      return { delivered, run, bal, acc };
    }, id);
    expect(out.delivered, 'the reporting simulator delivered nothing');
    expect(out.run.outcomes.receipt.reconciled >= 2, 'the run did not reconcile the two payments: ' + JSON.stringify(out.run.outcomes));
    expect(out.bal.debit === out.bal.credit && out.bal.debit > 0, 'the ledger does not balance: ' + JSON.stringify(out.bal));
    expect(out.acc.check && out.acc.check.ok === true, 'the campaign accounting check: ' + JSON.stringify(out.acc.check));
    console.log(`reconciled: ${JSON.stringify(out.run.outcomes)}; ledger debit = credit = ${out.bal.debit}`);
  });
  await step('tari-office-accounting', async () => {
    // The campaign page's accounting: one row per budget line of the ente and
    // the total, the check passed in a callout;
    // the CSV says VERIFICA;OK. The section's titles in English and Slovenian.
    await office.goto(campaignURL);
    await settled(office);
    const box = office.getByTestId('accounting');
    await box.waitFor();
    const lines = await office.getByTestId('accounting-lines').locator('tbody tr').count();
    expect(lines >= 2, `accounting rows: ${lines}, want the ente's budget lines and the total`);
    const verdict = office.getByTestId('accounting-check');
    expect((await verdict.getAttribute('data-ok')) === 'true', 'the accounting check on the page: ' + await verdict.textContent());
    expect((await verdict.textContent()).includes('Quadra'), 'the check callout: ' + await verdict.textContent());
    expect(await office.getByTestId('accounting-problems').count() === 0, 'problems listed with the check ok');
    const total = await office.getByTestId('accounting-lines').locator('tbody tr').last().textContent();
    expect(total.startsWith('Totale'), 'the last row is not the total: ' + total);
    const csv = await download(office, office.getByTestId('accounting-csv'));
    expect(csv.includes('VERIFICA;OK'), 'the accounting CSV: ' + csv.slice(-200));
    await box.scrollIntoViewIfNeeded();
    await check(office, 'office-campaign-accounting');
    for (const [l, io, acc, ok] of [['en', 'Messages on App IO', 'Campaign accounting', 'Balanced'], ['sl', 'Sporočila v App IO', 'Računovodstvo kampanje', 'V redu']]) {
      await office.locator(`.lang-switch button[data-lang="${l}"]`).click();
      await office.locator(`.lang-switch button[data-lang="${l}"][aria-pressed="true"]`).waitFor();
      await settled(office);
      expect((await office.locator('#io-h').textContent()) === io, `the ${l} App IO title`);
      expect((await office.locator('#acc-h').textContent()) === acc, `the ${l} accounting title`);
      expect((await office.getByTestId('accounting-check').textContent()).includes(ok), `the ${l} check`);
      await check(office, `office-campaign-accounting.${l}`);
    }
    await office.locator('.lang-switch button[data-lang="it"]').click();
    await settled(office);
  });
});
