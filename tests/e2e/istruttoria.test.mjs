// The whole istruttoria of one candidacy in a real browser, with JavaScript and
// without: a new owner submits -> an officer takes it in charge -> asks to fix one
// field of the template and the photos -> the owner can change only those (a locked
// slot and a locked field are refused by the server, next to the field), replies
// and resubmits -> the officer sees what changed, old -> new, and validates -> a
// second officer publishes it (four eyes) -> the owner has had an email at every step.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PDF, audit as auditPage, browserMissing, decodeQuotedPrintable, exampleTemplate, fillPerson, logInAsDemo, registerAndLogIn,
  signAndUploadForms, subjectOf, uploadAttachments, useStack, waitForMail, watchConsole } from "./harness.mjs";

const skip = browserMissing();
const stack = useStack(skip);

/** Another picture than the harness's PNG: a file with the same bytes is not a change. */
const RED_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");

/** Maria Rossi, the owner the demo signing certificate belongs to. */
const ROSSI = { name: "Maria Rossi", tax_code: "RSSMRA80A41F205B", address: "Via Roma 1", postcode: "24044", city: "Dalmine", phone: "+39 035 123 4567" };

/** A new owner's candidacy for a building in Bergamo, submitted: its id and reference. */
async function submitAsNewOwner(page, email) {
  await registerAndLogIn(stack, page, email);
  await page.goto(stack.portal.base + "/profile");
  await fillPerson(page, { role: "owner", fields: { ...ROSSI, email } });
  await page.getByRole("button", { name: "Salva il profilo" }).click();
  await page.waitForURL("**/profile?saved=1");
  await page.goto(stack.portal.base + "/candidacies");
  await page.getByLabel("Tipo di candidatura").selectOption("b");
  await page.getByRole("button", { name: "Crea la bozza" }).click();
  await page.waitForURL("**/location");
  await page.getByLabel("Comune").fill("Bergamo (BG)");
  await page.getByLabel("Indirizzo").fill("Via Grumello 57");
  await page.getByLabel("CAP").fill("24127");
  await page.getByLabel("Latitudine").fill("45,6905");
  await page.getByLabel("Longitudine").fill("9,6410");
  await page.getByRole("button", { name: "Salva e continua" }).click();
  await page.waitForURL("**/template");
  await uploadTemplate(page, exampleTemplate("b"));
  await page.locator("#upload-result.alert-success").waitFor();
  const id = page.url().match(/candidacies\/(\d+)/)[1];
  await page.goto(`${stack.portal.base}/candidacies/${id}/attachments`);
  await uploadAttachments(page);
  await page.goto(`${stack.portal.base}/candidacies/${id}/forms`);
  await signAndUploadForms(stack, page, ["a", "b"]);
  await page.goto(`${stack.portal.base}/candidacies/${id}/submit`);
  await page.getByRole("button", { name: "Presenta la candidatura" }).click();
  await page.waitForURL("**/submit#submitted");
  const reference = (await page.locator("#submitted").innerText()).match(/OL-\d{4}-\d{6}/)[0];
  return { id, reference };
}

async function uploadTemplate(page, file) {
  await page.getByLabel("File del modello compilato").setInputFiles(file);
  await page.getByRole("button", { name: "Carica e controlla" }).click();
}

