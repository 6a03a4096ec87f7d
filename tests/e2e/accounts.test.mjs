// The account journey in a real browser, with JavaScript and without:
// register -> read the verification email from the SMTP server -> verify -> log in -> log out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { browserMissing, useStack, waitForLink, watchConsole } from "./harness.mjs";

const skip = browserMissing();
const stack = useStack(skip);

async function journey(javaScriptEnabled) {
  const context = await stack.browser.newContext({ javaScriptEnabled, locale: "it-IT" });
  const page = await context.newPage();
  const problems = watchConsole(page, { scriptsOff: !javaScriptEnabled });
  const email = `e2e-${javaScriptEnabled ? "js" : "nojs"}-${Date.now()}@example.it`;
  const password = "una frase lunga e sicura";

  await page.goto(stack.portal.base + "/");
  await page.getByRole("link", { name: "Registrati" }).first().click();
  await page.waitForURL("**/register");

  // A mistake first: the error shows next to the field and what was typed stays.
  await page.getByLabel("Indirizzo email").fill(email);
  await page.getByLabel("Password", { exact: false }).first().fill("corta");
  await page.getByRole("button", { name: "Crea l'account" }).click();
  await page.getByText("La password deve avere almeno 12 caratteri.").first().waitFor();
  assert.equal(await page.getByLabel("Indirizzo email").inputValue(), email);

  await page.getByLabel("Password", { exact: false }).first().fill(password);
  await page.getByLabel("Ripeti la password").fill(password);
  // bootstrap-italia draws its own radio and checkbox: a person clicks the label.
  await page.getByText("Proprietario di aree o edifici, o suo delegato").click();
  await page.getByText("Ho letto l'informativa privacy", { exact: true }).click();
  assert.ok(await page.getByLabel("Ho letto l'informativa privacy").isChecked());
  await page.getByRole("button", { name: "Crea l'account" }).click();
  await page.waitForURL("**/register/sent");
  await page.getByRole("heading", { name: "Controlla la tua email" }).waitFor();

  const { url, message } = await waitForLink(stack.sink, email, "/verify?token=");
  assert.match(message.body, /Subject: Conferma il tuo indirizzo email/);
  await page.goto(url);
  await page.getByRole("heading", { name: "Indirizzo confermato" }).waitFor();

  await page.goto(stack.portal.base + "/login");
  await page.getByLabel("Indirizzo email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.waitForURL("**/account");
  assert.equal(await page.locator("#account-email").textContent(), email);

  await page.getByRole("button", { name: "Esci" }).click();
  await page.waitForURL("**/login?logged_out=1");
  await page.getByText("Sei uscito dal portale.").waitFor();
  const response = await page.goto(stack.portal.base + "/account");
  assert.equal(response.status(), 401);

  assert.deepEqual(problems, [], "no console errors or CSP violations");
  await context.close();
}

test("register, verify by email, log in and out with JavaScript", { skip, timeout: 90000 }, () => journey(true));
test("the same journey with JavaScript disabled", { skip, timeout: 90000 }, () => journey(false));

test("the countdown island hydrates and ticks", { skip, timeout: 90000 }, async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(stack.portal.base + "/");
  const seconds = page.locator(".countdown-value").nth(3);
  const first = await seconds.textContent();
  await page.waitForFunction(
    (before) => document.querySelectorAll(".countdown-value")[3]?.textContent !== before,
    first,
    { timeout: 5000 },
  );
  assert.deepEqual(problems, []);
  await context.close();
});

test("the English portal is complete", { skip, timeout: 90000 }, async () => {
  const context = await stack.browser.newContext({ locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(stack.portal.base + "/");
  await page.getByRole("link", { name: "Italiano" }).waitFor();
  const text = await page.locator("body").innerText();
  assert.match(text, /Candidacies can be submitted until 30 June 2028 at 23:59:59 \(Italian time\)/);
  await page.getByRole("link", { name: "Italiano" }).click();
  await page.getByText("Le candidature possono essere presentate fino al 30 giugno 2028").waitFor();
  await context.close();
});
