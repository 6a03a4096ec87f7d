// The public catalogue in a real browser, with JavaScript and without: a
// visitor filters by province and area, follows a province on the map,
// searches an English word, opens a site and switches its language; a value
// that does not read is said next to its field. axe on the list, the
// filtered list, the empty list with its advice and a site's page, in both
// languages. The demo catalogue holds 48 made-up sites (seeded the same way
// each run).
import { test } from "node:test";
import assert from "node:assert/strict";
import { audit, browserMissing, useStack, watchConsole } from "./harness.mjs";

const skip = browserMissing();
const stack = useStack(skip, { demoSites: 48 });

/** The number in "N siti trovati" / "N sites found". */
async function resultCount(page) {
  const text = await page.locator("#result-count").innerText();
  return Number(text.match(/\d+/)[0]);
}

for (const javaScriptEnabled of [true, false]) {
  const js = javaScriptEnabled ? "on" : "off";
  test(`a visitor filters by province and area, and by the map (JavaScript ${js})`, { skip, timeout: 120000 }, async () => {
    const context = await stack.browser.newContext({ locale: "it-IT", javaScriptEnabled });
    const page = await context.newPage();
    const problems = watchConsole(page, { scriptsOff: !javaScriptEnabled });
    await page.goto(stack.portal.base + "/");
    await page.getByRole("link", { name: "Consulta il catalogo" }).click();
    await page.waitForURL("**/opportunita");
    assert.equal(await resultCount(page), 48);
    await audit(page, `catalogue ${js} list`, { javaScript: javaScriptEnabled });

    await page.locator("summary", { hasText: "Dove" }).click();
    // The box is drawn by its label, which takes the click.
    await page.locator("#f-province label", { hasText: /^Bergamo$/ }).click();
    assert.ok(await page.getByRole("checkbox", { name: "Bergamo" }).isChecked());
    await page.locator("summary", { hasText: "Dimensioni e prezzo" }).click();
    await page.getByLabel("Superficie territoriale minima (m²)").fill("20000");
    await page.getByRole("button", { name: "Applica i filtri" }).click();
    await page.waitForURL(/province=BG/);
    assert.match(page.url(), /land_min=20000/);
    const found = await resultCount(page);
    const cards = page.locator(".site-card");
    assert.ok(found > 0 && found < 48, `${found} sites in Bergamo of 20,000 m² or more`);
    assert.equal(await cards.count(), Math.min(found, 20));
    for (const card of await cards.all()) {
      const text = await card.innerText();
      assert.match(text, /\(BG\)/, text);
      const area = Number(text.match(/Superficie territoriale\s+([\d.]+)/)[1].replaceAll(".", ""));
      assert.ok(area >= 20000, text);
    }
    // The filters in force, each removable; the form shows them again.
    await assert.doesNotReject(page.getByRole("link", { name: "Togli il filtro Provincia: Bergamo" }).waitFor());
    assert.equal(await page.locator("#f-land_min").inputValue(), "20000");
    await audit(page, `catalogue ${js} filtered`, { javaScript: javaScriptEnabled });

    // A province on the map is a link that filters by it, keeping the rest.
    await page.getByRole("link", { name: /^Brescia: \d+ siti/ }).click();
    await page.waitForURL(/province=BS/);
    assert.match(page.url(), /land_min=20000/);
    assert.ok(!page.url().includes("province=BG"));
    const texts = await page.locator(".site-card").allInnerTexts();
    assert.ok(texts.every((t) => t.includes("(BS)")), texts.join("\n---\n"));

    // Nothing matches: the page says which filter to drop and what it gives.
    await page.goto(stack.portal.base + "/opportunita?province=SO&land_min=290000&function=data_centre");
    assert.equal(await resultCount(page), 0);
    const advice = page.locator("#no-results a");
    assert.ok((await advice.count()) > 0);
    const first = await advice.first().innerText();
    const promised = Number(first.match(/(\d+) sit/)[1]);
    await advice.first().click();
    await page.waitForLoadState();
    assert.equal(await resultCount(page), promised, first);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`a visitor searches in English, opens a site and reads it in Italian (JavaScript ${js})`, { skip, timeout: 120000 }, async () => {
    const context = await stack.browser.newContext({ locale: "en-GB", javaScriptEnabled, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(stack.portal.base + "/en/opportunities");
    await page.getByLabel("Words to search for (title, description, municipality)").fill("warehouse");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/\/en\/opportunities\?q=warehouse/);
    const titles = await page.locator(".site-card h2").allInnerTexts();
    assert.ok(titles.length > 0, "some warehouses");
    assert.ok(titles.every((t) => /warehouse/i.test(t)), titles.join(", "));
    await page.locator(".site-card h2 a").first().click();
    await page.waitForURL(/\/en\/opportunities\/OL-SEED-\d+$/);
    const reference = page.url().split("/").pop();
    assert.match(await page.locator("h1").innerText(), /warehouse/i);
    await assert.doesNotReject(page.getByText(/Data declared by the proponent on \d+ \w+ \d{4}; verified by Regione Lombardia on/).first().waitFor());
    const mail = await page.getByRole("link", { name: "Ask about this site" }).getAttribute("href");
    assert.match(mail, new RegExp(`^mailto:.*subject=.*${reference}`));
    const [brief] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the site's brief as Excel (Italian and English)" }).click(),
    ]);
    assert.equal(brief.suggestedFilename(), `${reference}.xlsx`);
    // The PDF brief, read back by poppler: both languages.
    const [pdf] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the site's brief as PDF (Italian and English)" }).click(),
    ]);
    const { execFileSync } = await import("node:child_process");
    const text = execFileSync("pdftotext", [await pdf.path(), "-"]).toString();
    for (const words of ["Superficie territoriale", "Land area", reference]) assert.ok(text.includes(words), `${words} in the brief`);
    await audit(page, `catalogue ${js} site en`, { javaScript: javaScriptEnabled });
    // The language switch leads to the same site's Italian address.
    await page.getByRole("link", { name: "Italiano" }).click();
    await page.waitForURL(`**/opportunita/${reference}`);
    assert.match(await page.locator("h1").innerText(), /Capannone logistico/);
    assert.equal(await page.locator("html").getAttribute("lang"), "it");
    await audit(page, `catalogue ${js} site it`, { javaScript: javaScriptEnabled });
    await context.close();
  });
}

