// modeller.mjs: the designer's and the ente admin's journeys in the visual
// modeller, in headless Chromium. The regional designer builds a three-field
// form in the form builder (a condition: the delegating person's tax code only
// when "on behalf of someone else" is ticked), reorders it by keyboard and by
// drag, checks the JSON tab both ways and publishes it; makes a template of
// it in the graph (the server's problems marked on a node, a step added from
// the palette, its properties edited), publishes it after a confirmation,
// runs the dry run (the path drawn on the graph) and reads the texts changed
// between two versions. Trieste's admin changes the marriage fee in the
// overlay form, in euros, picks an IBAN among the ente's accounts, publishes,
// and the next pratica of a citizen asks for the new fee. Every page: axe at
// 1280×800 and 390×844 and a screenshot; the modeller's labels in it/en/sl.
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node modeller.mjs
import { base, newPage, login, expect, step, run, shot, axe } from './harness.mjs';

const wide = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };
let page = await newPage();

async function settled() {
  await page.locator('main:not([aria-busy])').waitFor();
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle').catch(() => {});
}

async function setLang(l) {
  const btn = page.locator(`.lang-switch button[data-lang="${l}"]`);
  if ((await btn.getAttribute('aria-pressed')) === 'true') return;
  await btn.click();
  await page.locator(`.lang-switch button[data-lang="${l}"][aria-pressed="true"]`).waitFor();
  await settled();
}

// checked runs axe at both sizes, with a screenshot of each, and refuses a page that scrolls sideways.
async function checked(name) {
  for (const [size, vp] of [['1280', wide], ['390', phone]]) {
    await page.setViewportSize(vp);
    await page.waitForTimeout(200);
    const v = await axe(page);
    await shot(page, `${name}.${size}`);
    expect(v.length === 0, `axe on ${name} at ${size}px: ` + v.join('; '));
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(w <= vp.width, `${name} at ${size}px is ${w}px wide`);
  }
  await page.setViewportSize(wide);
}

async function logout() {
  await page.getByRole('button', { name: 'Esci' }).click();
  await page.getByRole('link', { name: 'Accedi' }).first().waitFor();
}

