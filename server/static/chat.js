// The web-storefront chat: one WebSocket to /ws, reconnecting with backoff; replies' `data`
// (products, basket, payment_link) render as cards, the basket panel and a pay button.
// The page set an HttpOnly session cookie: the server reads the conversation from it, so the
// userId in each frame only counts where cookies are blocked (then the open namespace serves).
"use strict";

const LOCALES = ["en", "es", "fr", "de"];
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000, 30000];
const POLICY_VIOLATION = 1008; // the server refused the session: retrying would not help

const state = {
  texts: {},
  locale: pickLocale(),
  userId: userId(),
  socket: null,
  attempts: 0,
  queue: [],
  countdown: null,
};

function pickLocale() {
  const saved = localStorage.getItem("shopmcp.locale");
  if (LOCALES.includes(saved)) return saved;
  const browser = (navigator.language || "en").slice(0, 2).toLowerCase();
  return LOCALES.includes(browser) ? browser : "en";
}

function userId() {
  let id = localStorage.getItem("shopmcp.user");
  if (!id) {
    id = "web-" + (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
    localStorage.setItem("shopmcp.user", id);
  }
  return id;
}

function t(key, params = {}) {
  const table = state.texts[state.locale] || {};
  const text = table[key] ?? (state.texts.en || {})[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

function money(minor, currency) {
  const format = new Intl.NumberFormat(state.locale, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits;
  return format.format(minor / 10 ** digits);
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

// -- the connection --------------------------------------------------------------------------

function socketUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws`;
}

function setStatus(kind, seconds) {
  const status = document.getElementById("status");
  status.dataset.state = kind;
  status.textContent =
    kind === "online" ? t("chat.online")
      : kind === "offline" ? t("chat.offline", { seconds })
      : kind === "closed" ? t("chat.closed")
      : t("chat.connecting");
}

function connect() {
  clearInterval(state.countdown);
  setStatus("connecting");
  const socket = new WebSocket(socketUrl());
  state.socket = socket;
  socket.onopen = () => {
    state.attempts = 0;
    setStatus("online");
    while (state.queue.length && socket.readyState === WebSocket.OPEN) socket.send(state.queue.shift());
  };
  socket.onmessage = (event) => render(JSON.parse(event.data));
  socket.onclose = (event) => {
    if (state.socket !== socket) return;
    if (event.code === POLICY_VIOLATION) {
      setStatus("closed"); // its error frame said why; a reload begins a new session
      return;
    }
    const delay = BACKOFF_MS[Math.min(state.attempts, BACKOFF_MS.length - 1)];
    state.attempts += 1;
    let left = Math.ceil(delay / 1000);
    setStatus("offline", left);
    state.countdown = setInterval(() => {
      left -= 1;
      if (left > 0) setStatus("offline", left);
    }, 1000);
    setTimeout(connect, delay);
  };
}

function send(text) {
  const frame = JSON.stringify({
    userId: state.userId,
    message: text,
    clientType: "web-storefront",
    locale: state.locale,
  });
  addBubble("user", text);
  if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(frame);
  else state.queue.push(frame);
}

// -- rendering replies -----------------------------------------------------------------------

function addBubble(kind, text) {
  const bubble = el("div", { class: `bubble ${kind}` }, text);
  append(bubble);
  return bubble;
}

function append(node) {
  const log = document.getElementById("log");
  log.append(node);
  log.scrollTop = log.scrollHeight;
}

function render(reply) {
  if (reply.error) {
    addBubble("error", reply.error);
    return;
  }
  if (reply.response) addBubble("bot", reply.response);
  const data = reply.data || {};
  if (Array.isArray(data.products) && data.products.length) append(productCards(data.products));
  if (data.product) append(productCards([data.product]));
  if (data.basket) renderBasket(data.basket);
  if (data.payment_link) append(payButton(data.payment_link));
}

function productCards(products) {
  document.querySelectorAll(".card button").forEach((b) => (b.disabled = true)); // older results
  const cards = el("div", { class: "cards" });
  for (const p of products) {
    const available = p.in_stock ?? (p.stock ?? 0) > 0;
    const stockText =
      typeof p.stock === "number" ? (p.stock > 0 ? t("chat.stock", { stock: p.stock }) : t("chat.out_of_stock"))
        : available ? t("chat.in_stock") : t("chat.out_of_stock");
    const initials = p.name.split(/\s+/).slice(0, 2).map((w) => w[0]).join("").toUpperCase();
    const add = el("button", { type: "button", onclick: () => send(t("chat.add_phrase", { name: p.name })) }, t("chat.add"));
    add.disabled = !available;
    cards.append(
      el(
        "article",
        { class: "card", "data-product-id": p.id },
        el("div", { class: "thumb", "aria-hidden": "true" }, initials),
        el("div", { class: "name" }, p.name),
        el("div", { class: "price" }, money(p.price, p.currency)),
        el("div", { class: available ? "stock" : "stock out" }, stockText),
        add,
      ),
    );
  }
  return cards;
}

function renderBasket(basket) {
  const list = document.getElementById("basket-lines");
  list.replaceChildren();
  const lines = basket.lines || [];
  for (const line of lines) {
    list.append(
      el(
        "li",
        { "data-product-id": line.product_id },
        el("span", {}, el("span", { class: "qty" }, `${line.quantity} × `), line.name),
        el("span", {}, money(line.line_total, basket.currency)),
      ),
    );
  }
  document.getElementById("basket-empty").hidden = lines.length > 0;
  document.getElementById("basket-total").hidden = lines.length === 0;
  document.getElementById("get-link").hidden = lines.length === 0;
  if (lines.length) document.getElementById("basket-amount").textContent = money(basket.total, basket.currency);
}

function payButton(link) {
  const url = new URL(link.url, location.href);
  url.searchParams.set("lang", state.locale);
  return el(
    "div",
    { class: "paylink" },
    el("a", { class: "button", href: url.toString(), id: "pay-link" }, t("chat.pay", { amount: money(link.amount, link.currency) })),
  );
}

// -- the page --------------------------------------------------------------------------------

function applyTexts() {
  document.documentElement.lang = state.locale;
  document.getElementById("locale").value = state.locale;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  document.getElementById("message").placeholder = t("chat.placeholder");
  const status = document.getElementById("status");
  setStatus(status.dataset.state, state.attempts ? "…" : 0);
}

async function main() {
  state.texts = await (await fetch("/static/i18n.json")).json();
  applyTexts();
  addBubble("bot", t("chat.welcome"));
  document.getElementById("locale").addEventListener("change", (event) => {
    state.locale = event.target.value;
    localStorage.setItem("shopmcp.locale", state.locale);
    applyTexts();
  });
  document.getElementById("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("message");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  document.getElementById("get-link").addEventListener("click", () => send(t("chat.link_phrase")));
  connect();
}

main();
