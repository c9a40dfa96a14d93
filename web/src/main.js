// The officer console: a small single-page application over the Vigil API
// (docs/openapi.yaml). Every text from the API is put in the page as text,
// never as markup.
import "./style.css";

const app = document.getElementById("app");
const nav = document.getElementById("nav");
const who = document.getElementById("who");

// ---------------------------------------------------------------- helpers

// An element: h("td", {class: "x", onclick: f}, "text", child, ...).
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "value") el.value = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const session = {
  get csrf() { return sessionStorage.getItem("csrf") || ""; },
  get name() { return sessionStorage.getItem("name") || ""; },
  get roles() { return JSON.parse(sessionStorage.getItem("roles") || "[]"); },
  get purpose() { return sessionStorage.getItem("purpose") || ""; },
  set purpose(v) { sessionStorage.setItem("purpose", v); },
  start(answer) {
    sessionStorage.setItem("csrf", answer.csrf);
    sessionStorage.setItem("name", answer.name);
    sessionStorage.setItem("roles", JSON.stringify(answer.roles));
  },
  end() { sessionStorage.clear(); },
  has(...roles) { return this.roles.some((r) => roles.includes(r)); },
};

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `request failed (${status})`);
    this.status = status;
    this.body = body;
  }
}

// Calls the API; personal reads carry the purpose, changes the CSRF token.
async function api(method, path, body) {
  const headers = { "X-CSRF-Token": session.csrf };
  if (session.purpose) headers["X-Purpose"] = session.purpose;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (res.status === 401 && !path.endsWith("/session")) {
    session.end();
    location.hash = "#/login";
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

function show(...nodes) {
  app.replaceChildren(...nodes);
}

function failure(e) {
  return h("p", { class: "error", role: "alert" }, e.message);
}

function statusBadge(status) {
  return h("span", { class: `badge status-${status}` }, status.replace("_", " "));
}

function severityBadge(severity) {
  return h("span", { class: `badge sev-${severity}` }, severity);
}

// Asks for the purpose before personal data is read.
function needPurpose(then) {
  if (session.purpose) return false;
  const input = h("input", { id: "purpose", placeholder: "e.g. case 2026/117 or flight BA117 targeting", required: true });
  show(h("section", { class: "card" },
    h("h2", {}, "Purpose of this work"),
    h("p", {}, "Reading travellers' data needs a purpose or case reference; every access is logged with it."),
    h("form", { onsubmit: (ev) => { ev.preventDefault(); if (input.value.trim()) { session.purpose = input.value.trim(); then(); } } },
      input, h("button", { type: "submit" }, "Continue"))));
  return true;
}

// ---------------------------------------------------------------- views

function loginView() {
  const name = h("input", { id: "name", autocomplete: "username", required: true });
  const password = h("input", { id: "password", type: "password", autocomplete: "current-password", required: true });
  const message = h("p", { class: "error", role: "alert" });
  show(h("section", { class: "card narrow" },
    h("h2", {}, "Sign in"),
    h("form", {
      onsubmit: async (ev) => {
        ev.preventDefault();
        try {
          session.start(await api("POST", "/api/v1/session", { name: name.value, password: password.value }));
          location.hash = session.has("analyst", "supervisor") ? "#/alerts" : session.has("frontline") ? "#/check" :
            session.has("rule_manager") ? "#/rules" : session.has("list_manager") ? "#/lists" :
            session.has("auditor") ? "#/audit" : session.has("approver") ? "#/approvals" : "#/flights";
        } catch (e) { message.textContent = e.message; }
      },
    },
    h("label", {}, "Name", name), h("label", {}, "Password", password),
    h("button", { type: "submit" }, "Sign in"), message)));
}

async function flightsView() {
  const flights = await api("GET", "/api/v1/flights");
  show(h("section", {},
    h("h2", {}, "Arrivals board"),
    h("table", {},
      h("thead", {}, h("tr", {}, ["Flight", "From", "To", "Departs", "Arrives", "High", "Medium", "Low"].map((t) => h("th", {}, t)))),
      h("tbody", {}, flights.map((f) => h("tr", {},
        h("td", {}, f.flight), h("td", {}, f.from), h("td", {}, f.to), h("td", {}, f.departure), h("td", {}, f.arrival),
        h("td", { class: f.alerts.high ? "sev-high" : "" }, f.alerts.high),
        h("td", {}, f.alerts.medium), h("td", {}, f.alerts.low)))))));
}

// Bars of counts by key, as SVG.
function bars(title, counts) {
  const entries = Object.entries(counts).sort();
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const width = 320, row = 18;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${Math.max(row, entries.length * row)}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", title);
  entries.forEach(([key, n], i) => {
    const bar = document.createElementNS(svg.namespaceURI, "rect");
    bar.setAttribute("x", "140"); bar.setAttribute("y", String(i * row + 3));
    bar.setAttribute("width", String(((width - 170) * n) / max)); bar.setAttribute("height", String(row - 6));
    bar.setAttribute("class", "bar");
    const label = document.createElementNS(svg.namespaceURI, "text");
    label.setAttribute("x", "0"); label.setAttribute("y", String(i * row + 13));
    label.textContent = key.length > 22 ? key.slice(0, 21) + "…" : key;
    const value = document.createElementNS(svg.namespaceURI, "text");
    value.setAttribute("x", String(145 + ((width - 170) * n) / max)); value.setAttribute("y", String(i * row + 13));
    value.textContent = String(n);
    svg.append(bar, label, value);
  });
  return h("figure", { class: "chart" }, h("figcaption", {}, title), svg);
}

function reasonLines(reason) {
  if (reason.kind === "rule")
    return h("div", { class: "reason" }, h("strong", {}, `Rule "${reason.source}" v${reason.version} `), severityBadge(reason.severity),
      h("ul", {}, (reason.explanation || []).map((line) => h("li", {}, line))));
  return h("div", { class: "reason" },
    h("strong", {}, `List ${reason.source} v${reason.version}, entry ${reason.entry}, score ${Number(reason.score).toFixed(3)} `),
    severityBadge(reason.severity),
    h("ul", {}, (reason.explanation || []).map((e) => h("li", {}, `${e.factor}: ${e.detail}`))));
}

function reviewForm(alert, done) {
  const reason = h("textarea", { class: "reason-input", placeholder: "Reason (required)", rows: 2, required: true });
  const message = h("p", { class: "error", role: "alert" });
  const steps = { new: ["in_review"], in_review: ["confirmed", "dismissed"], confirmed: ["in_review"], dismissed: ["in_review"] };
  const labels = { in_review: "Start review", confirmed: "Confirm (refer to frontline)", dismissed: "Dismiss" };
  const buttons = (steps[alert.status] || []).map((to) => h("button", {
    type: "button", "data-to": to,
    onclick: async () => {
      if (!reason.value.trim()) { message.textContent = "A reason is required."; reason.focus(); return; }
      try { await api("POST", `/api/v1/alerts/${alert.id}/review`, { to, reason: reason.value }); done(); }
      catch (e) { message.textContent = e.message; }
    },
  }, labels[to]));
  if (!buttons.length) return h("p", {}, "No review step is open for this alert.");
  return h("div", { class: "review" }, reason, h("div", { class: "actions" }, buttons), message);
}

async function alertsView() {
  if (needPurpose(alertsView)) return;
  const status = new URLSearchParams(location.hash.split("?")[1] || "").get("status") || "new";
  const alerts = await api("GET", `/api/v1/alerts${status === "all" ? "" : `?status=${status}`}`);
  const all = await api("GET", "/api/v1/alerts");
  const perDay = {}, perRule = {};
  for (const a of all) {
    const day = a.created_at.slice(0, 10);
    perDay[day] = (perDay[day] || 0) + 1;
    for (const r of a.reasons) if (r.kind === "rule") perRule[r.source] = (perRule[r.source] || 0) + 1;
  }
  const filters = ["new", "in_review", "confirmed", "dismissed", "all"].map((s) =>
    h("a", { href: `#/alerts?status=${s}`, class: s === status ? "active" : "" }, s.replace("_", " ")));
  show(h("section", {},
    h("h2", {}, "Alert queue"),
    h("div", { class: "filters" }, filters),
    h("div", { class: "charts" }, bars("Alerts per day", perDay), bars("Alerts per rule", perRule)),
    alerts.length ? alerts.map((a) => h("article", { class: "card alert", "data-alert": a.id },
      h("header", {}, statusBadge(a.status), " ", severityBadge(a.severity), " ",
        h("a", { href: `#/traveller/${a.traveller_kind}/${a.traveller_id}` }, a.traveller_name || `${a.traveller_kind}:${a.traveller_id}`),
        h("span", { class: "muted" }, ` ${a.flight} ${a.departure_date} · ${a.category}`)),
      a.reasons.map(reasonLines),
      reviewForm(a, () => route())))
      : h("p", {}, "No alerts with this status.")));
}

async function travellerView(kind, id) {
  if (needPurpose(() => travellerView(kind, id))) return;
  const t = await api("GET", `/api/v1/travellers/${kind}/${id}`);
  const p = t.person || {};
  const b = t.booking;
  show(h("section", {},
    h("h2", {}, `${p.given_names || ""} ${p.surname || ""}`.trim() || `${kind}:${id}`),
    privacyNotice(t),
    h("div", { class: "columns" },
      h("div", { class: "card" }, h("h3", {}, "Traveller"),
        h("dl", {}, ["sex", "birth_date", "nationality", "residence_country"].flatMap((k) => [h("dt", {}, k.replace("_", " ")), h("dd", {}, p[k] || "—")])),
        h("h3", {}, "Documents"),
        h("ul", {}, (p.documents || []).map((d) => h("li", {}, `${d.type || ""} ${d.number || ""} ${d.issuing_state || ""} expires ${d.expiry_date || "—"}`)))),
      h("div", { class: "card" }, h("h3", {}, "Itinerary"),
        h("ul", {}, (b && b.itinerary ? b.itinerary : t.flights.map((f) => ({ carrier: f.flight, flight_number: "", departure_airport: f.from, arrival_airport: f.to, departure_local: f.departure })))
          .map((l) => h("li", {}, `${l.carrier || ""}${l.flight_number || ""} ${l.departure_airport || ""} → ${l.arrival_airport || ""} ${l.departure_local || ""}`))),
        h("h3", {}, "Booking"),
        b ? h("dl", {}, [h("dt", {}, "record locator"), h("dd", {}, b.record_locator), h("dt", {}, "created"), h("dd", {}, b.created || "—"),
          h("dt", {}, "versions"), h("dd", {}, String((t.versions || []).length)), h("dt", {}, "contacts"),
          h("dd", {}, (b.contacts || []).map((c) => `${c.type}: ${c.value}`).join(", ") || "—")]) : h("p", {}, "No booking (advance passenger data only)."))),
    h("h3", {}, "Alerts"),
    t.alerts.length ? t.alerts.map((a) => h("article", { class: "card" }, h("header", {}, statusBadge(a.status), " ", severityBadge(a.severity), ` ${a.flight} ${a.departure_date}`),
      a.reasons.map((r) => h("div", { class: "columns" }, reasonLines(r), r.kind === "watchlist" ? listedEntry(r) : null)))) : h("p", {}, "None.")));
}

// What a depersonalised record shows, and how to ask to see it whole.
function privacyNotice(t) {
  if (!t.depersonalised) return null;
  if (t.repersonalisation) {
    const g = t.repersonalisation;
    return h("p", { class: "notice", id: "repersonalised" },
      `Re-personalised for case ${g.case_ref} until ${g.expires_at}. This reading is logged under that case.`);
  }
  const box = h("div", { class: "notice", id: "depersonalised" },
    h("p", {}, "Depersonalised: this record is over six months old. Names, contacts, payment, frequent-flyer and document data are masked."));
  if (t.kind !== "pnr" || !session.has("analyst")) return box;
  const caseRef = h("input", { id: "rp-case", placeholder: "case reference", required: true });
  const grounds = h("textarea", { id: "rp-grounds", rows: 2, placeholder: "grounds: why this case needs the names", required: true });
  const state = h("p", { id: "rp-state" });
  box.append(h("form", { class: "card", onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const r = await api("POST", "/api/v1/repersonalisations", { traveller_id: Number(t.id), case_ref: caseRef.value.trim(), grounds: grounds.value.trim() });
      state.replaceChildren(h("span", { class: "ok" }, `Request #${r.id} made: a person holding the approver role decides it; the data-protection officer sees it.`));
    } catch (e) { state.replaceChildren(failure(e)); }
  } }, h("h3", {}, "Request re-personalisation"), caseRef, grounds, h("button", { type: "submit", id: "rp-request" }, "Request"), state));
  return box;
}

