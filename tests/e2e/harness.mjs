// Starts what an end-to-end test needs, all on loopback: an SMTP server that keeps
// what it receives, the portal binary with a fresh data folder, and headless Chromium.
import { spawn, execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, existsSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { SMTPServer } from "smtp-server";
import { chromium } from "playwright-core";
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** The demo officers' authenticator secrets, as `serve --demo` prints them (server/src/demo.rs). */
export const DEMO_TOTP = {
  "istruttore@demo.test": "ISTRUTTOREDEMOTOTPSECRETLOMBARDY",
  "admin@demo.test": "ADMINDEMOTOTPSECRETLOMBARDIAREGI",
};

function base32Bytes(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, value = 0;
  const out = [];
  for (const c of text) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** RFC 6238: the six digits an authenticator app shows for `step`. */
export function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32Bytes(secret)).update(counter).digest();
  const at = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(at) & 0x7fffffff) % 1000000;
  return String(code).padStart(6, "0");
}

const usedStep = new Map();
/**
 * The demo officer's code now, as the phone would show it. A code works once:
 * a second login in the same 30 seconds waits for the next one.
 */
export async function demoCode(email) {
  let step = Math.floor(Date.now() / 30000);
  while ((usedStep.get(email) ?? -1) >= step) {
    await new Promise((r) => setTimeout(r, 1000));
    step = Math.floor(Date.now() / 30000);
  }
  usedStep.set(email, step);
  return totp(DEMO_TOTP[email], step);
}

/**
 * Logs in with a demo account (`istruttore@demo.test` unless told), giving the
 * authenticator code for staff; with `check`, first sends no code and audits
 * the error shown by the field.
 */
export async function logInAsDemo(stack, page, email = "istruttore@demo.test", { check = false } = {}) {
  await page.goto(stack.portal.base + "/login");
  await page.locator("#f-email").fill(email);
  await page.locator("#f-password").fill("Lombardia-Demo-2028");
  await page.locator("form[action='/login'] button[type=submit]").click();
  if (DEMO_TOTP[email]) {
    await page.waitForURL(/\/login\/code/);
    if (check) {
      await page.locator("#send-code").click();
      await page.waitForSelector("#f-code-error");
      await audit(page, "review it second factor code missing");
    }
    await page.locator("#f-code").fill(await demoCode(email));
    await page.locator("#send-code").click();
  }
  await page.waitForURL("**/account");
}

/**
 * In CI and in `./portal test` (PORTAL_TEST_ALL) a missing browser fails the
 * run; a bare `node --test` skips, saying why.
 */
export function browserMissing() {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === "true" || process.env.PORTAL_TEST_ALL) throw new Error(`Chromium not found at ${CHROMIUM}: this run requires it`);
  console.warn(`skipping: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return true;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export async function startSmtpSink() {
  const messages = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("end", () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { port, messages, close: () => new Promise((r) => server.close(r)) };
}

/** Undoes quoted-printable encoding of an email body (UTF-8: "È" is =C3=88). */
export function decodeQuotedPrintable(text) {
  return text
    .replace(/=\r?\n/g, "")
    .replace(/(?:=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replaceAll("=", ""), "hex").toString("utf8"));
}

/** A header's RFC 2047 encoded words ("=?utf-8?b?…?=") as text. */
function decodeWords(header) {
  return header
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding, data) =>
      encoding.toLowerCase() === "b"
        ? Buffer.from(data, "base64").toString("utf8")
        : decodeQuotedPrintable(data.replaceAll("_", " ")),
    );
}

/** A received email's subject, its header unfolded and decoded. */
export function subjectOf(message) {
  return decodeWords(message.raw.replace(/\r?\n[ \t]+/g, " ").match(/^Subject: (.*)$/m)?.[1] || "");
}

/**
 * Waits for an email to `to` whose subject contains `subject`; returns it
 * with its subject and its body decoded.
 */
export async function waitForMail(sink, to, subject, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const message of sink.messages) {
      const header = subjectOf(message);
      if (message.to.includes(to) && header.includes(subject)) return { ...message, subject: header, body: decodeQuotedPrintable(message.raw) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email to ${to} about "${subject}" within ${timeoutMs} ms`);
}

