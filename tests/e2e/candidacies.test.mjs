// A new owner's candidacy in a real browser, with JavaScript and without:
// register and verify by email -> profile -> new draft -> location (a mistake first) -> prefilled template download ->
// upload it back and read the findings -> upload a complete one -> attachments ->
// forms A and B downloaded, signed with openssl, uploaded and verified -> submit ->
// the receipt email with the reference -> a second draft starts from the same profile.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  browserMissing, exampleTemplate, fillPerson, registerAndLogIn, signAndUploadForms, uploadAttachments, useStack, waitForMail, watchConsole,
  audit as auditPage } from "./harness.mjs";

const skip = browserMissing();
const stack = useStack(skip);

async function journey(javaScriptEnabled) {
  const context = await stack.browser.newContext({ javaScriptEnabled, locale: "it-IT", acceptDownloads: true });
  const page = await context.newPage();
  const problems = watchConsole(page, { scriptsOff: !javaScriptEnabled });

  // A new owner: Maria Rossi, whose signing certificate is the demo one.
  const email = `maria-${javaScriptEnabled ? "js" : "nojs"}-${Date.now()}@example.it`;
  await registerAndLogIn(stack, page, email);
  await page.locator("nav a[href='/profile']").click();
  await page.waitForURL("**/profile");
  await fillPerson(page, {
    role: "owner",
    fields: { name: "Maria Rossi", tax_code: "RSSMRA80A41F205B", address: "Via Roma 1", postcode: "24044", city: "Dalmine", email, phone: "+39 035 123 4567" },
  });
  await page.getByRole("button", { name: "Salva il profilo" }).click();
  await page.waitForURL("**/profile?saved=1");

  await page.locator("nav a[href='/candidacies']").click();
  await page.waitForURL("**/candidacies");
  await page.getByLabel("Tipo di candidatura").selectOption("b");
  await page.getByRole("button", { name: "Crea la bozza" }).click();
  await page.waitForURL("**/location");

  await page.getByLabel("Comune").fill("Roma");
  await page.getByLabel("Indirizzo").fill("Via Grumello 57");
  await page.getByLabel("CAP").fill("24127");
  await page.getByLabel("Latitudine").fill("45,6905");
  await page.getByLabel("Longitudine").fill("9,6410");
  await page.getByRole("button", { name: "Salva e continua" }).click();
  await page.locator("#error-summary").waitFor();
  assert.equal(await page.getByLabel("Indirizzo").inputValue(), "Via Grumello 57", "what was typed stays");
  await page.getByLabel("Comune").fill("Bergamo (BG)");
  await page.getByRole("button", { name: "Salva e continua" }).click();
  await page.waitForURL("**/template");
  await page.getByText("Il punto indicato cade in provincia di Bergamo (BG).").waitFor();

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Scarica il modello in italiano (.xlsx)" }).click();
  const template = await (await downloading).path();
  await page.getByLabel("File del modello compilato").setInputFiles(template);
  await page.getByRole("button", { name: "Carica e controlla" }).click();
  await page.locator("#upload-result").waitFor();
  const findings = await page.locator("#upload-result .findings").innerText();
  assert.match(findings, /C5 Titolo \(italiano\): campo obbligatorio/);
  assert.doesNotMatch(findings, /Comune: campo obbligatorio/, "the municipality came prefilled");

  // Now a complete file: accepted.
  await page.getByLabel("File del modello compilato").setInputFiles(exampleTemplate("b"));
  // With JavaScript the browser's own file control gives way to a button in
  // the page's language, and the page names the file chosen (even one chosen
  // before the island woke); without, the browser's own control does.
  if (javaScriptEnabled) {
    const named = page.locator(".upload-chosen", { hasText: "esempio-b.xlsx" });
    await named.waitFor();
    assert.match(await named.innerText(), /^File scelto: esempio-b\.xlsx \(\d+\.\d KB\)$/);
  }
  await page.getByRole("button", { name: "Carica e controlla" }).click();
  await page.locator("#upload-result.alert-success").waitFor();

  await page.getByRole("link", { name: "Continua con gli allegati" }).click();
  await page.waitForURL("**/attachments");
  await uploadAttachments(page);

  // Forms A and B: downloaded prefilled, signed digitally outside the portal, uploaded.
  await page.getByRole("link", { name: "Continua con i moduli firmati" }).click();
  await page.waitForURL("**/forms");
  await audit(page, javaScriptEnabled, "signed forms, empty");
  for (const verdict of await signAndUploadForms(stack, page, ["a", "b"])) {
    assert.match(verdict, /Firma digitale valida di Maria Rossi \(RSSMRA80A41F205B\)/);
  }
  await audit(page, javaScriptEnabled, "signed forms, verified");

  await page.getByRole("link", { name: "Continua con la verifica e l'invio" }).click();
  await page.waitForURL("**/submit");
  await audit(page, javaScriptEnabled, "check and submit");
  await page.getByRole("button", { name: "Presenta la candidatura" }).click();
  await page.waitForURL("**/submit#submitted");
  const summary = await page.locator("#submitted").innerText();
  assert.match(await page.locator("#receipt").innerText(), /Scarica la ricevuta/);
  const reference = summary.match(/OL-\d{4}-\d{6}/)[0];
  assert.match(summary, /presentata il \d+ \w+ \d{4}, ore \d\d:\d\d:\d\d \(ora italiana\)/);
  await audit(page, javaScriptEnabled, "submitted");

  // The receipt email: the reference, a link to the candidacy, the PDF attached.
  const { body: mail } = await waitForMail(stack.sink, email, reference);
  assert.match(mail, new RegExp(`filename="${reference}.pdf"`));
  assert.match(mail, /\/candidacies\/\d+\/submit/);

  // A second candidacy starts from the same saved profile: forms A and B come
  // prefilled with it, without typing it again.
  await page.locator("nav a[href='/candidacies']").click();
  await page.waitForURL("**/candidacies");
  assert.match(await page.locator("#candidacies").innerText(), new RegExp("Presentata"));
  await page.getByLabel("Tipo di candidatura").selectOption("a");
  await page.getByRole("button", { name: "Crea la bozza" }).click();
  await page.waitForURL("**/location");
  await page.locator("nav a[href='/profile']").click();
  assert.equal(await page.locator("#f-tax_code").inputValue(), "RSSMRA80A41F205B");
  assert.equal(await page.getByLabel("Nome e cognome, o denominazione").inputValue(), "Maria Rossi");

  assert.deepEqual(problems, [], "no console errors or CSP violations");
  await context.close();
}

/** The harness's audit, with JavaScript on or off (then only screenshots). */
const audit = (page, javaScriptEnabled, label) =>
  auditPage(page, `candidacy ${javaScriptEnabled ? "js" : "nojs"} ${label}`, { javaScript: javaScriptEnabled });

test("a candidacy from location to submission and its receipt email, with JavaScript", { skip, timeout: 180000 }, () => journey(true));
test("the same journey to submission with JavaScript disabled", { skip, timeout: 180000 }, () => journey(false));