// Re-personalisation requests an approver decides (never their own).
async function approvalsView() {
  const requests = await api("GET", "/api/v1/repersonalisations?view=all");
  const decide = (r, verb, note) => async () => {
    try { await api("POST", `/api/v1/repersonalisations/${r.id}/${verb}`, { note: note.value.trim() }); route(); }
    catch (e) { show(failure(e)); }
  };
  show(h("section", {}, h("h2", {}, "Re-personalisation requests"),
    requests.length ? requests.map((r) => {
      const note = h("input", { placeholder: "note", class: "note" });
      return h("article", { class: "card", "data-request": r.id },
        h("header", {}, `#${r.id} case ${r.case_ref} · traveller pnr:${r.traveller_id} · ${r.status}`),
        h("p", {}, `Asked by ${r.requested_by} at ${r.requested_at}: ${r.grounds}`),
        r.status === "requested"
          ? h("div", { class: "actions" }, note,
            h("button", { type: "button", "data-verb": "approve", onclick: decide(r, "approve", note) }, "Approve"),
            h("button", { type: "button", "data-verb": "refuse", onclick: decide(r, "refuse", note) }, "Refuse"))
          : h("p", { class: "muted" }, `${r.status} by ${r.decided_by} at ${r.decided_at}${r.expires_at ? `, until ${r.expires_at}` : ""}${r.decision_note ? `: ${r.decision_note}` : ""}`));
    }) : h("p", {}, "No requests.")));
}

