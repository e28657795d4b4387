// portal.mjs: every page of every demo user, as a person would meet it.
// A citizen first submits a pratica with the keyboard only (Tab, typing,
// Enter). Then each user's pages are visited: at 1280×800 and 390×844 axe-core
// must find no violation of any impact; in Italian, English and Slovenian no
// text of another language may show (every visible text of the portal's own
// table is checked against the other languages' texts) and no internal code
// (ente IPA codes, pratica UUIDs, office codes that are not words, raw message states). Every
// visit leaves a screenshot.
// Usage: BASE_URL=http://127.0.0.1:8080 [SHOTS=dir] node portal.mjs
import { base, newPage, login, expect, step, run, shot, axe } from './harness.mjs';

const wide = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };
const service = 'c_l424.richiesta-generica';

let page = await newPage();

// settled waits for the portal to finish drawing a page.
async function settled() {
  await page.locator('main:not([aria-busy])').waitFor();
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle').catch(() => {});
}

// setLang chooses a language with the header's switch.
async function setLang(l) {
  const btn = page.locator(`.lang-switch button[data-lang="${l}"]`);
  if ((await btn.getAttribute('aria-pressed')) === 'true') return;
  await btn.click();
  await page.locator(`.lang-switch button[data-lang="${l}"][aria-pressed="true"]`).waitFor();
  await settled();
}

// mixed returns the visible texts of the page that belong to another language
// of the portal's table, and the internal codes that show.
async function mixed(l, offices) {
  return page.evaluate(async ([l, offices]) => {
    const src = document.querySelector('script[type="module"]').src.replace(/app\.js$/, 'i18n.js');
    const dict = (await import(src)).allTexts();
    const mine = new Set(Object.values(dict[l]));
    const foreign = new Map();
    for (const [other, texts] of Object.entries(dict)) {
      if (other === l) continue;
      for (const s of Object.values(texts)) if (!mine.has(s) && s.length >= 4) foreign.set(s, other);
    }
    const bad = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent.trim();
      if (!text || !el || el.closest('script, style, textarea, pre, noscript, [hidden]')) continue;
      const techId = !!el.closest('code.tech-id'); // the modeller names templates and forms by id, the designer's handle
      if (!el.checkVisibility() && !el.closest('.visually-hidden')) continue;
      const own = el.closest('[lang]');
      if (own && own.getAttribute('lang') !== l) continue; // the language switch names each language in itself
      for (const [s, other] of foreign) {
        if (text === s || (s.length >= 12 && text.includes(s))) bad.push(`"${text}" is ${other}`);
      }
      if (!techId && /\bc_[a-z]\d{3}\b/.test(text)) bad.push(`"${text}" shows an ente code`);
      if (/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(text)) bad.push(`"${text}" shows a pratica id`);
      if (l !== 'en' && /^(sent|failed|pending)$/i.test(text)) bad.push(`"${text}" is a raw state`);
      for (const code of offices.filter((c) => /[-_0-9]/.test(c))) if (new RegExp('(^|[\\s(·:])' + code.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '($|[\\s),·])').test(text)) bad.push(`"${text}" shows office code ${code}`);
    }
    const title = document.title;
    return { bad: [...new Set(bad)], title };
  }, [l, offices]);
}

// check visits path as the signed-in user: axe at both sizes, then every language.
async function check(user, path, offices) {
  const name = user + path.replace(/\//g, '_');
  await page.setViewportSize(wide);
  await page.goto(base + path);
  await settled();
  await setLang('it');
  for (const [size, vp] of [['1280', wide], ['390', phone]]) {
    await page.setViewportSize(vp);
    await page.waitForTimeout(150);
    const v = await axe(page);
    await shot(page, `${name}.it.${size}`);
    expect(v.length === 0, `axe on ${path} at ${size}px: ` + v.join('; '));
    const wider = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wider <= vp.width, `${path} at ${size}px is ${wider}px wide: it scrolls sideways`);
  }
  await page.setViewportSize(wide);
  for (const l of ['it', 'en', 'sl']) {
    await setLang(l);
    const { bad } = await mixed(l, offices);
    if (l !== 'it') await shot(page, `${name}.${l}`);
    expect(bad.length === 0, `${path} in ${l}: ` + bad.slice(0, 6).join('; '));
    expect(await page.evaluate(() => document.documentElement.lang) === l, `${path}: <html lang> is not ${l}`);
  }
  await setLang('it');
}

// tabTo presses Tab until the focused element matches selector.
async function tabTo(selector, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement && document.activeElement.matches(s), selector)) return;
  }
  throw new Error('Tab never reached ' + selector);
}

async function logout() {
  await page.getByRole('button', { name: 'Esci' }).click();
  await page.getByRole('link', { name: 'Accedi' }).first().waitFor();
}

