// The pattern playground: each pause in typing posts the text to /api/playground (analyze_intent
// with explain=true) and shows intent, slots, rule, corrections, near misses and timing. Rules,
// near misses and admin intents come back only with the admin key (kept for this tab only).
"use strict";

const DEBOUNCE_MS = 150;
let timer = null;
let latest = 0;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function highlighted(text, spans) {
  const out = el("div", { class: "message" });
  let at = 0;
  for (const span of [...spans].filter((s) => s.text).sort((a, b) => a.start - b.start)) {
    if (span.start < at) continue;
    out.append(text.slice(at, span.start), el("mark", { class: "slot", title: span.name }, text.slice(span.start, span.end)));
    at = span.end;
  }
  out.append(text.slice(at));
  return out;
}

function facts(pairs) {
  const dl = el("dl", { class: "facts" });
  for (const [name, value] of pairs) if (value !== null && value !== undefined && value !== "") dl.append(el("dt", {}, name), el("dd", {}, value));
  return dl;
}

function named(match) {
  return match.rule ? `${match.intent} (${match.rule})` : match.intent;
}

function show(text, a) {
  const result = document.getElementById("result");
  result.replaceChildren();
  result.dataset.state = a.status;
  result.dataset.intent = a.intent;
  const best = (a.requests || [])[0] || (a.candidates || [])[0];
  const head = el(
    "div",
    { class: "result-head" },
    el("span", { class: a.status === "none" ? "intent-name none" : "intent-name", id: "intent" }, a.intent),
    el("span", { class: "chip" }, a.status),
    el("span", { class: "chip grey" }, `${a.locale} (${a.locale_detected ? "detected" : "given"})`),
    el("span", { class: "chip grey" }, `${a.source} · score ${Number(a.score).toFixed(2)}`),
    el("span", { class: "chip grey", id: "timing" }, `${a.micros} µs`),
  );
  result.append(head, highlighted(text, best ? best.spans : []));
  result.append(
    facts([
      ["rule", a.rule],
      ["then", (a.requests || []).slice(1).map(named).join(", ")],
      ["tied with", (a.candidates || []).map(named).join(", ")],
      ["courtesy", (a.courtesy || []).join(", ")],
    ]),
  );
  if (best && best.spans.length) {
    const table = el("table", { class: "slots" }, el("tr", {}, el("th", {}, "slot"), el("th", {}, "value"), el("th", {}, "typed")));
    for (const s of best.spans) {
      table.append(el("tr", {}, el("td", {}, s.name), el("td", {}, JSON.stringify(s.value)), el("td", {}, s.text ? `"${s.text}" ${s.start}:${s.end}` : "fixed by the pattern")));
    }
    result.append(el("h3", {}, "Slots"), table);
  }
  const corrections = (best && best.corrections) || [];
  if (corrections.length) {
    result.append(el("h3", {}, "Corrections"), el("ul", { class: "plain" }, ...corrections.map((c) => el("li", {}, `${c.from} → ${c.to}`))));
  }
  const near = a.near_misses || [];
  if (near.length) {
    result.append(el("h3", {}, near.length > 12 ? `Near misses (first 12 of ${near.length})` : `Near misses (${near.length})`), el("ul", { class: "plain", id: "near-misses" }, ...near.slice(0, 12).map((n) => el("li", {}, n))));
  }
  if (a.view === "public") {
    result.append(el("p", { class: "muted small", id: "public-view" }, "Rule locations, near misses and admin intents are shown with the admin key."));
  }
  document.getElementById("version").textContent = `patterns ${a.pattern_set}`;
  const errors = a.pattern_errors || [];
  document.getElementById("reload-errors").hidden = errors.length === 0;
  document.getElementById("reload-list").replaceChildren(...errors.map((e) => el("pre", {}, e)));
}

function showError(message) {
  const result = document.getElementById("result");
  result.dataset.state = "error";
  result.replaceChildren(el("p", { class: "bubble error" }, message));
}

async function analyze() {
  const text = document.getElementById("text").value;
  const ticket = ++latest;
  if (!text.trim()) {
    document.getElementById("result").replaceChildren(el("p", { class: "muted" }, "Type a message above."));
    return;
  }
  const locale = document.getElementById("locale").value || null;
  try {
    const key = document.getElementById("admin-key").value.trim();
    const headers = { "content-type": "application/json" };
    if (key) headers.authorization = `Bearer ${key}`;
    const response = await fetch("/api/playground", {
      method: "POST",
      headers,
      body: JSON.stringify({ text, locale }),
    });
    const body = await response.json();
    if (ticket !== latest) return; // a newer keystroke already asked
    if (!response.ok) showError(body.error || `HTTP ${response.status}`);
    else show(text, body);
  } catch (error) {
    if (ticket === latest) showError(`the server is not answering: ${error}`);
  }
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(analyze, DEBOUNCE_MS);
}

const adminKey = document.getElementById("admin-key");
adminKey.value = sessionStorage.getItem("shopmcp-admin-key") || "";
adminKey.addEventListener("change", () => {
  sessionStorage.setItem("shopmcp-admin-key", adminKey.value.trim());
  schedule();
});
document.getElementById("text").addEventListener("input", schedule);
document.getElementById("locale").addEventListener("change", schedule);
const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  document.getElementById("text").value = initial;
  analyze();
}
