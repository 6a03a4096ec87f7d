// A delegate's journey in a real browser, with JavaScript and without: a new
// account registers and verifies by email, fills its profile, starts a candidacy
// for a new owner (entered once, with read access), goes through location,
// template, attachments, forms A, B and C signed by the owner (the demo
// certificate, with the openssl command), and submits; then the owner registers
// with the email the delegate gave and reads the candidacy, without changing it.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  browserMissing, exampleTemplate, fillPerson, registerAndLogIn, signAndUploadForms, uploadAttachments, useStack, waitForLink, watchConsole, audit as auditPage } from "./harness.mjs";

const skip = browserMissing();
const stack = useStack(skip);

/** The harness's audit, with JavaScript on or off (then only screenshots). */
const audit = (page, on, label) => auditPage(page, `delegation ${on ? "js" : "nojs"} ${label}`, { javaScript: on });

async function journey(on) {
  const stamp = `${on ? "js" : "nojs"}-${Date.now()}`;
  const delegateEmail = `delegato-${stamp}@example.it`;
  const ownerEmail = `proprietaria-${stamp}@example.it`;
  const context = await stack.browser.newContext({ javaScriptEnabled: on, locale: "it-IT", acceptDownloads: true });
  const page = await context.newPage();
  const problems = watchConsole(page, { scriptsOff: !on });

  await registerAndLogIn(stack, page, delegateEmail);
  await page.goto(stack.portal.base + "/profile");
  await fillPerson(page, {
    role: "intermediary",
    fields: { name: "Luigi Verdi", tax_code: "VRDLGU70A01F205R", address: "Via Dante 3", postcode: "24121", city: "Bergamo", email: delegateEmail, phone: "+39 035 765 4321" },
  });
  await page.getByRole("button", { name: "Salva il profilo" }).click();
  await page.waitForURL("**/profile?saved=1");

  // A candidacy for a new owner: the owner's details come first.
  await page.goto(stack.portal.base + "/candidacies");
  await page.getByLabel("Tipo di candidatura").selectOption("a");
  await page.getByLabel("Per chi presenti la candidatura").selectOption("new");
  await page.getByRole("button", { name: "Crea la bozza" }).click();
  await page.waitForURL("**/owner");
  await audit(page, on, "owner, empty");
  await fillPerson(page, {
    role: "owner",
    fields: { name: "Maria Rossi", tax_code: "RSSMRA80A41F205X", address: "Via Roma 1", postcode: "24044", city: "Dalmine", email: ownerEmail, phone: "+39 035 123 4567" },
  });
  await page.getByText("Permetti al proprietario di vedere questa candidatura", { exact: false }).click();
  await page.getByRole("button", { name: "Salva e continua" }).click();
  await page.locator("#error-summary").waitFor();
  await audit(page, on, "owner, with an error");
  assert.equal(await page.locator("#f-name").inputValue(), "Maria Rossi", "what was typed stays");
  await page.locator("#f-tax_code").fill("RSSMRA80A41F205B");
  await page.getByRole("button", { name: "Salva e continua" }).click();
  await page.waitForURL("**/location");

  await page.getByLabel("Comune").fill("Bergamo (BG)");
  await page.getByLabel("Indirizzo").fill("Via Grumello 57");
  await page.getByLabel("CAP").fill("24127");
  await page.getByLabel("Latitudine").fill("45,6983");
  await page.getByLabel("Longitudine").fill("9,6773");
  await page.getByRole("button", { name: "Salva e continua" }).click();
  await page.waitForURL("**/template");
  await page.getByLabel("File del modello compilato").setInputFiles(exampleTemplate("a"));
  await page.getByRole("button", { name: "Carica e controlla" }).click();
  await page.locator("#upload-result.alert-success").waitFor();

  await page.getByRole("link", { name: "Continua con gli allegati" }).click();
  await page.waitForURL("**/attachments");
  await uploadAttachments(page, "cortile.png");

  // Forms A, B and C, all signed by the owner (the demo certificate is Maria Rossi's).
  await page.getByRole("link", { name: "Continua con i moduli firmati" }).click();
  await page.waitForURL("**/forms");
  for (const verdict of await signAndUploadForms(stack, page, ["a", "b", "c"])) {
    assert.match(verdict, /Firma digitale valida di Maria Rossi \(RSSMRA80A41F205B\)/);
  }
  await audit(page, on, "signed forms with form C");

  await page.getByRole("link", { name: "Continua con la verifica e l'invio" }).click();
  await page.getByRole("button", { name: "Presenta la candidatura" }).click();
  await page.waitForURL("**/submit#submitted");
  const reference = (await page.locator("#submitted").innerText()).match(/OL-\d{4}-\d{6}/)[0];
  const { message } = await waitForLink(stack.sink, delegateEmail, "/submit");
  assert.match(message.body, new RegExp(reference));

  // The next candidacy offers the saved owner.
  await page.goto(stack.portal.base + "/candidacies");
  const choices = await page.getByLabel("Per chi presenti la candidatura").innerText();
  assert.match(choices, /Come delegato di Maria Rossi \(RSSMRA80A41F205B\)/);

  // The owner registers with the email given, and reads the candidacy.
  const ownerContext = await stack.browser.newContext({ javaScriptEnabled: on, locale: "it-IT" });
  const ownerPage = await ownerContext.newPage();
  const ownerProblems = watchConsole(ownerPage, { scriptsOff: !on });
  await registerAndLogIn(stack, ownerPage, ownerEmail);
  await ownerPage.goto(stack.portal.base + "/candidacies");
  await ownerPage.getByRole("heading", { name: "Candidature presentate per mio conto" }).waitFor();
  await audit(ownerPage, on, "owner's list");
  await ownerPage.locator("#for-me a").first().click();
  await ownerPage.waitForURL("**/submit");
  assert.match(await ownerPage.locator("main").innerText(), /la vedi in sola lettura/);
  assert.match(await ownerPage.locator("#submitted").innerText(), new RegExp(reference));
  assert.equal(await ownerPage.locator("#withdraw").count(), 0, "the owner cannot withdraw it");
  await audit(ownerPage, on, "owner's read-only summary");

  assert.deepEqual([...problems, ...ownerProblems], [], "no console errors or CSP violations");
  await ownerContext.close();
  await context.close();
}

test("a delegate files for a new owner, who signs A, B and C and then reads it, with JavaScript", { skip, timeout: 180000 }, () => journey(true));
test("the same delegate journey with JavaScript disabled", { skip, timeout: 180000 }, () => journey(false));