await run(async () => {
  let offices = [];
  let praticaId = '';
  await step('anonymous-pages', async () => {
    for (const path of ['/', '/accessibilita', '/privacy']) await check('anonymous', path, []);
    await page.goto(base + '/accessibilita');
    await page.getByRole('heading', { name: 'Dichiarazione di accessibilità' }).waitFor();
  });
  await step('keyboard-journey', async () => {
    await login(page, 'mario.rossi');
    await page.waitForURL(base + '/servizi');
    await settled();
    offices = await page.evaluate(async () => (await (await fetch('/api/catalog/enti/c_l424/units')).json()).map((u) => u.code));
    expect(offices.length > 0, 'no offices for Trieste');
    await page.locator('body').focus();
    await tabTo(`a[data-testid="start-${service}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(base + '/servizi/' + service);
    await settled();
    const field = async (label, text) => {
      const id = await page.getByLabel(label).getAttribute('id');
      await tabTo('#' + id);
      await page.keyboard.type(text);
    };
    await field('Oggetto', 'Buca in via Carducci');
    await field('Testo della richiesta', 'Una buca profonda davanti al civico 8 di via Carducci.');
    await field('Email', 'mario.rossi@example.org');
    await tabTo('form.start-form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/pratiche\/[0-9a-f-]{36}$/);
    praticaId = page.url().split('/').pop();
    await page.getByTestId('timeline').locator('li').first().waitFor();
    await page.getByTestId('breadcrumbs').waitFor();
    expect((await page.getByTestId('ente-name').textContent()).includes('Comune di Trieste'), 'the pratica does not show its ente');
  });
  await step('citizen-pages', async () => {
    for (const path of ['/servizi', '/servizi/' + service, '/servizi/c_f081.matrimonio', '/pratiche', '/pratiche/' + praticaId, '/tari']) {
      await check('mario.rossi', path, offices);
    }
  });
  await step('slovenian-form-errors', async () => {
    await page.goto(base + '/servizi/' + service);
    await settled();
    await setLang('sl');
    await page.getByRole('button', { name: 'Pošlji vlogo' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    const items = await summary.locator('li').allTextContents();
    expect(items.length === 2 && items.every((x) => x.includes('je obvezno')), 'Slovenian field errors: ' + JSON.stringify(items));
    const { bad } = await mixed('sl', offices);
    expect(bad.length === 0, 'the form with errors in sl: ' + bad.join('; '));
    const v = await axe(page);
    expect(v.length === 0, 'axe on the form with errors: ' + v.join('; '));
    await shot(page, 'mario.rossi_form-errors.sl');
    await setLang('it');
  });
  await step('marriage-pratica', async () => {
    // Started in Slovenian through the API (its form is long), so its App IO
    // messages are Slovenian; the page must show its payment in every language.
    const id = await page.evaluate(async () => {
      const me = await (await fetch('/api/me')).json();
      const d = new Date(); d.setMonth(d.getMonth() + 2);
      const data = {
        sposo1: { nome: 'Mario', cognome: 'Rossi', codiceFiscale: 'RSSMRA80A01L424F', dataNascita: '1980-01-01' },
        sposo2: { nome: 'Giulia', cognome: 'Bianchi', codiceFiscale: 'BNCGLI85C55L424K', dataNascita: '1985-03-15' },
        sala: 'sala-matrimoni', data: d.toISOString().slice(0, 10), testimoni: 2,
      };
      const r = await fetch('/api/pratiche', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': 'sl', 'X-CSRF-Token': me.csrfToken },
        body: JSON.stringify({ service: 'c_l424.matrimonio', data }) });
      const b = await r.json();
      if (!r.ok) throw new Error('start marriage: ' + r.status + ' ' + JSON.stringify(b));
      return b.id;
    });
    const deadline = Date.now() + 30000;
    for (;;) {
      await page.goto(base + '/pratiche/' + id);
      await settled();
      if (await page.getByTestId('notice-number').count() > 0 && await page.locator('.messages li').count() > 0) break;
      expect(Date.now() < deadline, 'the marriage has no notice or message yet');
      await page.waitForTimeout(1000);
    }
    await check('mario.rossi', '/pratiche/' + id, offices);
    const msg = await page.locator('.messages li').first().textContent();
    expect(msg.includes('Poroka'), 'the App IO message is not Slovenian: ' + msg);
    const dataText = await page.getByTestId('data').textContent();
    expect(!dataText.includes('sala-matrimoni'), 'the room shows as its code: ' + dataText);
    await logout();
  });
  const staff = [
    ['op.trieste', ['/attivita', '/pratiche', '/pratiche/' + praticaId]],
    ['admin.trieste', ['/attivita', '/pratiche', '/personalizzazioni', '/monitoraggio', '/ruoli', '/modellatore', '/campagne', '/campagne/nuova']],
    ['designer.regione', ['/modellatore', '/modellatore/modelli/matrimonio', '/modellatore/moduli/richiesta-generica']],
    ['admin.regione', ['/monitoraggio', '/pratiche', '/ruoli']],
    ['op.medea', ['/attivita']],
    ['op.protocollo', ['/attivita', '/pratiche']],
    ['giulia.bianchi', ['/servizi', '/pratiche']],
  ];
  for (const [user, paths] of staff) {
    await step(user + '-pages', async () => {
      page = await newPage();
      await login(page, user);
      await settled();
      for (const p of paths) await check(user, p, offices);
    });
  }
});