for (const javaScriptEnabled of [true, false]) {
  const js = javaScriptEnabled ? "on" : "off";
  test(`a visitor compares two sites and downloads the comparison (JavaScript ${js})`, { skip, timeout: 120000 }, async () => {
    const context = await stack.browser.newContext({ locale: "it-IT", javaScriptEnabled, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(stack.portal.base + "/opportunita?province=BG");
    const titles = await page.locator(".site-card h2").allInnerTexts();
    assert.ok(titles.length >= 2, "two sites to compare");
    for (const title of titles.slice(0, 2)) {
      await page.locator(".site-card", { hasText: title }).locator(".compare-check label").click();
    }
    await page.getByRole("button", { name: "Confronta i siti scelti (fino a 4)" }).click();
    await page.waitForURL(/\/opportunita\/confronto\?site=OL-SEED-\d+&site=OL-SEED-\d+$/);
    const heads = await page.locator("thead th a[href^='/opportunita/OL-']").allInnerTexts();
    assert.deepEqual(heads, titles.slice(0, 2));
    assert.match(await page.locator("tbody").innerText(), /Superficie territoriale\s+[\d.]+ m²\s+[\d.]+ m²/);
    await audit(page, `compare ${js} it`, { javaScript: javaScriptEnabled });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Scarica il confronto in Excel" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), "confronto-siti.xlsx");
    const path = await download.path();
    const { readFileSync } = await import("node:fs");
    assert.equal(readFileSync(path).subarray(0, 2).toString(), "PK", "a zip: the xlsx container");
    // The same comparison in English, one site removed.
    await page.getByRole("link", { name: "English" }).click();
    await page.waitForURL(/\/en\/opportunities\/compare\?site=/);
    // The link's purpose is given by its column's header, the site's name.
    await page.locator("thead th").nth(1).getByRole("link", { name: "Remove from the comparison" }).click();
    await page.waitForURL(/\/en\/opportunities\/compare\?site=OL-SEED-\d+$/);
    assert.equal(await page.locator("thead th a[href^='/en/opportunities/OL-']").count(), 1);
    await audit(page, `compare ${js} en`, { javaScript: javaScriptEnabled });
    await context.close();
  });
}

test("a value that does not read is said next to its field, in both languages", { skip, timeout: 60000 }, async () => {
  const context = await stack.browser.newContext({ locale: "it-IT" });
  const page = await context.newPage();
  for (const [path, message] of [
    ["/opportunita?land_min=tanto&province=BG", "Scrivi un numero, per esempio 2500 o 2500,5."],
    ["/en/opportunities?land_min=lots&province=BG", "Write a number, for example 2500 or 2500.5."],
  ]) {
    const response = await page.goto(stack.portal.base + path);
    assert.equal(response.status(), 422);
    const field = page.locator("#f-land_min");
    assert.equal(await field.getAttribute("aria-describedby"), "f-land_min-error");
    assert.equal(await page.locator("#f-land_min-error").innerText(), message);
    assert.ok(await field.isVisible(), "the group with the error is open");
    await audit(page, `catalogue error ${path.startsWith("/en") ? "en" : "it"}`);
  }
  await context.close();
});

test("the open data: the page in both languages and its files", { skip, timeout: 60000 }, async () => {
  const context = await stack.browser.newContext({ locale: "it-IT" });
  const page = await context.newPage();
  await page.goto(stack.portal.base + "/opportunita");
  await page.getByRole("link", { name: /Scarica il catalogo come dati aperti/ }).click();
  await page.waitForURL("**/dati-aperti");
  await assert.doesNotReject(page.getByText("Il catalogo contiene ora 48 siti.").waitFor());
  await audit(page, "open data it");
  await page.getByRole("link", { name: "English" }).click();
  await page.waitForURL("**/en/open-data");
  await audit(page, "open data en");
  const csv = await (await fetch(stack.portal.base + "/open-data/opportunities.csv")).text();
  assert.equal(csv.trim().split("\n").length, 49, "a header and 48 sites");
  const geo = await (await fetch(stack.portal.base + "/open-data/opportunities.geojson")).json();
  assert.equal(geo.features.length, 48);
  await context.close();
});

test("the map zooms and pans with buttons, keys and the wheel, and names the site under the pointer", { skip, timeout: 120000 }, async () => {
  const context = await stack.browser.newContext({ locale: "it-IT" });
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(stack.portal.base + "/opportunita");
  const svg = page.locator("#catalogue-map svg");
  const box = async () => (await svg.getAttribute("viewBox")).split(" ").map(Number);
  const zoomIn = page.getByRole("button", { name: "Ingrandisci la mappa" });
  await zoomIn.waitFor();
  const [, , width] = await box();
  await zoomIn.click();
  await page.getByText("Ingrandimento 2×").waitFor();
  assert.equal((await box())[2], width / 2);
  await zoomIn.click();
  await zoomIn.click();
  await page.getByText("Ingrandimento 8×").waitFor();
  // The marks in view, asked of the server for this zoom, are drawn to keep their size on screen.
  await page.waitForFunction(() => [...document.querySelectorAll("#catalogue-map-marks circle")].every((c) => Number(c.getAttribute("r")) < 5));
  // The arrows pan while the focus is on the map.
  const x0 = (await box())[0];
  await page.locator("#catalogue-map a.map-province").first().focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  assert.ok((await box())[0] > x0 || (await box())[0] === width - width / 8, "moved right, or at the edge");
  await audit(page, "catalogue js map zoomed");
  // Dragging moves the view (and is not a click on the province under it).
  const frame = await page.locator("#catalogue-map .map-frame").boundingBox();
  const [cx, cy] = [frame.x + frame.width / 2, frame.y + frame.height / 2];
  const before = (await box())[0];
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 120, cy, { steps: 5 });
  await page.mouse.up();
  assert.ok((await box())[0] < before || before === 0, `dragged right, the view moved left from ${before}`);
  assert.match(page.url(), /\/opportunita$/, "a drag is not a click");
  // Ctrl and the wheel zoom out; the wheel alone leaves the zoom be.
  await page.mouse.move(cx, cy);
  await page.mouse.wheel(0, 200);
  await page.waitForTimeout(300);
  assert.equal(await page.locator(".map-zoom-status").innerText(), "Ingrandimento 8×");
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, 200);
  await page.keyboard.up("Control");
  await page.getByText("Ingrandimento 4×").waitFor();
  // Back to the whole region, then in on a single site to read its name.
  await page.getByRole("button", { name: "Tutta la Lombardia" }).click();
  await page.getByText("Ingrandimento 1×").waitFor();
  assert.deepEqual(await box(), [0, 0, width, (await box())[3]]);
  const single = page.locator("#catalogue-map-marks circle[data-href]").first();
  await single.waitFor({ timeout: 10000 });
  await single.hover({ force: true });
  const card = page.locator(".map-card a");
  await card.waitFor();
  assert.match(await card.getAttribute("href"), /^\/opportunita\/OL-/);
  await audit(page, "catalogue js map card");
  await card.click();
  await page.waitForURL(/\/opportunita\/OL-/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("without JavaScript the map's zoom controls are not shown", { skip, timeout: 60000 }, async () => {
  const context = await stack.browser.newContext({ locale: "it-IT", javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(stack.portal.base + "/opportunita");
  assert.equal(await page.getByRole("button", { name: "Ingrandisci la mappa" }).count(), 0);
  assert.equal(await page.locator(".map-zoom").isVisible(), false);
  await context.close();
});