async function journey(javaScriptEnabled) {
  const mode = javaScriptEnabled ? "js" : "nojs";
  const audit = (page, label) => auditPage(page, `istruttoria ${mode} ${label}`, { javaScript: javaScriptEnabled });
  const open = async () => {
    const context = await stack.browser.newContext({ javaScriptEnabled, locale: "it-IT", acceptDownloads: true });
    const page = await context.newPage();
    return { context, page, problems: watchConsole(page, { scriptsOff: !javaScriptEnabled }) };
  };
  const base = stack.portal.base;
  const email = `rossi-${mode}-${Date.now()}@example.it`;

  // The owner submits.
  const owner = await open();
  const { id, reference } = await submitAsNewOwner(owner.page, email);
  const mail = (subject, to = email) => waitForMail(stack.sink, to, `${subject}: ${reference}`);
  await mail("Candidatura presentata");

  // The officer finds it in the queue by its reference and takes it in charge:
  // the owner is told when a decision is due.
  const officer = await open();
  await logInAsDemo(stack, officer.page, "istruttore@demo.test");
  await officer.page.goto(`${base}/staff?q=${reference}`);
  await officer.page.locator("#queue tbody tr a").first().click();
  await officer.page.waitForURL(new RegExp(`/staff/candidacies/${id}\\?from=`));
  await officer.page.getByRole("button", { name: "Prendi in carico" }).click();
  await officer.page.locator("#validate").waitFor();
  const inCharge = await mail("Candidatura presa in carico");
  assert.match(inCharge.body, /attesa entro il\W+\d{1,2} [a-z]+ \d{4}/);
  assert.match(inCharge.body, new RegExp(`/candidacies/${id}/submit`));

  // The request: one field of the template and the photos, each with a note.
  await officer.page.getByRole("link", { name: "Richiedi integrazioni" }).click();
  await officer.page.waitForURL(/\/integration/);
  await officer.page.locator("input[value='field:km_motorway']").check();
  await officer.page.locator("input[name='note:field:km_motorway']").fill("Il casello più vicino è quello di Bergamo: verificate la distanza");
  await officer.page.locator("input[value='document:photo']").check();
  await officer.page.locator("input[name='note:document:photo']").fill("Serve una foto della facciata su via Grumello");
  await audit(officer.page, "checklist marked");
  await officer.page.getByRole("button", { name: "Invia la richiesta" }).click();
  await officer.page.locator("#requests").waitFor();

  // The owner follows the email's link to exactly those two items.
  const asked = await mail("Integrazioni richieste");
  const link = asked.body.match(/https?:\/\/\S+\/candidacies\/\d+\/submit/)[0];
  await owner.page.goto(link);
  const items = owner.page.locator("#integration-items li");
  assert.equal(await items.count(), 2);
  await audit(owner.page, "owner reads the request");

  // What was not asked stays as submitted: the server refuses it by the field.
  await owner.page.goto(`${base}/candidacies/${id}/attachments`);
  await owner.page.locator("#f-perimeter").setInputFiles({ name: "altro-perimetro.pdf", mimeType: "application/pdf", buffer: PDF });
  await owner.page.locator("form[action*='purpose=perimeter'] button[type=submit]").click();
  await owner.page.getByText("L'istruttore non ha riaperto questa parte").first().waitFor();
  await audit(owner.page, "locked slot refused");
  await owner.page.goto(`${base}/candidacies/${id}/template`);
  // The file to correct is the one submitted, as it was.
  const downloading = owner.page.waitForEvent("download");
  await owner.page.getByRole("link", { name: "Scarica il file presentato" }).click();
  assert.match((await downloading).suggestedFilename(), /-submitted\.xlsx$/);
  await uploadTemplate(owner.page, exampleTemplate("b", { km_motorway: "2,5", title_it: "Un altro titolo" }));
  await owner.page.getByText("non era tra le voci da correggere").first().waitFor();
  assert.match(await owner.page.locator("#upload-result").innerText(), /Titolo.*non era tra le voci da correggere/);
  await audit(owner.page, "locked field refused");
  // The asked field alone: accepted.
  await uploadTemplate(owner.page, exampleTemplate("b", { km_motorway: "2,5" }));
  await owner.page.locator("#upload-result.alert-success").waitFor();
  // A new photo in place of the old one.
  await owner.page.goto(`${base}/candidacies/${id}/attachments`);
  await owner.page.locator("#f-photo").setInputFiles({ name: "facciata-via-grumello.png", mimeType: "image/png", buffer: RED_PNG });
  await owner.page.locator("form[action*='purpose=photo'] button[type=submit]").click();
  await owner.page.waitForURL("**/attachments#slot-photo");
  await owner.page.getByRole("button", { name: "Rimuovi facciata.png" }).click();
  await owner.page.getByRole("link", { name: "facciata.png", exact: true }).waitFor({ state: "detached" });
  // The reply, and the candidacy submitted again.
  await owner.page.goto(`${base}/candidacies/${id}/submit`);
  await owner.page.locator("#f-reply").fill("Distanza corretta: 2,5 km dal casello di Bergamo. Nuova foto della facciata.");
  await audit(owner.page, "owner replies");
  await owner.page.getByRole("button", { name: "Rispondi e ripresenta" }).click();
  await owner.page.locator("#submitted").waitFor();
  await mail("Risposta alle integrazioni", "istruttore@demo.test");

  // The officer sees the reply and each change, old -> new; then validates.
  await officer.page.goto(`${base}/staff/candidacies/${id}`);
  await officer.page.getByText("Risposta ricevuta").waitFor();
  const changes = await officer.page.locator("#changes-0").innerText();
  assert.match(changes, /Distanza dal casello autostradale\s+12,75\s+2,5\n/);
  assert.match(changes, /facciata-via-grumello\.png/);
  // The history names what was asked, in words.
  assert.match(await officer.page.locator("#history").innerText(), /Distanza dal casello autostradale; Foto del sito/);
  await audit(officer.page, "officer sees the changes");
  await officer.page.getByRole("button", { name: "Verifica: la candidatura è ammissibile" }).click();
  await officer.page.locator("#validate").waitFor({ state: "detached" });
  await mail("Candidatura verificata");

  // Four eyes: another officer (the demo administrator) publishes it.
  const admin = await open();
  await logInAsDemo(stack, admin.page, "admin@demo.test");
  await admin.page.goto(`${base}/staff/candidacies/${id}/publish`);
  await admin.page.getByRole("button", { name: "Pubblica nel catalogo" }).click();
  await admin.page.locator("#unpublish").waitFor();
  await mail("Candidatura pubblicata");

  // Every email the owner had, once each and in order, each with a link to the candidacy.
  const owners = stack.sink.messages.filter((m) => m.to.includes(email) && subjectOf(m).includes(reference));
  for (const m of owners) assert.match(decodeQuotedPrintable(m.raw), new RegExp(`/candidacies/${id}/submit`), subjectOf(m));
  const subjects = owners.map((m) => subjectOf(m).split(":")[0]);
  assert.deepEqual(subjects, [
    "Candidatura presentata",
    "Candidatura presa in carico",
    "Integrazioni richieste",
    "Candidatura presentata",
    "Candidatura verificata",
    "Candidatura pubblicata",
  ]);
  await owner.page.goto(`${base}/candidacies`);
  assert.match(await owner.page.locator("#candidacies").innerText(), /Pubblicata/);
  await audit(owner.page, "owner sees it published");

  for (const who of [owner, officer, admin]) {
    assert.deepEqual(who.problems, [], "no console errors or CSP violations");
    await who.context.close();
  }
}

test("from submission to publication, with every email, with JavaScript", { skip, timeout: 240000 }, () => journey(true));
test("from submission to publication with JavaScript disabled", { skip, timeout: 240000 }, () => journey(false));
