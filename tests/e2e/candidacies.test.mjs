// A proponent's candidacy in a real browser, with JavaScript and without:
// profile -> new draft -> location (a mistake first) -> prefilled template download ->
// upload it back and read the findings -> attach a photo.
import { test } from "node:test";
import assert from "node:assert/strict";
import { browserMissing, useStack, watchConsole } from "./harness.mjs";

const skip = browserMissing();
const stack = useStack(skip);
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

async function journey(javaScriptEnabled) {
  const context = await stack.browser.newContext({ javaScriptEnabled, locale: "it-IT", acceptDownloads: true });
  const page = await context.newPage();
  const problems = watchConsole(page, { scriptsOff: !javaScriptEnabled });

  await page.goto(stack.portal.base + "/login");
  await page.getByLabel("Indirizzo email").fill("proponente@demo.test");
  await page.getByLabel("Password").fill("Lombardia-Demo-2028");
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.waitForURL("**/account");

  // The demo proponent's saved profile is there to be reused.
  await page.locator("nav a[href='/profile']").click();
  await page.waitForURL("**/profile");
  assert.equal(await page.getByLabel("Codice fiscale").inputValue(), "80050050154");

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
  const findings = await page.locator("#findings").innerText();
  assert.match(findings, /C5 Titolo \(italiano\): campo obbligatorio/);
  assert.doesNotMatch(findings, /Comune: campo obbligatorio/, "the municipality came prefilled");

  await page.getByRole("link", { name: "Continua con gli allegati" }).click();
  await page.waitForURL("**/attachments");
  await page.locator("#f-photo").setInputFiles({ name: "facciata.png", mimeType: "image/png", buffer: PNG });
  await page.locator("form[action*='purpose=photo'] button[type=submit]").click();
  await page.waitForURL("**/attachments#slot-photo");
  await page.getByRole("link", { name: "facciata.png" }).waitFor();

  assert.deepEqual(problems, [], "no console errors or CSP violations");
  await context.close();
}

test("a candidacy draft from location to attachments, with JavaScript", { skip, timeout: 90000 }, () => journey(true));
test("the same draft journey with JavaScript disabled", { skip, timeout: 90000 }, () => journey(false));
