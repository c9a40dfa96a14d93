// End-to-end test of the console: a real `vigil serve` on loopback with
// the sample data, driven in Debian's Chromium through playwright-core.
// An analyst signs in, states a purpose, reviews an alert (a reason is
// required), opens the traveller; a rule manager writes, checks, tests and
// saves a rule; the pages fit a tablet; a frontline officer checks a face
// photograph, then a passport chip's photograph with its security object,
// and an analyst confirms the hit; months later the booking is
// depersonalised and seen whole again only through an approved request.
// Any page error fails the test.
//
// Environment: VIGIL_BINARY (the vigil executable), VIGIL_SOURCE_DIR (the
// repository), CHROMIUM (default /usr/bin/chromium).
import { chromium } from "playwright-core";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const vigil = process.env.VIGIL_BINARY;
const source = process.env.VIGIL_SOURCE_DIR;
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!vigil || !source) throw new Error("set VIGIL_BINARY and VIGIL_SOURCE_DIR");

const dir = mkdtempSync(join(tmpdir(), "vigil-e2e-"));
const db = join(dir, "e2e.db");
const password = "a long passphrase 7";

function run(args, input = "") {
  const r = spawnSync(vigil, [...args, "--db", db], { input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`vigil ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function check(condition, what) {
  if (!condition) throw new Error(`failed: ${what}`);
  console.log(`ok: ${what}`);
}

// The store: samples, a list entry for one traveller, a rule, two people.
run(["ingest", join(source, "data/samples")]);
const entry = join(dir, "national.jsonl");
writeFileSync(entry, '{"id": "W1", "names": ["Chidi OKONKWO"], "dob": ["1985-02-14"], "severity": "high"}\n');
run(["lists", "import", "--name", "national", "--format", "jsonl", entry]);
run(["assess", "--all"]);
run(["users", "add", "analyst1", "--roles", "analyst"], password + "\n");
run(["users", "add", "ruler", "--roles", "rule_manager"], password + "\n");
run(["users", "add", "keeper", "--roles", "list_manager"], password + "\n");
run(["users", "add", "dpo", "--roles", "auditor"], password + "\n");
run(["users", "add", "judge", "--roles", "approver"], password + "\n");
run(["users", "add", "officer1", "--roles", "frontline"], password + "\n");
// A watch-listed face, enrolled from a photograph, and a fingerprint.
run(["bio", "enrol", "--list", "national", "--id", "PH1", join(source, "data/faces/astronaut.jpg")]);
const fingerprint = join(source, "tests/biometrics/data/wsq/sample.wsq");
run(["bio", "enrol", "--list", "national", "--id", "FP1", fingerprint]);
// A passport chip: the sample photograph in a data group 2 (ICAO 9303 part
// 10, around an ISO/IEC 19794-5 record), and its document security object
// signed with the openssl command under a CSCA the server trusts.
function tlv(tag, value) {
  const n = value.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 255] : [0x83, n >> 16, (n >> 8) & 255, n & 255];
  return Buffer.concat([Buffer.from(tag), Buffer.from(length), value]);
}
function bigEndian(v, n) {
  const b = Buffer.alloc(n);
  for (let i = n - 1; i >= 0; --i, v = Math.floor(v / 256)) b[i] = v & 255;
  return b;
}
function openssl(args) {
  const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr}`);
}
const jpeg = readFileSync(join(source, "data/faces/astronaut.jpg"));
const block = Buffer.concat([bigEndian(0, 2), Buffer.alloc(14), Buffer.from([1, 0]), bigEndian(320, 2), bigEndian(320, 2),
  Buffer.from([1, 2]), bigEndian(0, 2), bigEndian(0, 2), jpeg]);
const blocks = Buffer.concat([bigEndian(block.length + 4, 4), block]);
const record = Buffer.concat([Buffer.from("FAC"), Buffer.from([0]), Buffer.from("010"), Buffer.from([0]), bigEndian(14 + blocks.length, 4), bigEndian(1, 2), blocks]);
const header = Buffer.concat([tlv([0x81], Buffer.from([2])), tlv([0x87], Buffer.from([1, 1])), tlv([0x88], Buffer.from([0, 8]))]);
const dg2 = tlv([0x75], tlv([0x7f, 0x61], Buffer.concat([tlv([0x02], Buffer.from([1])),
  tlv([0x7f, 0x60], Buffer.concat([tlv([0xa1], header), tlv([0x5f, 0x2e], record)]))])));
const sha256 = Buffer.from("0609608648016503040201", "hex");
const lds = tlv([0x30], Buffer.concat([tlv([0x02], Buffer.from([0])), tlv([0x30], Buffer.concat([sha256, Buffer.from([5, 0])])),
  tlv([0x30], tlv([0x30], Buffer.concat([tlv([0x02], Buffer.from([2])), tlv([0x04], createHash("sha256").update(dg2).digest())])))]));
writeFileSync(join(dir, "dg2.bin"), dg2);
writeFileSync(join(dir, "lds.der"), lds);
writeFileSync(join(dir, "ds.ext"), "keyUsage=critical,digitalSignature\n");
openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "csca.key", "-out", "csca.pem",
  "-days", "3650", "-subj", "/C=UT/CN=CSCA UT", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ds.key", "-out", "ds.csr",
  "-subj", "/C=UT/CN=Document Signer UT"]);
