// The back office in a real browser: the demo officer finds the demo's
// submitted candidacy in the queue, filters it, opens it, takes it in charge,
// is told by the field when a rejection has no reasons, and validates it.
// axe on every back-office state, in Italian and in English, at 1280 and 390 px;
// the same pages with JavaScript off (forms post and filters apply without it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { audit, browserMissing, logInAsDemo, totp, useStack, waitForLink, watchConsole } from "./harness.mjs";

const skip = browserMissing();
const stack = useStack(skip);

/** The harness's demo log-in, on this file's portal. */
const logInAsOfficer = (page, email, options) => logInAsDemo(stack, page, email, options);

test("an officer filters the queue, takes a candidacy, and decides it (JavaScript off)", { skip, timeout: 120000 }, async () => {
  const context = await stack.browser.newContext({ locale: "it-IT", javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = watchConsole(page, { scriptsOff: true });
  await logInAsOfficer(page);
  // The account page leads to the queue, and so does the menu.
  await page.getByRole("link", { name: "Le candidature presentate ti aspettano" }).click();
  await page.waitForURL("**/staff");
  await audit(page, "review nojs queue", { javaScript: false });
  const rows = page.locator("#queue tbody tr");
  assert.equal(await rows.count(), 1);
  // A filter that excludes it, then one that keeps it: both in the address.
  await page.getByLabel("Provincia").selectOption("MI");
  await page.getByRole("button", { name: "Filtra" }).click();
  await page.waitForURL(/\/staff\?province=MI$/);
  assert.equal(await page.locator("#queue-empty").count(), 1);
  await page.getByLabel("Provincia").selectOption("BG");
  await page.getByLabel("Istruttore incaricato").selectOption("nobody");
  await page.getByRole("button", { name: "Filtra" }).click();
  await page.waitForURL(/\/staff\?province=BG&officer=nobody$/);
  await rows.first().getByRole("link").click();
  await page.waitForURL(/\/staff\/candidacies\/\d+\?from=/);
  await audit(page, "review nojs candidacy", { javaScript: false });
  await page.getByRole("button", { name: "Prendi in carico" }).click();
  await page.waitForURL(/\/staff\/candidacies\/\d+/);
  // Back to the queue with the filters kept.
  const back = page.getByRole("link", { name: "Istruttoria delle candidature" }).first();
  assert.match(await back.getAttribute("href"), /province=BG/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the officer's pages pass axe in both languages, with errors shown, and a decision lands", { skip, timeout: 180000 }, async () => {
  const context = await stack.browser.newContext({ locale: "it-IT" });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await logInAsOfficer(page, "istruttore@demo.test", { check: true });
  await page.goto(stack.portal.base + "/staff/dashboard");
  await page.waitForSelector("#section-status svg");
  await audit(page, "review it dashboard");
  await page.goto(stack.portal.base + "/staff");
  await audit(page, "review it queue");
  await page.locator("#queue tbody tr a").first().click();
  await page.waitForURL(/\/staff\/candidacies\/\d+/);
  const here = page.url();
  // Taken in charge by the test before; taken here if that one did not run.
  const take = page.getByRole("button", { name: "Prendi in carico" });
  if (await take.count()) {
    await take.click();
    await page.waitForSelector("#validate");
  }
  await audit(page, "review it candidacy in charge");
  // No reasons: the error is next to the field, and nothing changed.
  await page.getByRole("button", { name: "Non ammettere" }).click();
  await page.waitForSelector("#f-reasons-error");
  await audit(page, "review it reasons missing");
  assert.equal(await page.locator("#f-reasons").getAttribute("aria-invalid"), "true");
  const path = new URL(here).pathname;
  await page.goto(`${stack.portal.base}/lang/en?next=${encodeURIComponent(path)}`);
  await page.waitForSelector("text=What you can do");
  await audit(page, "review en candidacy");
  await page.goto(`${stack.portal.base}/lang/en?next=/staff`);
  await audit(page, "review en queue");
  await page.goto(`${stack.portal.base}/lang/it?next=${encodeURIComponent(path)}`);
  // A request for integration: nothing marked is an error by the list; then
  // one field, with a note.
  await page.getByRole("link", { name: "Richiedi integrazioni" }).click();
  await page.waitForURL(/\/integration/);
  await audit(page, "review it checklist");
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await page.waitForSelector("#f-items-error");
  await audit(page, "review it checklist error");
  await page.locator("input[value='field:km_motorway']").check();
  await page.locator("input[name='note:field:km_motorway']").fill("La distanza dal casello sembra sbagliata");
  await page.getByRole("button", { name: "Invia la richiesta" }).click();
  await page.waitForURL(/\/staff\/candidacies\/\d+/);
  await page.waitForSelector("#requests");
  await audit(page, "review it request open");
  // The proponent sees what to fix on every step, and replies.
  const proponent = await stack.browser.newContext({ locale: "it-IT" });
  const p = await proponent.newPage();
  await logInAsOfficer(p, "proponente@demo.test");
  const id = path.split("/").pop();
  await p.goto(`${stack.portal.base}/candidacies/${id}/template`);
  await p.waitForSelector("#integration");
  await audit(p, "integration it proponent step");
  await p.goto(`${stack.portal.base}/candidacies/${id}/submit`);
  await p.locator("#f-reply").fill("Il dato era corretto: 2,5 km dal casello di Bergamo.");
  await audit(p, "integration it reply");
  await p.getByRole("button", { name: "Rispondi e ripresenta" }).click();
  await p.waitForSelector("#submitted");
  await proponent.close();
  await page.goto(`${stack.portal.base}${path}`);
  await page.waitForSelector("text=Risposta ricevuta");
  await audit(page, "review it request answered");
  await page.getByRole("button", { name: "Verifica: la candidatura è ammissibile" }).click();
  await page.waitForURL(/\/staff\/candidacies\/\d+/);
  await page.waitForSelector("text=Verificata");
  await audit(page, "review it validated");
  assert.equal(await page.locator("#validate").count(), 0);
  // Four eyes: who validated sees the card but cannot publish it.
  await page.getByRole("link", { name: "Anteprima e pubblicazione" }).click();
  await page.waitForSelector("#obstacles");
  await audit(page, "review it publish four eyes");
  assert.equal(await page.locator("#confirm-publish").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();

  // A second officer (the demo administrator) previews it in both languages and publishes.
  const second = await stack.browser.newContext({ locale: "it-IT" });
  const admin = await second.newPage();
  const adminProblems = watchConsole(admin);
  await logInAsOfficer(admin, "admin@demo.test");
  await admin.goto(`${stack.portal.base}${path}/publish`);
  await admin.waitForSelector("article[lang=en]");
  await audit(admin, "review it publish preview");
  await admin.getByRole("button", { name: "Pubblica nel catalogo" }).click();
  await admin.waitForURL(/\/staff\/candidacies\/\d+/);
  await admin.waitForSelector("#unpublish");
  await audit(admin, "review it published");
  // Taking it offline needs reasons: the error is by the field.
  await admin.getByRole("button", { name: "Togli dal catalogo" }).click();
  await admin.waitForSelector("#f-unpublish_reasons-error");
  await audit(admin, "review it unpublish reasons missing");
  await admin.goto(`${stack.portal.base}/staff?reply=overdue`);
  await admin.waitForSelector("#queue-empty");
  await audit(admin, "review it queue reply overdue");
  // The audit log: the candidacy's timeline, then the whole log with its chain checked.
  await admin.goto(`${stack.portal.base}${path}`);
  await admin.locator("#audit-link").click();
  await admin.waitForSelector("#audit");
  assert.match(await admin.locator("#audit").innerText(), /Pubblicata/);
  await audit(admin, "review it audit candidacy");
  await admin.goto(`${stack.portal.base}/staff/audit`);
  await admin.locator("#verify").click();
  await admin.waitForSelector("#verdict.alert-success");
  await audit(admin, "review it audit log verified");
  assert.deepEqual(adminProblems, []);
  await second.close();
});

test("an administrator invites an officer, who sets a password and enrols an authenticator app", { skip, timeout: 180000 }, async () => {
  const context = await stack.browser.newContext({ locale: "it-IT" });
  const admin = await context.newPage();
  const problems = watchConsole(admin);
  await logInAsOfficer(admin, "admin@demo.test");
  await admin.goto(`${stack.portal.base}/admin/staff`);
  await admin.waitForSelector("#staff");
  await audit(admin, "admin staff it list");
  // A wrong address comes back by the field, typed text kept.
  await admin.locator("#f-email").fill("nuova@");
  await admin.locator("#invite-send").click();
  await admin.waitForSelector("#f-email-error");
  assert.equal(await admin.locator("#f-email").inputValue(), "nuova@");
  await audit(admin, "admin staff it invite error");
  await admin.locator("#f-email").fill("nuova@regione.test");
  await admin.locator("#invite-send").click();
  await admin.waitForURL(/done=invited/);
  await admin.waitForLoadState("load");
  assert.match(await admin.locator("#staff").innerText(), /nuova@regione\.test/);
  await context.close();

  // The invited officer: the emailed link, a password, then the app.
  const second = await stack.browser.newContext({ locale: "it-IT" });
  const page = await second.newPage();
  const pageProblems = watchConsole(page);
  const { url } = await waitForLink(stack.sink, "nuova@regione.test", "/password/reset?token=");
  await page.goto(url);
  await page.locator("#f-password").fill("una frase lunga e sicura");
  await page.locator("#f-password_confirm").fill("una frase lunga e sicura");
  await page.locator("form[action='/password/reset'] button[type=submit]").click();
  await page.waitForSelector("#notice");
  await page.waitForLoadState("load");
  await page.goto(stack.portal.base + "/login");
  await page.locator("#f-email").fill("nuova@regione.test");
  await page.locator("#f-password").fill("una frase lunga e sicura");
  await page.locator("form[action='/login'] button[type=submit]").click();
  await page.waitForURL(/\/login\/code/);
  await page.waitForSelector(".qr-code svg");
  await audit(page, "second factor it enrol");
  const secret = (await page.locator("#totp-secret").innerText()).replace(/\s+/g, "");
  await page.locator("#f-code").fill(totp(secret, Math.floor(Date.now() / 30000)));
  await page.locator("#send-code").click();
  await page.waitForSelector("#recovery-codes");
  assert.equal(await page.locator("#recovery-codes li").count(), 10);
  await audit(page, "second factor it recovery codes");
  await page.locator("#continue").click();
  await page.waitForURL("**/account");
  await page.waitForLoadState("load");
  await page.goto(stack.portal.base + "/staff");
  await page.waitForSelector("#queue, #queue-empty");
  assert.deepEqual([...problems, ...pageProblems], []);
  await second.close();
});
