// Saved searches in a real browser: the demo investor keeps two searches of
// the catalogue (one with JavaScript off, one with it on), officers publish
// the demo's submitted candidacy in Bergamo, the investor gets an email for
// each search naming the site, and ends one from the email's link without
// logging in, the other from the list of saved searches. A visitor without
// an account is offered to log in and comes back to the same search. axe on
// the box, the list, the errors and the unsubscribe page, in both languages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { audit, browserMissing, logInAsDemo, useStack, waitForLink, waitForMail, watchConsole } from "./harness.mjs";

const skip = browserMissing();
const stack = useStack(skip, { demoSites: 12 });
const INVESTOR = "investitore@demo.test";

async function open(javaScriptEnabled, locale = "it-IT") {
  const context = await stack.browser.newContext({ javaScriptEnabled, locale });
  const page = await context.newPage();
  return { context, page, problems: watchConsole(page, { scriptsOff: !javaScriptEnabled }) };
}

/** Saves the catalogue's search at `query` under `name`, from the box beside the results. */
async function saveSearch(page, query, name) {
  await page.goto(`${stack.portal.base}/opportunita?${query}`);
  const box = page.locator("section.save-search");
  await box.getByLabel("Nome della ricerca").fill(name);
  await box.getByRole("button", { name: "Salva questa ricerca" }).click();
  await page.waitForURL("**/account/searches?saved=1");
  await page.getByText("Ricerca salvata.").waitFor();
}

test("an investor saves searches and hears of the site published for them, then stops the emails", { skip, timeout: 240000 }, async () => {
  const base = stack.portal.base;

  // A visitor without an account is offered to log in, and comes back to the search.
  const visitor = await open(false);
  await visitor.page.goto(`${base}/opportunita?province=BG`);
  await audit(visitor.page, "saved nojs box for visitors", { javaScript: false });
  await visitor.page.getByRole("link", { name: "Acceda come investitore" }).click();
  await visitor.page.waitForURL(/\/login\?next=/);
  await visitor.page.locator("#f-email").fill(INVESTOR);
  await visitor.page.locator("#f-password").fill("Lombardia-Demo-2028");
  await visitor.page.locator("form[action='/login'] button[type=submit]").click();
  await visitor.page.waitForURL(/\/opportunita\?province=BG$/);

  // With JavaScript off: the box, its name suggested from the filters.
  const box = visitor.page.locator("section.save-search");
  assert.match(await box.getByLabel("Nome della ricerca").inputValue(), /Provincia: Bergamo/);
  await box.getByLabel("Nome della ricerca").fill("Bergamo senza JavaScript");
  await box.getByRole("button", { name: "Salva questa ricerca" }).click();
  await visitor.page.waitForURL("**/account/searches?saved=1");

  // With JavaScript on: the box, the list of searches, in both languages.
  const investor = await open(true);
  await logInAsDemo(stack, investor.page, INVESTOR);
  await investor.page.getByRole("link", { name: /Le mie ricerche salvate/ }).click();
  await investor.page.waitForURL("**/account/searches");
  await investor.page.goto(`${base}/opportunita?province=BG&land_min=1000`);
  await audit(investor.page, "saved js box for investors");
  // A name too long (past the field's own limit) is refused by its field and kept.
  const name = investor.page.locator("section.save-search").getByLabel("Nome della ricerca");
  await name.evaluate((input) => input.removeAttribute("maxlength"));
  await name.fill("Capannoni ".repeat(9));
  await investor.page.locator("section.save-search").getByRole("button", { name: "Salva questa ricerca" }).click();
  await investor.page.locator("#f-name-error").waitFor();
  assert.match(await investor.page.locator("#f-name-error").innerText(), /80 caratteri al massimo/);
  assert.equal(await investor.page.locator("#f-name").inputValue(), "Capannoni ".repeat(9));
  await audit(investor.page, "saved js name too long");
  await saveSearch(investor.page, "province=BG&land_min=1000", "Aree a Bergamo");
  const rows = investor.page.locator("#saved-searches > li");
  assert.equal(await rows.count(), 2);
  assert.match(await rows.first().innerText(), /Aree a Bergamo[\s\S]*Provincia: Bergamo[\s\S]*nessuna email finora/);
  await audit(investor.page, "saved js list");
  await investor.page.goto(`${base}/lang/en?next=/account/searches`);
  await investor.page.getByRole("heading", { name: "My saved searches" }).waitFor();
  assert.match(await rows.first().innerText(), /Province: Bergamo/);
  await audit(investor.page, "saved js list en");
  await investor.page.goto(`${base}/lang/it?next=/account/searches`);

  // Officers publish the demo's submitted candidacy, in Bergamo: taken,
  // validated, then published by another officer.
  const officer = await open(true);
  await logInAsDemo(stack, officer.page, "istruttore@demo.test");
  await officer.page.goto(`${base}/staff?status=submitted`);
  await officer.page.locator("#queue tbody tr a").first().click();
  await officer.page.waitForURL(/\/staff\/candidacies\/\d+\?from=/);
  const id = officer.page.url().match(/candidacies\/(\d+)/)[1];
  await officer.page.getByRole("button", { name: "Prendi in carico" }).click();
  await officer.page.locator("#validate").waitFor();
  await officer.page.getByRole("button", { name: "Verifica: la candidatura è ammissibile" }).click();
  await officer.page.locator("#validate").waitFor({ state: "detached" });
  const admin = await open(true);
  await logInAsDemo(stack, admin.page, "admin@demo.test");
  await admin.page.goto(`${base}/staff/candidacies/${id}/publish`);
  await admin.page.getByRole("button", { name: "Pubblica nel catalogo" }).click();
  await admin.page.locator("#unpublish").waitFor();

  // One email for each search, naming the site and linking to it.
  const first = await waitForMail(stack.sink, INVESTOR, "Nuovi siti per la ricerca «Aree a Bergamo»");
  const second = await waitForMail(stack.sink, INVESTOR, "Nuovi siti per la ricerca «Bergamo senza JavaScript»");
  for (const mail of [first, second]) {
    assert.match(mail.body, /È online un nuovo sito/);
    assert.match(mail.raw, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
  }
  const site = first.body.match(/https?:\/\/\S+\/opportunita\/OL-\d{4}-\d{6}/)[0];
  await investor.page.goto(site);
  await investor.page.locator("h1").waitFor();

  // One email's link, opened without logging in, with JavaScript on: one button.
  const { url } = await waitForLink(stack.sink, INVESTOR, "/searches/unsubscribe/");
  const stranger = await open(true);
  await stranger.page.goto(url);
  await audit(stranger.page, "saved js unsubscribe page");
  await stranger.page.getByRole("button", { name: "Interrompi le email ed elimina la ricerca" }).click();
  await stranger.page.getByText("Fatto: non riceverà più email su questa ricerca.").waitFor();
  await audit(stranger.page, "saved js unsubscribed");

  // The other, from the list with JavaScript off.
  await visitor.page.goto(`${base}/account/searches`);
  assert.equal(await visitor.page.locator("#saved-searches > li").count(), 1);
  await visitor.page.locator("#saved-searches > li").first().getByRole("button", { name: "Elimina" }).click();
  await visitor.page.waitForURL("**/account/searches?deleted=1");
  await visitor.page.locator("#no-searches").waitFor();
  await audit(visitor.page, "saved nojs none left", { javaScript: false });

  for (const who of [visitor, investor, officer, admin, stranger]) {
    assert.deepEqual(who.problems, [], "no console errors or CSP violations");
    await who.context.close();
  }
});
