// overlays.mjs: the ente admin's "Personalizzazioni" page in headless Chromium,
// after a regional publish that Trieste's marriage overlay no longer fits: the
// overlay is marked for review, naming the value to fix and the versions.
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node overlays.mjs
// Prints "ok <step>" per step and PASS, or "FAIL <step>: why" and exits 1.
import { base, newPage, login, expect, step, run } from './harness.mjs';

const page = await newPage();

await run(async () => {
  await step('admin-login', async () => {
    await login(page, 'admin.trieste');
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
});