// call sends an API request from the page, with the session and its CSRF token.
async function call(method, path, body) {
  return page.evaluate(async ([method, path, body]) => {
    const me = await (await fetch('/api/me')).json();
    const r = await fetch(path, { method, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, [method, path, body]);
}

const names = () => page.locator('.fb-fields > li').evaluateAll((els) => els.map((e) => e.dataset.name));

// field fills the builder's field i: its name, its labels in three languages, required.
async function field(i, kind, name, labels, required) {
  await page.locator(`button[data-kind="${kind}"]`).click();
  await page.locator(`#fb-${i}-name`).fill(name);
  await page.locator(`#fb-${i}-name`).press('Tab');
  await page.locator(`.fb-fields > li[data-name="${name}"]`).waitFor();
  for (const [l, v] of Object.entries(labels)) await page.locator(`#fb-${i}-label-${l}`).fill(v);
  if (required) await page.locator(`#fb-${i}-req`).check();
}

async function publishConfirmed() {
  await page.getByTestId('publish').click();
  const dlg = page.locator('dialog.confirm');
  await dlg.waitFor();
  expect((await dlg.textContent()).includes('non si può più modificare'), 'the confirmation does not say a published version is final');
  await shot(page, 'publish-confirmation');
  await dlg.getByTestId('confirm-ok').click();
}

const node = (id) => page.locator(`svg.graph g.node[data-step="${id}"]`);

await run(async () => {
  await step('designer-login', async () => { await login(page, 'designer.regione'); });

  await step('form-builder', async () => {
    await page.goto(base + '/modellatore/moduli/certificato-prova');
    await settled();
    await page.getByTestId('fields').waitFor({ state: 'attached' });
    await page.locator('#form-title-it').fill('Certificato di prova');
    await page.locator('#form-title-en').fill('Test certificate');
    await page.locator('#form-title-sl').fill('Poskusno potrdilo');
    await field(0, 'text', 'nome', { it: 'Nome e cognome', en: 'Full name', sl: 'Ime in priimek' }, true);
    await field(1, 'checkbox', 'delega', { it: 'Presento per conto di un\'altra persona', en: 'On behalf of someone else', sl: 'V imenu druge osebe' }, false);
    await field(2, 'cf', 'codiceDelegante', { it: 'Codice fiscale della persona rappresentata', en: 'Tax code of the person represented', sl: 'Davčna številka zastopane osebe' }, true);
    await page.locator('#fb-2-cond').selectOption('delega');
    expect(await page.locator('#fb-2-condv').inputValue() === 'true', 'the condition on a checkbox does not propose true');
    const preview = await page.getByTestId('preview').textContent();
    for (const l of ['Nome e cognome', 'Presento per conto di un\'altra persona', 'Codice fiscale della persona rappresentata']) expect(preview.includes(l), 'the preview lacks ' + l + ': ' + preview);

    // Keyboard: "move up" on the third field, then "move down" where the focus stays.
    await page.getByRole('button', { name: 'Sposta su: Codice fiscale della persona rappresentata' }).focus();
    await page.keyboard.press('Enter');
    expect(JSON.stringify(await names()) === '["nome","codiceDelegante","delega"]', 'move up by keyboard: ' + JSON.stringify(await names()));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') || ''), 'the focus is lost after a move');
    await page.getByRole('button', { name: 'Sposta giù: Codice fiscale della persona rappresentata' }).focus();
    await page.keyboard.press('Enter');
    expect(JSON.stringify(await names()) === '["nome","delega","codiceDelegante"]', 'move down by keyboard: ' + JSON.stringify(await names()));
    // Drag: the checkbox onto the first field, then back (with both in view:
    // a drag starts where the pointer went down, before any scrolling).
    await page.setViewportSize({ width: 1280, height: 4000 });
    await page.locator('.fb-fields > li[data-name="delega"] .fb-handle').dragTo(page.locator('.fb-fields > li[data-name="nome"]'));
    expect(JSON.stringify(await names()) === '["delega","nome","codiceDelegante"]', 'drag: ' + JSON.stringify(await names()));
    await page.locator('.fb-fields > li[data-name="nome"] .fb-handle').dragTo(page.locator('.fb-fields > li[data-name="delega"]'));
    expect(JSON.stringify(await names()) === '["nome","delega","codiceDelegante"]', 'drag back: ' + JSON.stringify(await names()));
    await page.setViewportSize(wide);
    await checked('form-builder');
  });

  await step('form-json-tab', async () => {
    await page.getByRole('tab', { name: 'JSON (avanzato)' }).click();
    const doc = JSON.parse(await page.locator('#fb-json').inputValue());
    const c = (doc.schema.allOf || [])[0] || {};
    expect(c.if?.properties?.delega?.const === true && c.then?.required?.[0] === 'codiceDelegante' && c.else?.not?.required?.[0] === 'codiceDelegante',
      'the condition is not if/then/else in the schema: ' + JSON.stringify(doc.schema.allOf));
    expect(JSON.stringify(doc.schema.required) === '["nome"]', 'required: ' + JSON.stringify(doc.schema.required));
    expect(JSON.stringify(doc.ui.order) === '["nome","delega","codiceDelegante"]', 'ui order: ' + JSON.stringify(doc.ui.order));
    expect(doc.ui.fields['/codiceDelegante'].label.sl === 'Davčna številka zastopane osebe', 'the Slovenian label is not in the UI schema');
    doc.ui.fields['/nome'].label.en = 'Name and surname';
    await page.locator('#fb-json').fill(JSON.stringify(doc, null, 2));
    await shot(page, 'form-json-tab');
    await page.getByRole('tab', { name: 'Costruttore' }).click();
    expect(await page.locator('#fb-0-label-en').inputValue() === 'Name and surname', 'an edit of the JSON did not reach the builder');
  });

  await step('form-publish', async () => {
    await page.getByTestId('save').click();
    await page.getByTestId('form-out').getByText('Bozza salvata').waitFor();
    await publishConfirmed();
    await page.getByTestId('form-out').getByText('Pubblicato').waitFor();
    // The server applies the condition too.
    const url = '/api/modeler/forms/certificato-prova/versions/1/validate';
    const missing = await call('POST', url, { nome: 'Mario Rossi', delega: true });
    expect(missing.status === 422 && JSON.stringify(missing.body).includes('codiceDelegante'), 'ticked without the tax code: ' + JSON.stringify(missing));
    const extra = await call('POST', url, { nome: 'Mario Rossi', delega: false, codiceDelegante: 'RSSMRA80A01L424F' });
    expect(extra.status === 422, 'the tax code without the tick was accepted: ' + JSON.stringify(extra));
    const ok = await call('POST', url, { nome: 'Mario Rossi', delega: true, codiceDelegante: 'RSSMRA80A01L424F' });
    expect(ok.status === 200, 'a valid submission: ' + JSON.stringify(ok));
  });

  await step('template-graph', async () => {
    await page.goto(base + '/modellatore/modelli/certificato-prova');
    await settled();
    await node('domanda').waitFor();
    // Saved as it is, the form step names no form: the server's problem marks the node.
    await page.getByTestId('save').click();
    await page.locator('svg.graph g.node.has-problem[data-step="domanda"]').waitFor();
    await shot(page, 'template-problem-on-node');
    await node('domanda').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('step-props').getByLabel('Modulo *', { exact: true }).fill('certificato-prova');
    await page.getByRole('button', { name: 'Applica' }).click();
    // A task from the palette, after the chosen step.
    await page.locator('#gp-type').selectOption('task');
    await page.getByRole('button', { name: 'Aggiungi dopo il passo scelto' }).click();
    await node('task-1').waitFor();
    await page.locator('#gp-title-it').fill('Verifica della delega');
    await page.locator('#gp-title-en').fill('Check of the delegation');
    await page.getByRole('button', { name: 'Applica' }).click();
    for (const e of ['domanda→task-1', 'task-1→conclusa']) expect(await page.locator(`svg.graph path[data-edge="${e}"]`).count() === 1, 'no edge ' + e);
    await page.getByTestId('save').click();
    await page.locator('#doc-out').getByText('Nessun problema').waitFor();
    expect(await page.locator('svg.graph g.node.has-problem').count() === 0, 'a node is still marked with a problem');
    await checked('template-graph');
    await publishConfirmed();
    await page.locator('#doc-out').getByText('Pubblicato').waitFor();
  });

  await step('dry-run', async () => {
    await page.getByTestId('dry-run').waitFor({ timeout: 20000 });
    await page.locator('#dry-data').fill('{"nome": "Mario Rossi", "delega": false}');
    expect(await page.locator('#dry-out-task-1').inputValue() === 'approve', 'the task\'s outcome cannot be chosen for the dry run');
    await page.getByTestId('dry-run').click();
    await page.locator('svg.graph g.node.on-path').nth(2).waitFor({ timeout: 30000 });
    const onPath = await page.locator('svg.graph g.node.on-path').evaluateAll((els) => els.map((e) => e.dataset.step).sort());
    expect(JSON.stringify(onPath) === '["conclusa","domanda","task-1"]', 'path drawn: ' + JSON.stringify(onPath));
    expect(await page.locator('svg.graph path.edge.taken').count() === 2, 'the edges taken are not drawn');
    expect((await page.getByTestId('dry-result').textContent()).includes('Conclusa'), 'the outcome is not shown');
    await checked('dry-run');
  });

  await step('versions-diff', async () => {
    await node('task-1').click();
    await page.locator('#gp-title-it').fill('Controllo della delega');
    await page.getByRole('button', { name: 'Applica' }).click();
    await page.getByTestId('save').click();
    await page.locator('#doc-out').getByText('Nessun problema').waitFor();
    await publishConfirmed();
    await page.locator('#doc-out').getByText('Pubblicato').waitFor();
    await page.locator('#diff-from').waitFor({ timeout: 20000 });
    await page.locator('#diff-from').selectOption('1');
    await page.locator('#diff-to').selectOption('2');
    await page.getByRole('button', { name: 'Mostra differenze' }).click();
    const texts = await page.getByTestId('diff-texts').textContent();
    expect(texts.includes('Verifica della delega') && texts.includes('Controllo della delega') && texts.includes('/steps/task-1/title'), 'the diff does not show the title changed: ' + texts);
    await checked('versions-diff');
  });

  await step('modeller-languages', async () => {
    for (const [l, tab, palette] of [['en', 'Graph', 'New step'], ['sl', 'Graf', 'Nov korak']]) {
      await setLang(l);
      await page.getByRole('tab', { name: tab }).waitFor();
      await page.getByText(palette, { exact: true }).waitFor();
      await shot(page, 'template-graph.' + l);
    }
    await page.goto(base + '/modellatore/moduli/certificato-prova');
    await settled();
    await page.getByText('Vrste polj', { exact: true }).waitFor();
    await setLang('en');
    await page.getByText('Field types', { exact: true }).waitFor();
    expect(await page.locator('#fb-0-label-en').inputValue() === 'Name and surname', 'the published form lost a label');
    await shot(page, 'form-builder.en');
    await setLang('it');
    await logout();
  });

  await step('admin-overlay-form', async () => {
    await login(page, 'admin.trieste');
    await page.goto(base + '/personalizzazioni');
    await settled();
    const card = page.getByTestId('overlay-matrimonio');
    expect((await card.getByTestId('overlay-values').textContent()).includes('150,00'), 'the fee is not shown in euros');
    await card.locator('summary').click();
    await card.getByLabel('Tariffa della celebrazione (€)').fill('175.00');
    await card.getByLabel('IBAN di accredito').selectOption('IT13X0306902230100000046001');
    await checked('admin-overlay-form');
    await card.getByTestId('overlay-publish').click();
    await card.getByTestId('overlay-out').getByText('Personalizzazione pubblicata').waitFor();
    await page.getByTestId('overlay-matrimonio').getByTestId('overlay-values').getByText('175,00').waitFor({ timeout: 20000 });
    const values = await page.getByTestId('overlay-matrimonio').getByTestId('overlay-values').textContent();
    expect(values.includes('Tesoreria comunale'), 'the IBAN is not shown as the ente\'s account: ' + values);
    await shot(page, 'admin-overlay-published');
    await logout();
  });

  await step('next-pratica-fee', async () => {
    await login(page, 'mario.rossi');
    const d = new Date(); d.setMonth(d.getMonth() + 2);
    const r = await call('POST', '/api/pratiche', { service: 'c_l424.matrimonio', data: {
      sposo1: { nome: 'Mario', cognome: 'Rossi', codiceFiscale: 'RSSMRA80A01L424F', dataNascita: '1980-01-01' },
      sposo2: { nome: 'Giulia', cognome: 'Bianchi', codiceFiscale: 'BNCGLI85C55L424K', dataNascita: '1985-03-15' },
      sala: 'sala-matrimoni', data: d.toISOString().slice(0, 10), testimoni: 2 } });
    expect(r.status === 200 || r.status === 201, 'start marriage: ' + JSON.stringify(r));
    const deadline = Date.now() + 40000;
    for (;;) {
      await page.goto(base + '/pratiche/' + r.body.id);
      await settled();
      if (await page.getByTestId('notice-number').count() > 0) break;
      expect(Date.now() < deadline, 'the marriage has no notice yet');
      await page.waitForTimeout(1000);
    }
    const text = await page.locator('main').textContent();
    expect(text.includes('175,00'), 'the new pratica does not ask for the new fee');
    await checked('next-pratica');
  });
});