openssl(["x509", "-req", "-in", "ds.csr", "-CA", "csca.pem", "-CAkey", "csca.key", "-out", "ds.pem", "-days", "3650",
  "-set_serial", "2", "-extfile", "ds.ext"]);
openssl(["cms", "-sign", "-binary", "-nodetach", "-nosmimecap", "-econtent_type", "2.23.136.1.1.1", "-in", "lds.der",
  "-signer", "ds.pem", "-inkey", "ds.key", "-outform", "DER", "-out", "cms.der"]);
writeFileSync(join(dir, "ef.sod"), tlv([0x77], readFileSync(join(dir, "cms.der"))));

const upload = join(dir, "wanted.jsonl");
writeFileSync(upload, '{"id": "X9", "names": ["Jonas Ebbesen"], "dob": ["1970-05-05"]}\n');

// On a port the system picks, which the server names once it listens.
const server = spawn(vigil, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--web", join(source, "web/dist"),
  "--csca", join(dir, "csca.pem")],
  { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise((resolve, reject) => {
  let said = "";
  const timer = setTimeout(() => reject(new Error("the server did not start in 60 s")), 60000);
  server.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    said += chunk;
    const m = said.match(/console on http:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) clearTimeout(timer), resolve(Number(m[1]));
  });
  server.on("exit", (code) => reject(new Error(`the server exited (${code})`)));
});
const base = `http://127.0.0.1:${port}`;

const browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
const errors = [];
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) errors.push(`console: ${m.text()}`); });
  page.on("response", (r) => { if (r.status() >= 500) errors.push(`${r.status()} from ${r.url()}`); });

  const signIn = async (name) => {
    await page.goto(`${base}/#/login`);
    await page.fill("#name", name);
    await page.fill("#password", password);
    await page.click("button[type=submit]");
  };
  // Signs the current person out and `name` in, stating `purpose` when the
  // console asks for one.
  const become = async (name, purpose) => {
    await page.click("#sign-out");
    await page.waitForSelector("#name");
    await signIn(name);
    if (!purpose) return;
    await page.waitForSelector("#purpose");
    await page.fill("#purpose", purpose);
    await page.click("button[type=submit]");
  };

  // A wrong password is refused on the page.
  await page.goto(`${base}/`);
  await page.fill("#name", "analyst1");
  await page.fill("#password", "not the password 1");
  await page.click("button[type=submit]");
  await page.waitForSelector("text=wrong name or password");
  check(true, "a wrong password is refused");

  await signIn("analyst1");
  await page.waitForSelector("#purpose");
  check(true, "personal data asks for a purpose first");
  await page.fill("#purpose", "case E2E-1");
  await page.click("button[type=submit]");
  const alert = page.locator("article.alert").first();
  await alert.waitFor();
  check((await alert.textContent()).includes("List national"), "the alert shows the watch-list match and its evidence");
  check(await page.locator("figure.chart svg").count() === 2, "charts of alerts per day and per rule");
  const id = await alert.getAttribute("data-alert");

  await alert.locator("button[data-to=in_review]").click();
  await alert.locator("text=A reason is required.").waitFor();
  check(true, "a review without a reason is refused");
  await alert.locator("textarea").fill("checking the booking and the document");
  await alert.locator("button[data-to=in_review]").click();
  await page.waitForFunction((i) => !document.querySelector(`article[data-alert="${i}"]`), id);
  await page.goto(`${base}/#/alerts?status=in_review`);
  const reviewing = page.locator(`article[data-alert="${id}"]`);
  await reviewing.waitFor();
  await reviewing.locator("textarea").fill("different person: other place of birth");
  await reviewing.locator("button[data-to=dismissed]").click();
  await page.waitForFunction((i) => !document.querySelector(`article[data-alert="${i}"]`), id);
  await page.goto(`${base}/#/alerts?status=dismissed`);
  await page.locator(`article[data-alert="${id}"]`).waitFor();
  check(true, "the alert went new -> in review -> dismissed with reasons");

  await page.locator(`article[data-alert="${id}"] header a`).click();
  await page.waitForSelector("h3:text('Documents')");
  check((await page.textContent("main")).includes("OKONKWO"), "the traveller page shows the traveller");
  await page.waitForSelector(".listed dd >> text=Chidi OKONKWO");
  await page.waitForSelector(".listed dd >> text=1985-02-14");
  check(true, "the match's evidence is shown beside the listed entry");

  // Tablet: nothing wider than the screen.
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(`${base}/#/alerts?status=all`);
  await page.locator("article.alert").first().waitFor();
  const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the alert queue fits a tablet (overflow ${overflow}px)`);
  await page.setViewportSize({ width: 1280, height: 800 });

  await become("ruler", "rule review E2E");
  await page.waitForSelector("#rule-text");
  await page.fill("#rule-text", 'rule "British" severity low category test when traveller.nationalty == "GBR"');
  await page.click("#rule-check");
  await page.waitForSelector("#rule-result .error");
  const shown = await page.textContent("#rule-result");
  check(shown.includes("line 1, column") && shown.includes("did you mean traveller.nationality?"),
    "an invalid rule is shown with its line, column and hint");
  await page.fill("#rule-text", 'rule "British" severity low category test when traveller.nationality == "GBR"');
  await page.fill("#rule-days", "3650");
  await page.click("#rule-test");
  await page.waitForSelector("#rule-result .ok");
  check((await page.textContent("#rule-result")).includes("Would have hit"), "a rule is tested on history");
  await page.click("#rule-save");
  await page.waitForSelector("text=Saved as version 1");
  await page.waitForSelector("td:text('British')");
  check(true, "the rule is saved and listed");

  // A list manager imports a new list version and sees it listed.
  await become("keeper", "list upkeep E2E");
  await page.waitForSelector("#list-name");
  await page.fill("#list-name", "wanted");
  await page.selectOption("#list-format", "jsonl");
  await page.setInputFiles("#list-file", upload);
  await page.click("#list-import");
  await page.waitForSelector("#list-state.ok");
  check((await page.textContent("#list-state")).includes("Version 1: 1 entries"), "a list version is imported with its progress shown");
  await page.waitForSelector("td >> text=wanted");
  await page.click("a:text('wanted')");
  await page.waitForSelector("#list-entries >> text=X9");
  check(true, "the imported entries are listed");

  // A frontline officer checks a photograph: the watch-listed face comes
  // back as a candidate for an examiner to confirm.
  await become("officer1", "border check");
  await page.goto(`${base}/#/check`);
  await page.waitForSelector("#face-photo");
  await page.setInputFiles("#face-photo", join(source, "data/faces/astronaut.jpg"));
  await page.fill("input[name=location]", "BCP North");
  await page.click("form.card button[type=submit]");
  await page.waitForSelector("#candidates >> text=PH1");
  check((await page.textContent("#check-result")).includes("an examiner confirms"), "a face photograph is checked and the candidate shown for confirmation");
  check((await page.textContent("#candidates tbody tr")).includes("0.820"), "the candidate shows the threshold it was judged at");
  // The photograph from a passport's chip, with the chip's security object.
  await page.setInputFiles("#face-photo", join(dir, "dg2.bin"));
  await page.setInputFiles("#chip-sod", join(dir, "ef.sod"));
  await page.click("form.card button[type=submit]");
  await page.waitForSelector("#chip-verdict.ok");
  check((await page.textContent("#chip-verdict")).includes("Chip authentic: data group 2 signed by CN=Document Signer UT,C=UT"),
    "a chip's photograph is authenticated against its security object and the trusted CSCA");
  check((await page.textContent("#chip-verdict")).includes("; signer revocation not checked: no CRL from its CSCA is loaded"),
    "the officer is told the signer was not checked against a revocation list");
  await page.waitForSelector("#candidates >> text=PH1");
  // A photograph that is not the chip's: the officer is told.
  await page.setInputFiles("#face-photo", join(source, "data/faces/astronaut.jpg"));
  await page.click("form.card button[type=submit]");
  await page.waitForSelector("#chip-verdict.error");
  check((await page.textContent("#check-result")).includes("Refer: biometric candidates; the chip is not authentic"),
    "a photograph the security object does not cover is referred");

  // An examiner confirms the hit: no decision by automation alone.
  await become("analyst1", "examination E2E");
  await page.locator("article.alert").first().waitFor();  // signed in, on the alert queue
  await page.goto(`${base}/#/encounters`);
  const hit = page.locator("#encounters tbody tr").first();
  await hit.waitFor();
  check((await hit.textContent()).includes("national PH1"), "the officer's hit awaits an examiner");
  await hit.locator("button.compare").click();
  await page.waitForSelector("#compare img.specimen");
  check(await page.locator("#compare img.specimen").count() === 2 &&
    await page.locator("#compare img.specimen").first().evaluate((i) => i.naturalWidth > 0),
    "the probe and the photograph the candidate was enrolled from are shown side by side");
  await hit.locator("button.confirm").click();
  await hit.locator(".error").waitFor();
  check((await hit.textContent()).includes("a decision needs a reason"), "a decision needs a reason");
  await hit.locator(".decision-reason").fill("same person: face and document agree");
  await hit.locator("button.confirm").click();
  await hit.locator("text=confirmed by analyst1").waitFor();
  await page.goto(`${base}/#/encounters?status=confirmed`);
  await page.waitForSelector("#encounters >> text=same person: face and document agree");
  check(true, "the examiner's decision is recorded with the reason");

  // The data-protection officer reads the access log and the report.
  await become("dpo");
  await page.waitForSelector("td >> text=case E2E-1");
  check(true, "the access log shows the analyst's purpose");
  await page.goto(`${base}/#/dpo`);
  await page.waitForSelector("h2 >> text=Data protection report");
  check((await page.textContent("main")).includes("read alerts"), "the data-protection report counts accesses by purpose");
  const bio = await page.textContent("#dpo-biometrics");
  check(bio.includes("Hits confirmed / rejected by an examiner1 / 0") && bio.includes("Chips authentic / not authentic1 / 1"),
    "the report shows whether a person decided each biometric hit, and the chips checked");

  // Seven months on, the booking is depersonalised: the analyst asks to see
  // it again for a case, an approver decides, the analyst sees it whole.
  run(["retention", "run", "--now", "2027-07-01T00:00:00Z"]);
  const pnrAlert = JSON.parse(run(["alerts", "list", "--status", "all", "--json"])).find((a) => a.traveller_kind === "pnr");
  check(pnrAlert !== undefined, "an alert stands on a PNR traveller");
  await become("analyst1", "case E2E-2");
  await page.locator("article.alert").first().waitFor();
  await page.goto(`${base}/#/traveller/pnr/${pnrAlert.traveller_id}`);
  await page.waitForSelector("#depersonalised");
  // Everything but the listed entry (the list's data, not the traveller's).
  const travellerText = () => page.evaluate(() => {
    const main = document.querySelector("main").cloneNode(true);
    main.querySelectorAll(".listed").forEach((e) => e.remove());
    return main.textContent;
  });
  check(!(await travellerText()).includes("OKONKWO"), "a depersonalised booking shows no name");
  await page.fill("#rp-case", "E2E-2");
  await page.fill("#rp-grounds", "linked to seizure E2E");
  await page.click("#rp-request");
  await page.waitForSelector("#rp-state .ok");
  check(true, "the analyst requests re-personalisation with a case and grounds");
  await become("judge");
  const request = page.locator("article[data-request]").first();
  await request.waitFor();
  await request.locator("input.note").fill("proportionate");
  await request.locator("button[data-verb=approve]").click();
  await page.waitForSelector("text=approved by judge");
  check(true, "an approver approves it");
  await become("analyst1", "E2E-2");
  await page.locator("article.alert").first().waitFor();
  await page.goto(`${base}/#/traveller/pnr/${pnrAlert.traveller_id}`);
  await page.waitForSelector("#repersonalised");
  check((await travellerText()).includes("OKONKWO"), "the requester sees the booking whole, under the case");
  await become("dpo");
  await page.waitForSelector("td >> text=case E2E-1");
  await page.goto(`${base}/#/dpo`);
  await page.waitForSelector("#dpo-requests >> text=E2E-2");
  check(true, "the data-protection officer sees the request and its decision");

  // An officer names the finger of a fingerprint image: the candidate
  // shows what its score fuses, finger by finger.
  await become("officer1", "border check");
  await page.goto(`${base}/#/check`);
  await page.waitForSelector("#fingerprints");
  await page.setInputFiles("#fingerprints", fingerprint);
  const offered = await page.$$eval("#fingerprints-named option", (os) => os.map((o) => o.textContent));
  check(offered.includes("right-hand slap") && offered.includes("thumbs slap") && !offered.includes("right thumb (plain)"),
    "a file may be named a finger or a slap's image");
  await page.selectOption("#fingerprints-named select", "2");
  await page.click("form.card button[type=submit]");
  await page.waitForSelector("#candidates >> text=FP1");
  const fingerRow = await page.textContent("#candidates tbody tr");
  check(fingerRow.includes("finger") && fingerRow.includes("right index "), "a named fingerprint's candidate shows its finger and score");

  check(errors.length === 0, `no page errors (${errors.join("; ")})`);
} catch (e) {
  failed = true;
  console.error(e.message);
  try { console.error("page shows: " + (await browser.contexts()[0].pages()[0].textContent("main")).slice(0, 500)); } catch { /* no page */ }
  for (const err of errors) console.error(err);
} finally {
  await browser.close();
  // The server's files go once it has stopped writing them.
  if (server.exitCode === null && server.signalCode === null) {
    const stopped = new Promise((resolve) => { server.once("exit", resolve); setTimeout(resolve, 15000); });
    server.kill("SIGTERM");
    await stopped;
  }
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
process.exit(failed ? 1 : 0);