// The list entry a match is against, to read beside the match's evidence.
function listedEntry(reason) {
  const box = h("div", { class: "card listed", "data-entry": reason.entry }, h("h4", {}, `Listed: ${reason.source} ${reason.entry}`));
  api("GET", `/api/v1/lists/${encodeURIComponent(reason.source)}/entries/${encodeURIComponent(reason.entry)}`)
    .then((e) => box.append(h("dl", {},
      h("dt", {}, "names"), h("dd", {}, (e.names || []).map((n) => n.full || n).join(" / ") || "—"),
      h("dt", {}, "born"), h("dd", {}, (e.birth_dates || []).join(", ") || "—"),
      h("dt", {}, "nationality"), h("dd", {}, (e.nationalities || []).join(", ") || "—"),
      h("dt", {}, "documents"), h("dd", {}, (e.documents || []).map((d) => `${d.type || ""} ${d.number || ""} ${d.country || ""}`).join(", ") || "—"),
      h("dt", {}, "category"), h("dd", {}, e.category || "—"))))
    .catch((err) => box.append(failure(err)));
  return box;
}

async function rulesView() {
  if (needPurpose(rulesView)) return;
  const rules = await api("GET", "/api/v1/rules");
  const text = h("textarea", { id: "rule-text", rows: 6, spellcheck: "false",
    value: 'rule "Short-notice booking" severity medium category narcotics\nwhen booking.days_before_departure <= 3' });
  const days = h("input", { id: "rule-days", type: "number", min: 0, max: 3650, value: 30 });
  const out = h("div", { id: "rule-result" });
  const run = (f) => async () => {
    out.replaceChildren();
    try { out.replaceChildren(await f()); }
    catch (e) {
      const b = e.body || {};
      out.replaceChildren(h("pre", { class: "error", role: "alert" }, b.shown || e.message));
    }
  };
  const check = run(async () => {
    const r = await api("POST", "/api/v1/rules/check", { text: text.value });
    return h("p", { class: "ok" }, `Valid: "${r.name}" (${r.severity}, ${r.category}).`);
  });
  const test = run(async () => {
    const r = await api("POST", "/api/v1/rules/test", { text: text.value, days: Number(days.value) });
    return h("div", {}, h("p", { class: "ok" }, `Would have hit ${r.hits.length} of ${r.travellers} travellers on ${r.flights} flights (${r.undecided} not decided for missing data). No alert was created.`),
      h("ul", {}, r.hits.map((x) => h("li", {}, `${x.flight} ${x.departure_date} ${x.name}: ${x.why.join("; ")}`))));
  });
  const save = run(async () => {
    const r = await api("POST", "/api/v1/rules", { text: text.value });
    setTimeout(route, 800);
    return h("p", { class: "ok" }, r.unchanged ? `Unchanged (version ${r.version}).` : `Saved as version ${r.version}; upcoming flights re-assessed.`);
  });
  show(h("section", {},
    h("h2", {}, "Targeting rules"),
    h("table", {}, h("thead", {}, h("tr", {}, ["Rule", "Version", "Severity", "Category", "State", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, rules.map((r) => h("tr", {}, h("td", {}, r.name), h("td", {}, r.version), h("td", {}, severityBadge(r.severity)),
        h("td", {}, r.category), h("td", {}, r.enabled ? "enabled" : "disabled"),
        h("td", {}, h("button", { type: "button", onclick: () => { text.value = r.text; } }, "Edit")))))),
    h("div", { class: "card" }, h("h3", {}, "Write, check and test a rule"), text,
      h("div", { class: "actions" }, h("button", { type: "button", id: "rule-check", onclick: check }, "Check"),
        h("label", { class: "inline" }, "Test on the last ", days, " days"),
        h("button", { type: "button", id: "rule-test", onclick: test }, "Test"),
        session.has("rule_manager") ? h("button", { type: "button", id: "rule-save", onclick: save }, "Save") : null),
      out)));
}

// Uploads `file` as a new version of list `name`, reporting progress.
function uploadList(name, format, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1/lists/${encodeURIComponent(name)}?format=${format}`);
    xhr.setRequestHeader("Content-Type", "text/plain");
    xhr.setRequestHeader("X-CSRF-Token", session.csrf);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total, "uploading"); };
    xhr.upload.onload = () => onProgress(1, "re-screening travellers and re-assessing flights");
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { body = null; }
      if (xhr.status === 200) resolve(body);
      else reject(new ApiError(xhr.status, body));
    };
    xhr.onerror = () => reject(new Error("the upload failed"));
    xhr.send(file);
  });
}

async function listsView() {
  if (needPurpose(listsView)) return;
  const versions = await api("GET", "/api/v1/lists");
  const entries = h("div", { id: "list-entries" });
  const showEntries = async (name) => {
    try {
      const r = await api("GET", `/api/v1/lists/${encodeURIComponent(name)}/entries?limit=50`);
      entries.replaceChildren(h("h3", {}, `${name}: ${r.total} entries (first ${r.entries.length})`),
        h("ul", {}, r.entries.map((e) => h("li", {}, `${e.reference}: ${(e.names || []).map((n) => n.full || n).join(" / ")}`))));
    } catch (e) { entries.replaceChildren(failure(e)); }
  };
  const name = h("input", { id: "list-name", placeholder: "list name, e.g. national", pattern: "[A-Za-z0-9_.\\-]+", required: true });
  const format = h("select", { id: "list-format" }, ["jsonl", "csv", "un"].map((f) => h("option", { value: f }, f)));
  const file = h("input", { id: "list-file", type: "file", required: true });
  const bar = h("progress", { id: "list-progress", max: 1, value: 0, hidden: true });
  const state = h("p", { id: "list-state" });
  const form = h("form", { class: "card", onsubmit: async (ev) => {
    ev.preventDefault();
    if (!file.files.length) return;
    bar.hidden = false;
    try {
      const r = await uploadList(name.value, format.value, file.files[0], (fraction, phase) => {
        bar.value = fraction;
        state.textContent = `${phase}${phase === "uploading" ? ` ${Math.round(fraction * 100)} %` : "…"}`;
      });
      state.className = "ok";
      state.textContent = r.unchanged ? `Same entries as version ${r.version}; nothing stored.` :
        `Version ${r.version}: ${r.entries} entries (${r.added} added, ${r.removed} removed, ${r.changed} changed); ${r.new_hits} new hits, ${r.withdrawn_hits} withdrawn.`;
      setTimeout(route, 1500);
    } catch (e) {
      state.className = "error";
      state.textContent = `${e.message}${e.body && e.body.problems ? "\n" + e.body.problems.slice(0, 10).join("\n") : ""}`;
    } finally { bar.hidden = true; }
  } }, h("h3", {}, "Import a new version"), name, format, file, h("button", { type: "submit", id: "list-import" }, "Import"), bar, state);
  show(h("section", {}, h("h2", {}, "Watch lists"),
    h("table", {}, h("thead", {}, h("tr", {}, ["List", "Version", "Format", "Entries", "Imported", "Active"].map((t) => h("th", {}, t)))),
      h("tbody", {}, versions.map((v) => h("tr", {},
        h("td", {}, h("a", { href: "#", onclick: (ev) => { ev.preventDefault(); showEntries(v.name); } }, v.name)),
        h("td", {}, v.version), h("td", {}, v.format), h("td", {}, v.entries), h("td", {}, v.imported_at), h("td", {}, v.active ? "yes" : ""))))),
    session.has("list_manager") ? form : null, entries));
}

async function auditView() {
  const entries = await api("GET", "/api/v1/audit?limit=200");
  show(h("section", {}, h("h2", {}, "Access log"),
    h("table", {}, h("thead", {}, h("tr", {}, ["When", "Who", "What", "Object", "Purpose", "From", "Outcome"].map((t) => h("th", {}, t)))),
      h("tbody", {}, entries.map((e) => h("tr", { class: e.outcome === "ok" ? "" : "denied" },
        [e.at, e.actor, e.action, e.object, e.purpose, e.remote, e.outcome].map((v) => h("td", {}, v))))))));
}

async function dpoView() {
  const r = await api("GET", "/api/v1/reports/dpo");
  const row = (label, value) => h("tr", {}, h("th", {}, label), h("td", {}, String(value)));
  show(h("section", { class: "report" },
    h("div", { class: "actions" }, h("h2", {}, `Data protection report, ${r.as_at}`),
      h("button", { type: "button", id: "print", onclick: () => window.print() }, "Print")),
    h("h3", {}, "Accesses granted, by user, purpose and action"),
    h("table", {}, h("thead", {}, h("tr", {}, ["User", "Purpose", "Action", "Count"].map((t) => h("th", {}, t)))),
      h("tbody", {}, r.accesses.map((a) => h("tr", {}, h("td", {}, a.actor), h("td", {}, a.purpose || "—"), h("td", {}, a.action), h("td", {}, a.count))))),
    h("table", {}, h("tbody", {},
      row("Requests refused", r.refused),
      ...Object.entries(r.minimised).map(([c, n]) => row(`Deleted on receipt: ${c}`, n)),
      row("Messages something was deleted from on receipt", r.minimised_messages),
      row("PNR versions due for depersonalisation (over 6 months)", r.due.pnr_versions_depersonalisation),
      row("Messages due for deletion (over 5 years)", r.due.messages_deletion),
      row("API travellers due for deletion (over 24 hours, no alert)", r.due.api_travellers_deletion),
      row("PNR versions depersonalised", r.done.pnr_versions_depersonalised),
      row("PNR versions deleted", r.done.pnr_versions_deleted),
      row("API travellers deleted", r.done.api_travellers_deleted),
      row("Raw messages depersonalised / deleted", `${r.done.raw_messages_depersonalised} / ${r.done.raw_messages_deleted}`),
      row("Alerts deleted", r.done.alerts_deleted),
      row("Quarantined messages deleted", r.done.quarantined_deleted))),
    h("h3", {}, "Biometrics"),
    h("table", { id: "dpo-biometrics" }, h("tbody", {},
      row("Gallery: subjects / templates / enrolment images kept", `${r.biometrics.subjects} / ${r.biometrics.templates} / ${r.biometrics.images}`),
      row("Subjects removed from their lists", r.biometrics.removals),
      row("Encounters held / hits / probes kept", `${r.biometrics.encounters} / ${r.biometrics.hits} / ${r.biometrics.probes_kept}`),
      row("Hits confirmed / rejected by an examiner", `${r.biometrics.confirmed} / ${r.biometrics.rejected}`),
      row("Hits awaiting an examiner", r.biometrics.awaiting + (r.biometrics.oldest_awaiting ? ` (oldest since ${r.biometrics.oldest_awaiting})` : "")),
      row("Chips authentic / not authentic", `${r.biometrics.chips_authentic} / ${r.biometrics.chips_not_authentic}`))),
    h("h3", {}, "Re-personalisation requests"),
    r.repersonalisations.length
      ? h("table", { id: "dpo-requests" }, h("thead", {}, h("tr", {}, ["#", "Case", "Grounds", "Asked by", "At", "Decision", "Until"].map((t) => h("th", {}, t)))),
        h("tbody", {}, r.repersonalisations.map((q) => h("tr", {}, [q.id, q.case_ref, q.grounds, q.requested_by, q.requested_at,
          q.decided_by ? `${q.status} by ${q.decided_by}` : q.status, q.expires_at || "—"].map((v) => h("td", {}, v))))))
      : h("p", {}, "None.")));
}

// A file's bytes as base64, for the API's biometric fields.
function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(new Error(`cannot read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

// Finger positions (ISO/IEC 19794-2), as a candidate's fingers name them.
const FINGERS = ["finger not known", "right thumb", "right index", "right middle", "right ring", "right little",
  "left thumb", "left index", "left middle", "left ring", "left little", "right thumb (plain)", "left thumb (plain)",
  "right-hand slap", "left-hand slap", "thumbs slap"];

async function checkView() {
  if (needPurpose(checkView)) return;
  const fields = ["surname", "given_names", "birth_date", "nationality"].map((k) => h("input", { name: k, placeholder: k.replace("_", " ") }));
  const doc = h("input", { name: "document", placeholder: "document number" });
  const location = h("input", { name: "location", placeholder: "crossing point" });
  // A face photograph (the tablet's camera where there is one, or the
  // chip's data group 2 as its reader saved it) and finger images,
  // templates or the chip's data group 3.
  const photo = h("input", { id: "face-photo", type: "file", accept: "image/png,image/jpeg,image/jp2,.jp2,.j2k,.dg2,.bin", capture: "user" });
  const prints = h("input", { id: "fingerprints", type: "file", multiple: true });
  // Which finger each file is: an image says none, and the fingers of a
  // probe are fused into one score only where they are named.
  const named = h("div", { id: "fingerprints-named" });
  prints.addEventListener("change", () => named.replaceChildren(...[...prints.files].slice(0, 10).map((f) =>
    h("label", {}, `${f.name} `, h("select", {}, FINGERS.map((name, i) => [i, name]).filter(([i]) => i <= 10 || i >= 13)
      .map(([i, name]) => h("option", { value: i ? String(i) : "" }, i ? name : "finger not named")))))));
  // The chip's document security object (EF.SOD): the data groups above
  // are checked against it (passive authentication).
  const sod = h("input", { id: "chip-sod", type: "file", accept: ".sod,.bin" });
  const out = h("div", { id: "check-result" });
  show(h("section", {}, h("h2", {}, "Frontline check"),
    h("form", { class: "card", onsubmit: async (ev) => {
      ev.preventDefault();
      const body = {};
      fields.forEach((f) => { if (f.value.trim()) body[f.name] = f.value.trim(); });
      if (doc.value.trim()) body.documents = [{ number: doc.value.trim() }];
      if (location.value.trim()) body.location = location.value.trim();
      try {
        if (photo.files.length) body.face_image = await fileBase64(photo.files[0]);
        if (prints.files.length) {
          const positions = [...named.querySelectorAll("select")].map((s) => Number(s.value));
          body.fingerprints = await Promise.all([...prints.files].slice(0, 10).map(async (f, i) =>
            positions[i] ? { data: await fileBase64(f), position: positions[i] } : fileBase64(f)));
        }
        if (sod.files.length) body.document_security_object = await fileBase64(sod.files[0]);
        if (!Object.keys(body).some((k) => k !== "location")) throw new Error("give a name, a document, a photograph or fingerprints");
        out.replaceChildren(h("p", {}, "Checking…"));
        const r = await api("POST", "/api/v1/check", body);
        const matches = r.matches || [], alerts = r.alerts || [];
        const candidates = r.biometrics ? r.biometrics.candidates : [];
        const refer = [matches.length || alerts.length ? "matches or alerts" : "",
          candidates.some((c) => c.match) ? "biometric candidates" : "",
          r.chip && !r.chip.authentic ? "the chip is not authentic" : ""].filter(Boolean);
        const chip = r.chip ? h("p", { id: "chip-verdict", class: r.chip.authentic ? "ok" : "error" },
          r.chip.authentic ? `Chip authentic: data group ${r.chip.groups.join(", ")} signed by ${r.chip.signer}` +
            (r.chip.revocation_current ? "" : `; signer ${r.chip.revocation}`)
            : `Chip NOT authentic: ${r.chip.reason}`) : [];
        out.replaceChildren(h("div", {}, h("h3", {}, refer.length ? `Refer: ${refer.join("; ")}` : "No match, no alert"), chip,
          matches.map((m) => h("p", {}, `${m.list} ${m.entry} score ${m.score}`)),
          alerts.map((a) => h("p", {}, `${a.flight} ${a.departure_date}: ${a.status} ${a.severity} alert`)),
          candidates.length ? [
            h("p", { class: "note" }, "Biometric candidates, best first: an examiner confirms a candidate before anything is done on it."),
            h("table", { id: "candidates" }, h("thead", {}, h("tr", {}, ["List", "Reference", "Modality", "Score", "Threshold", "Over threshold", "Fingers"].map((t) => h("th", {}, t)))),
              h("tbody", {}, candidates.map((c) => h("tr", { class: c.match ? "hit" : "" },
                [c.list, c.id, c.modality, Number(c.score).toFixed(3), Number(c.threshold).toFixed(3), c.match ? "yes" : "no",
                  (c.fingers || []).map((f) => `${FINGERS[f.position] || `finger ${f.position}`}${f.print ? ` print ${f.print}` : ""} ${Number(f.score).toFixed(1)}`).join(", ")]
                  .map((v) => h("td", {}, v))))))] : []));
      } catch (e) { out.replaceChildren(failure(e)); }
    } }, fields, doc, location,
    h("label", {}, "Face photograph ", photo), h("label", {}, "Fingerprints (images or templates) ", prints), named,
    h("label", {}, "Chip security object (EF.SOD) ", sod),
    h("button", { type: "submit" }, "Check")), out));
}

// Biometric hits for an examiner to confirm or reject, each with a reason:
// no decision by automation alone.
async function encountersView() {
  if (needPurpose(encountersView)) return;
  const status = new URLSearchParams(location.hash.split("?")[1] || "").get("status") || "awaiting";
  const list = await api("GET", `/api/v1/encounters?status=${status}`);
  const filters = ["awaiting", "confirmed", "rejected", "all"].map((s) =>
    h("a", { href: `#/encounters?status=${s}`, class: s === status ? "active" : "" }, s));
  // The probe and the candidate's enrolment images, side by side (what a
  // browser shows: JPEG and PNG).
  const compare = h("div", { id: "compare", class: "columns" });
  const picture = (title, i) => h("figure", { class: "card" }, h("figcaption", {}, title),
    !i ? h("p", {}, "none kept") : ["JPEG", "PNG"].includes(i.format)
      ? h("img", { src: `data:image/${i.format.toLowerCase()};base64,${i.data}`, alt: title, class: "specimen" })
      : h("p", {}, `${i.format} (not shown here)`));
  const showImages = (e) => async () => {
    try {
      const r = await api("GET", `/api/v1/encounters/${e.id}/images`);
      compare.replaceChildren(picture(`Probe, ${e.at} at ${e.location}`, r.probe),
        ...(r.references.length ? r.references.map((ref) => picture(`Enrolled: ${e.best_list} ${e.best_id} (${ref.modality})`, ref))
          : [picture(`Enrolled: ${e.best_list} ${e.best_id}`, null)]));
    } catch (err) { compare.replaceChildren(failure(err)); }
  };
  const row = (e) => {
    const reason = h("input", { class: "decision-reason", placeholder: "reason" });
    const state = h("span", { class: "decision-state" });
    const decide = (decision) => async () => {
      try {
        const d = await api("POST", `/api/v1/encounters/${e.id}/decision`, { decision, reason: reason.value.trim() });
        cells.replaceChildren(h("span", { class: "ok" }, `${d.decision} by ${d.decided_by}`));
      } catch (err) { state.replaceChildren(failure(err)); }
    };
    const cells = h("td", {}, e.result !== "hit" ? "—" : e.decision ? `${e.decision} by ${e.decided_by}: ${e.reason}` : [reason,
      h("button", { type: "button", class: "confirm", onclick: decide("confirmed") }, "Confirm"),
      h("button", { type: "button", class: "reject", onclick: decide("rejected") }, "Reject"), state]);
    return h("tr", { "data-encounter": e.id }, [e.at, e.location, e.officer, e.result === "hit" ? `${e.best_list} ${e.best_id}` : "no hit",
      Number(e.best_score).toFixed(3), e.chip || "—"].map((v) => h("td", {}, v)),
      h("td", {}, h("button", { type: "button", class: "compare", onclick: showImages(e) }, "Compare")), cells);
  };
  show(h("section", {}, h("h2", {}, "Biometric hits to examine"),
    h("p", { class: "note" }, "A hit is a candidate until an examiner confirms it; a rejected hit's probe is deleted."),
    h("div", { class: "filters" }, filters),
    list.length ? h("table", { id: "encounters" }, h("thead", {}, h("tr", {}, ["At", "Where", "Officer", "Candidate", "Score", "Chip", "Images", "Decision"].map((t) => h("th", {}, t)))),
      h("tbody", {}, list.map(row))) : h("p", {}, "No encounters with this status."), compare));
}

// ---------------------------------------------------------------- routing

const pages = [
  { hash: "#/flights", label: "Arrivals", roles: ["analyst", "supervisor", "frontline"], view: flightsView },
  { hash: "#/alerts", label: "Alerts", roles: ["analyst", "supervisor"], view: alertsView },
  { hash: "#/check", label: "Check", roles: ["analyst", "supervisor", "frontline"], view: checkView },
  { hash: "#/encounters", label: "Hits", roles: ["analyst", "supervisor"], view: encountersView },
  { hash: "#/rules", label: "Rules", roles: ["analyst", "supervisor", "rule_manager"], view: rulesView },
  { hash: "#/lists", label: "Lists", roles: ["analyst", "supervisor", "list_manager"], view: listsView },
  { hash: "#/audit", label: "Access log", roles: ["auditor"], view: auditView },
  { hash: "#/dpo", label: "Data protection", roles: ["auditor"], view: dpoView },
  { hash: "#/approvals", label: "Approvals", roles: ["approver"], view: approvalsView },
];

function renderNav() {
  nav.replaceChildren(...(session.name ? pages.filter((p) => session.has(...p.roles)).map((p) =>
    h("a", { href: p.hash, class: location.hash.startsWith(p.hash) ? "active" : "" }, p.label)) : []));
  who.replaceChildren(...(session.name ? [
    h("span", {}, `${session.name}${session.purpose ? ` · ${session.purpose}` : ""} `),
    h("button", { type: "button", id: "sign-out", onclick: async () => {
      try { await api("DELETE", "/api/v1/session"); } catch { /* signed out anyway */ }
      session.end(); location.hash = "#/login";
    } }, "Sign out")] : []));
}

async function route() {
  const hash = location.hash || "#/login";
  renderNav();
  if (!session.name || hash.startsWith("#/login")) return loginView();
  try {
    const traveller = hash.match(/^#\/traveller\/(api|pnr)\/(\d+)$/);
    if (traveller) return await travellerView(traveller[1], traveller[2]);
    const page = pages.find((p) => hash.startsWith(p.hash));
    if (!page) return show(h("p", {}, "No such page."));
    await page.view();
  } catch (e) {
    show(failure(e));
  }
}

window.addEventListener("hashchange", route);
route();
