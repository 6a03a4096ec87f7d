// axe-core on every page a visitor can reach so far, in both languages and with form errors shown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PNG, audit, browserMissing, useStack } from "./harness.mjs";

const skip = browserMissing();
const stack = useStack(skip);

const pages = ["/", "/register", "/login", "/password/forgot", "/info/privacy", "/info/accessibility", "/info/credits", "/register/sent", "/no-such-page"];

/** Logs in as the demo proponent that `portal-server serve --demo` creates. */
async function loginAsDemoProponent(page) {
  await page.goto(stack.portal.base + "/login");
  await page.locator("#f-email").fill("proponente@demo.test");
  await page.locator("#f-password").fill("Lombardia-Demo-2028");
  await page.locator("form[action='/login'] button[type=submit]").click();
  await page.waitForURL("**/account");
}


for (const locale of ["it-IT", "en-GB"]) {
  test(`axe: no violations on public pages (${locale})`, { skip, timeout: 90000 }, async () => {
    const context = await stack.browser.newContext({ locale });
    const page = await context.newPage();
    for (const path of pages) {
      await page.goto(stack.portal.base + path);
      await audit(page, `${locale} ${path}`);
    }
    await context.close();
  });
}

// The menu folds on a phone and opens without JavaScript; on a wide screen
// its links are always there.
for (const javaScriptEnabled of [true, false]) {
  test(`the main menu: open at 1280 px, a disclosure at 390 px (JavaScript ${javaScriptEnabled ? "on" : "off"})`, { skip, timeout: 60000 }, async () => {
    const context = await stack.browser.newContext({ locale: "it-IT", javaScriptEnabled, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(stack.portal.base + "/");
    const menu = page.getByRole("navigation", { name: "Menu principale" });
    const link = menu.getByRole("link", { name: "Catalogo delle opportunità" });
    assert.ok(await link.isVisible(), "the links show on a wide screen");
    assert.ok(!(await menu.locator("summary").isVisible()), "no toggle on a wide screen");
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok(!(await link.isVisible()), "folded on a phone");
    await menu.getByText("Menu", { exact: true }).click();
    assert.ok(await link.isVisible(), "open after a tap");
    await link.click();
    await page.waitForURL("**/opportunita");
    await context.close();
  });
}

test("axe: no violations on forms showing errors", { skip, timeout: 90000 }, async () => {
  // axe runs as a script in the page, so this context keeps JavaScript on; the error
  // pages are rendered by the server and are the same with JavaScript off.
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  await page.goto(stack.portal.base + "/register");
  await page.locator("form[action='/register'] button[type=submit]").click();
  await page.locator("#error-summary").waitFor();
  await audit(page, "register with errors");
  await page.goto(stack.portal.base + "/login");
  await page.locator("form[action='/login'] button[type=submit]").click();
  await page.locator("#error-summary").waitFor();
  await audit(page, "login with errors");
  await context.close();
});

test("axe: no violations on the proponent's profile, empty, with errors and in English", { skip, timeout: 90000 }, async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  await loginAsDemoProponent(page);
  await page.goto(stack.portal.base + "/profile");
  await audit(page, "profile");
  await page.locator("#f-name").fill("");
  await page.locator("#f-tax_code").fill("RSSMRA85T10A562T");
  await page.locator("form[action='/profile'] button[type=submit]").click();
  await page.locator("#error-summary").waitFor();
  assert.equal(await page.locator("#f-tax_code").inputValue(), "RSSMRA85T10A562T", "what was typed stays");
  await audit(page, "profile with errors");
  await page.goto(stack.portal.base + "/lang/en");
  await page.goto(stack.portal.base + "/profile");
  assert.match(await page.locator("h1").innerText(), /My profile/);
  await audit(page, "profile (English)");
  await context.close();
});

test("axe: no violations on a candidacy draft's pages, with errors too", { skip, timeout: 90000 }, async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  await loginAsDemoProponent(page);
  await page.goto(stack.portal.base + "/candidacies");
  await audit(page, "my candidacies");
  await page.locator("#f-kind").selectOption("a");
  await page.locator("form[action='/candidacies'] button[type=submit]").click();
  await page.waitForURL("**/location");
  await audit(page, "location");
  await page.locator("#f-municipality").fill("Roma");
  await page.locator("form[action$='/location'] button[type=submit]").click();
  await page.locator("#error-summary").waitFor();
  await audit(page, "location with errors");
  await page.locator("#f-municipality").fill("Bergamo (BG)");
  await page.locator("#f-address").fill("Via Grumello 57");
  await page.locator("#f-postcode").fill("24127");
  await page.locator("#f-latitude").fill("45,6905");
  await page.locator("#f-longitude").fill("9,6410");
  await page.locator("form[action$='/location'] button[type=submit]").click();
  await page.waitForURL("**/template");
  await audit(page, "template step");
  const downloading = page.waitForEvent("download");
  await page.locator("#template-it").click();
  const download = await downloading;
  assert.match(download.suggestedFilename(), /^opportunity-lombardy-\d+-it\.xlsx$/);
  // Upload it back unfilled: every missing field is listed with its cell.
  await page.locator("#f-file").setInputFiles(await download.path());
  await page.locator("form[enctype='multipart/form-data'] button[type=submit]").click();
  await page.locator("#upload-result").waitFor();
  // The context has no locale: the browser asks for English.
  assert.match(await page.locator("#upload-result .findings").innerText(), /C5 Title \(Italian\): mandatory: enter a value/);
  await audit(page, "template step with findings");
  await page.locator("#to-attachments").click();
  await page.waitForURL("**/attachments");
  await audit(page, "attachments");
  // A well-known 1×1 PNG, then a text file named .png: accepted, then refused next to the chooser.
  await page.locator("#f-photo").setInputFiles({ name: "facciata.png", mimeType: "image/png", buffer: PNG });
  await page.locator("form[action*='purpose=photo'] button[type=submit]").click();
  await page.waitForURL("**/attachments#slot-photo");
  assert.match(await page.locator("#slot-photo").locator("..").innerText(), /facciata\.png \(PNG/);
  await page.locator("#f-photo").setInputFiles({ name: "finta.png", mimeType: "image/png", buffer: Buffer.from("not a picture") });
  await page.locator("form[action*='purpose=photo'] button[type=submit]").click();
  await page.locator("#error-summary").waitFor();
  await audit(page, "attachments with an error");
  await page.goto(stack.portal.base + "/candidacies");
  assert.match(await page.locator("#candidacies").innerText(), /Bergamo \(BG\)/);
  await context.close();
});