/** Waits for an email to `to` and returns the first portal link in it matching `pathPrefix`. */
export async function waitForLink(sink, to, pathPrefix, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const message of [...sink.messages].reverse()) {
      if (!message.to.includes(to)) continue;
      const body = decodeQuotedPrintable(message.raw);
      const match = body.match(new RegExp(`https?://[^\\s)\\]"<]+${pathPrefix.replace(/[?]/g, "\\?")}[^\\s)\\]"<>]*`));
      if (match) return { url: match[0], message: { ...message, body } };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email to ${to} with a ${pathPrefix} link within ${timeoutMs} ms`);
}

/** `demoSites`: how many made-up sites the demo catalogue holds (none unless asked). */
export async function startPortal(smtpPort, { demoSites = 0 } = {}) {
  const bin = process.env.PORTAL_SERVER_BIN;
  if (!bin || !existsSync(bin)) throw new Error("PORTAL_SERVER_BIN must name the built portal-server (run through ./portal test)");
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "portal-e2e-"));
  const base = `http://127.0.0.1:${port}`;
  // --demo: the demo accounts (one per role) let tests reach the pages behind a login.
  // The caller's own PORTAL_* settings never reach the portal under test, and
  // its clock is fixed: the journeys do not start failing the day the real
  // deadline passes (cookies use Max-Age, so a fixed server clock is harmless).
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("PORTAL_") && name !== "DATABASE_URL"),
  );
  const child = spawn(bin, ["serve", "--demo", "--demo-sites", String(demoSites)], {
    env: {
      ...inherited,
      PORTAL_SITE_DIR: process.env.PORTAL_SITE_DIR,
      PORTAL_NOW: "2027-03-01T09:00:00Z",
      PORTAL_SUBMISSION_DEADLINE: "2028-06-30T23:59:59",
      PORTAL_ADDR: `127.0.0.1:${port}`,
      PORTAL_PUBLIC_URL: base,
      PORTAL_DATA_DIR: dataDir,
      DATABASE_URL: "",
      PORTAL_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      PORTAL_OUTBOX_POLL_MS: "200",
      RUST_LOG: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    dataDir,
    stop: async () => {
      child.kill("SIGINT");
      await new Promise((r) => child.once("exit", r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Collects what should fail a test: console errors (CSP violations included), script
 * errors, and any asset that does not load. A page's own status (a 422 for a form with
 * errors, a 401 for a page that needs login) is deliberate, so Chromium's report of it is not.
 */
export function watchConsole(page, { scriptsOff = false } = {}) {
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("response", (r) => {
    if (r.request().resourceType() !== "document" && r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  // With JavaScript off, Chromium cancels the preload of the islands' script: expected.
  // Chromium fetches the favicon after the load event, and web fonts and the
  // icons' sprite lazily, and cancels them when the test navigates on at once:
  // that abort is the browser's doing, not a missing asset (a missing one
  // answers 404, which is caught above).
  page.on("requestfailed", (r) => {
    const aborted = r.failure()?.errorText === "net::ERR_ABORTED";
    if (scriptsOff && r.url().includes("/pkg/")) return;
    const path = new URL(r.url()).pathname;
    if (aborted && (path === "/favicon.svg" || path === "/assets/svg/sprites.svg" || path.startsWith("/assets/fonts/"))) return;
    problems.push(`failed ${r.url()} (${r.failure()?.errorText})`);
  });
  return problems;
}

/**
 * Registers before/after hooks that start the SMTP sink, the portal and the browser
 * for a test file, and returns the live handles (filled in once `before` has run).
 */
export function useStack(skip, portalOptions = {}) {
  const stack = {};
  before(async () => {
    if (skip) return;
    stack.sink = await startSmtpSink();
    stack.portal = await startPortal(stack.sink.port, portalOptions);
    stack.browser = await launchBrowser();
  });
  after(async () => {
    await stack.browser?.close();
    await stack.portal?.stop();
    await stack.sink?.close();
  });
  return stack;
}

/**
 * Signs `pdfPath` as the demo proponent's legal representative with the demo
 * certificate that `serve --demo` made, using the openssl command as a person
 * with a signing kit would; returns the path of the .p7m (CAdES, DER).
 */
export function signWithDemoCertificate(portal, pdfPath) {
  const pki = join(portal.dataDir, "demo-pki");
  const out = `${pdfPath}.p7m`;
  execFileSync("openssl", ["cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-in", pdfPath,
    "-signer", join(pki, "signer.pem"), "-inkey", join(pki, "signer.key"), "-out", out]);
  return out;
}

/**
 * On the signed-forms page: downloads each form in `letters` ("a", "b", "c"),
 * signs it with the demo certificate and uploads it; returns the verdict text of each.
 */
export async function signAndUploadForms(stack, page, letters) {
  const verdicts = [];
  for (const form of letters) {
    const downloading = page.waitForEvent("download");
    await page.locator(`#download-form_${form}-it`).click();
    const pdf = await (await downloading).path();
    await page.locator(`#f-form_${form}`).setInputFiles(signWithDemoCertificate(stack.portal, pdf));
    await page.locator(`form[action*='purpose=form_${form}'] button[type=submit]`).click();
    await page.waitForURL(`**/forms#slot-form_${form}`);
    verdicts.push(await page.locator(`#result-form_${form}`).innerText());
  }
  return verdicts;
}

/**
 * A complete, valid Excel template of `kind` written by the portal's own command;
 * `set` changes fields of the example ({ km_motorway: "2,5" }), as a proponent
 * correcting their file would.
 */
export function exampleTemplate(kind, set = {}) {
  const out = join(mkdtempSync(join(tmpdir(), "portal-example-")), `esempio-${kind}.xlsx`);
  const changes = Object.entries(set).flatMap(([id, value]) => ["--set", `${id}=${value}`]);
  execFileSync(process.env.PORTAL_SERVER_BIN, ["forms", "template", "--kind", kind, "--example", "--out", out, ...changes]);
  return out;
}

/** The smallest PDF and PNG the portal accepts as attachments. */
export const PDF = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
export const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

/**
 * On the attachments page: uploads a photo named `photo`, the perimeter and the
 * cadastral extract, each through its own form, and waits for each to be listed.
 */
export async function uploadAttachments(page, photo = "facciata.png") {
  for (const [purpose, file] of [
    ["photo", { name: photo, mimeType: "image/png", buffer: PNG }],
    ["perimeter", { name: "perimetro.pdf", mimeType: "application/pdf", buffer: PDF }],
    ["cadastral_extract", { name: "estratto.pdf", mimeType: "application/pdf", buffer: PDF }],
  ]) {
    await page.locator(`#f-${purpose}`).setInputFiles(file);
    await page.locator(`form[action*='purpose=${purpose}'] button[type=submit]`).click();
    await page.waitForURL(`**/attachments#slot-${purpose}`);
    await page.getByRole("link", { name: file.name }).waitFor();
  }
}

/** Registers a proponent account, confirms it from the email, logs in. */
export async function registerAndLogIn(stack, page, email, password = "una frase lunga e sicura") {
  await page.goto(stack.portal.base + "/register");
  await page.getByLabel("Indirizzo email").fill(email);
  await page.getByLabel("Password", { exact: false }).first().fill(password);
  await page.getByLabel("Ripeti la password").fill(password);
  await page.getByText("Proprietario di aree o edifici, o suo delegato").click();
  await page.getByText("Ho letto l'informativa privacy", { exact: true }).click();
  await page.getByRole("button", { name: "Crea l'account" }).click();
  await page.waitForURL("**/register/sent");
  const { url } = await waitForLink(stack.sink, email, "/verify?token=");
  await page.goto(url);
  await page.goto(stack.portal.base + "/login");
  await page.getByLabel("Indirizzo email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.waitForURL("**/account");
}

/** Fills the profile-shaped form on the page (the proponent's, or an owner's). */
export async function fillPerson(page, p) {
  await page.locator("#f-subject_type").selectOption("person");
  for (const [name, value] of Object.entries(p.fields)) await page.locator(`#f-${name}`).fill(value);
  await page.locator("#f-property_role").selectOption(p.role);
}


/** Where every audited page state is photographed, at the test's width and at a phone's. */
export const SCREENSHOTS = process.env.PORTAL_SCREENSHOTS || join(process.cwd(), ".build", "screenshots");

/**
 * Audits the page with axe-core (WCAG 2.1 A and AA) and fails on any violation
 * and on any colour contrast axe could not decide: an undecided ("incomplete")
 * result once hid white text on white in the header. The usual causes, and the
 * portal's answer to each: text over a background image (alerts give their
 * content a background of its own; fields draw no icons), text under another
 * element (labels are in the flow, not floated), an empty field that fails
 * (its text colour is measured only once the background is known).
 * Then saves the page as it looks, at the current width and at 390 px.
 * With JavaScript off axe cannot run: only the screenshots are taken.
 */
export async function audit(page, label, { javaScript = true } = {}) {
  const name = label.replace(/[^\w.-]+/g, "_").slice(0, 120);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() || { width: 1280, height: 800 };
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
  if (javaScript) await check(page, `${label} (phone)`);
  await page.setViewportSize(size);
  if (javaScript) return check(page, label);
}

async function check(page, label) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const nodes = (v) => v.nodes.map((n) => n.target.join(" ")).join(", ");
  const undecided = result.incomplete
    .filter((v) => v.id === "color-contrast")
    .flatMap((v) => v.nodes.map((n) => `${n.target.join(" ")} (${n.any[0]?.data?.messageKey || "unknown"}${process.env.AXE_DEBUG ? " by " + JSON.stringify(n.any[0]?.relatedNodes?.map((r) => r.html)) : ""})`));
  const problems = [
    ...result.violations.map((v) => `${label}: ${v.id} (${v.impact}) ${nodes(v)}`),
    ...undecided.map((target) => `${label}: undecided color-contrast ${target}`),
  ];
  assert.deepEqual(problems, [], problems.join("\n"));
  return result.passes.length;
}
