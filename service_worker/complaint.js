/* Public complaints (/pengaduan), with or without signal (decision 0019).
 *
 * Loaded by the page and by the service worker (importScripts, after outbox.js): both make
 * the same queue, `self.KoroenaComplaints` (IndexedDB "koroena-complaints"), so the
 * worker's Background Sync sends it on its tag like the till's and the report forms'.
 * Besides the queue's own stores it keeps
 *   mine     {id, ticket, category, created_at, status: pending | sent | review}: the
 *            complaints filed on this phone ("Pengaduan saya"), with their tickets
 *   meta     "challenges": a few unanswered security questions fetched while online
 *            (each is single use and lives 24 hours), so a complaint can be written offline
 * A complaint goes to the queue first (with its photo, as base64 in the payload: the
 * queue's request body is JSON), and the page says so at once; the queue sends it exactly
 * once to POST /api/v1/complaints/sync. A question that expired while offline comes back
 * as `challenge_expired`: the review list asks a new one and sends the same complaint
 * again (same id: the server stores it once). */
(function (root) {
  "use strict";

  const Q = root.KoroenaQueue;
  if (!Q || root.KoroenaComplaints) return;

  root.KoroenaComplaints = Q.create({
    db: "koroena-complaints",
    version: 1,
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore("meta");
        db.createObjectStore("outbox", { keyPath: "n", autoIncrement: true });
        db.createObjectStore("review", { keyPath: "id" });
        db.createObjectStore("mine", { keyPath: "id" });
      }
    },
    syncUrl: "/api/v1/complaints/sync",
    syncTag: "koroena-complaints",
    lock: "koroena-complaints",
    channel: "koroena-complaints",
    batch: 1, // one complaint (and its photo) a request
    body: (group, items) => ({
      items: items.map((item) => ({
        id: item.id,
        kind: item.kind,
        created_at: item.created_at,
        payload: item.payload,
      })),
    }),
    // Nobody signs in here: nothing personal to forget at sign-out. The tickets stay.
    personal: { meta: [], stores: [] },
    settleStores: ["mine"],
    async onSettle(s, item, answer, accepted) {
      const mine = await Q.req(s.mine.get(item.id));
      if (!mine) return;
      mine.status = accepted ? "sent" : "review";
      if (answer.ticket) mine.ticket = answer.ticket;
      mine.code = accepted ? "" : answer.code || "";
      s.mine.put(mine);
    },
  });

  if (typeof document === "undefined") return; // the service worker: the queue is enough

  const C = root.KoroenaComplaints;
  const $ = (id) => document.getElementById(id);
  const MESSAGES = $("koroena-messages");
  const FORM_URL = "/api/v1/complaints/form";
  const CHALLENGE_STOCK = 3;
  const CHALLENGE_MARGIN_MS = 2 * 3600 * 1000; // one with less left is not kept
  const RETRY_MS = 30000;
  const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
  const LANGUAGE = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  const stamp = new Intl.DateTimeFormat(LANGUAGE, { dateStyle: "medium", timeStyle: "short" });
  let retryTimer = null;

  function text(key, values) {
    const node = MESSAGES && MESSAGES.content.querySelector(`[data-key="${key}"]`);
    let result = node ? node.textContent : key;
    for (const [name, value] of Object.entries(values || {})) {
      result = result.split(`{${name}}`).join(String(value));
    }
    return result;
  }

  function say(kind, message) {
    const alert = $("message-alert");
    const status = $("message-status");
    if (kind === "error") {
      status.textContent = "";
      alert.textContent = message;
    } else {
      alert.textContent = "";
      status.textContent = message;
    }
  }

  function make(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function isoLocal(date) {
    const pad = (n, width) => String(Math.abs(n)).padStart(width || 2, "0");
    const offset = -date.getTimezoneOffset();
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
      `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
      `${offset < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  }

  // --- the security questions ------------------------------------------------------------

  async function stock() {
    const now = Date.now();
    const kept = ((await C.getMeta("challenges")) || []).filter(
      (c) => Date.parse(c.expires_at) - now > CHALLENGE_MARGIN_MS
    );
    return kept;
  }

  async function fetchChallenge() {
    const response = await fetch(FORM_URL, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
      signal: Q.timeout(15000),
    });
    if (!response.ok) throw new Error(String(response.status));
    const data = await response.json();
    return data.challenge;
  }

  /** Keep a few questions on the phone while there is signal. */
  async function refill() {
    let kept = await stock();
    try {
      while (navigator.onLine && kept.length < CHALLENGE_STOCK) {
        kept.push(await fetchChallenge());
      }
    } catch {
      // No signal (or refused): what is kept is enough for now.
    }
    await C.setMeta("challenges", kept);
    showChallenge(kept[0] || null);
    return kept;
  }

  function showChallenge(challenge) {
    const question = $("complaint-question");
    const answer = $("complaint-answer");
    const missing = $("complaint-question-missing");
    question.textContent = challenge ? text("question", { question: challenge.question }) : "";
    answer.dataset.token = challenge ? challenge.token : "";
    answer.disabled = !challenge;
    answer.required = !!challenge;
    missing.hidden = !!challenge;
  }

  async function spendChallenge(token) {
    const kept = (await stock()).filter((c) => c.token !== token);
    await C.setMeta("challenges", kept);
    showChallenge(kept[0] || null);
  }

  // --- filing ------------------------------------------------------------------------------

  function readPhoto(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  function problem(control, message) {
    control.setAttribute("aria-invalid", "true");
    say("error", message);
    control.focus();
  }

  async function file(event) {
    event.preventDefault();
    const form = event.target;
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
    const value = (name) => form.elements[name].value.trim();
    const textBox = form.elements.text;
    const words = value("text");
    if (!value("region")) return problem(form.elements.region, text("region_required"));
    if (!value("category")) return problem(form.elements.category, text("category_required"));
    if (words.length < 20) return problem(textBox, text("text_short"));
    if (words.length > 4000) return problem(textBox, text("text_long"));
    const photoInput = form.elements.photo;
    const chosen = photoInput.files && photoInput.files[0];
    const limit = Number(photoInput.dataset.max || 2097152);
    if (chosen && chosen.size > limit) return problem(photoInput, text("photo_large"));
    if (chosen && !PHOTO_TYPES.includes(chosen.type)) return problem(photoInput, text("photo_type"));
    const answer = $("complaint-answer");
    if (answer.dataset.token && !answer.value.trim()) return problem(answer, text("answer_required"));
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      const id = crypto.randomUUID();
      const now = new Date();
      const payload = {
        region: value("region"),
        koperasi: value("koperasi"),
        category: value("category"),
        text: words,
        name: value("name"),
        phone: value("phone"),
        email: value("email"),
        website: form.elements.website.value,
        challenge: answer.dataset.token || "",
        answer: answer.value.trim(),
      };
      if (chosen) payload.photo = { name: chosen.name, type: chosen.type, data: await readPhoto(chosen) };
      const category = form.elements.category.selectedOptions[0].textContent;
      await C.run(["outbox", "mine"], "readwrite", (s) => {
        s.outbox.add({ id, kind: "complaint", created_at: isoLocal(now), payload });
        s.mine.put({ id, ticket: "", category, created_at: now.getTime(), status: "pending" });
      }, { durability: "strict" });
      if (payload.challenge) await spendChallenge(payload.challenge);
      form.reset();
      answer.value = "";
      say("status", text("queued"));
      await render();
      await C.registerSync();
      if (navigator.onLine) await flush();
    } catch (error) {
      say("error", text("save_failed", { error: String((error && error.message) || error) }));
    } finally {
      submit.disabled = false;
    }
  }

  // --- sending -------------------------------------------------------------------------------

  async function flush() {
    const summary = await C.flush();
    if (summary.state === "busy") return summary;
    // Where there is a BroadcastChannel the queue's own message reports it (to every tab).
    if (typeof BroadcastChannel !== "function") await report(summary);
    return summary;
  }

  async function report(summary) {
    const sent = (summary.answers || []).filter((a) => a.ticket && (a.status === "created" || a.status === "duplicate"));
    if (sent.length) say("status", text("sent", { ticket: sent.map((a) => a.ticket).join(", ") }));
    else if (summary.review) say("error", text("state_review", { count: summary.review }));
    else if (summary.state === "error" && summary.status === 429) say("error", text("state_limited"));
    else if (summary.state === "error") say("error", text("state_error", { status: summary.status }));
    await render();
    if (sent.length) refill();
  }

  function schedule(pending) {
    clearTimeout(retryTimer);
    if (pending > 0) retryTimer = setTimeout(() => flush().catch(() => {}), RETRY_MS);
  }

  // --- drawing ------------------------------------------------------------------------------

  async function render() {
    const pending = await C.pendingCount();
    $("complaint-pending").textContent = String(pending);
    $("complaint-send").hidden = pending === 0;
    schedule(pending);
    const mine = await C.run("mine", "readonly", (s) => Q.req(s.mine.getAll()));
    mine.sort((a, b) => b.created_at - a.created_at);
    const list = $("complaint-mine");
    list.replaceChildren();
    for (const entry of mine) {
      const when = stamp.format(new Date(entry.created_at));
      const state = entry.status === "sent" ? "" : text(`mine_${entry.status}`);
      const label = entry.ticket
        ? make("a", { href: `/pengaduan/${entry.ticket}`, text: entry.ticket, class: "complaint-ticket" })
        : make("span", { text: text("no_ticket_yet") });
      list.append(
        make("li", { "data-status": entry.status },
          label,
          make("span", { text: ` · ${entry.category} · ${when}` }),
          state ? make("span", { class: "tag", text: state }) : null)
      );
    }
    $("complaint-mine-section").hidden = mine.length === 0;
    await renderReview();
  }

  async function renderReview() {
    const items = await C.reviewItems();
    const list = $("complaint-review");
    list.replaceChildren();
    $("complaint-review-section").hidden = items.length === 0;
    for (const entry of items) {
      const fixable = (entry.code || "").startsWith("challenge_");
      const heading = `${entry.item.payload.text.slice(0, 60)}…`;
      const children = [
        make("p", { text: heading }),
        make("p", { class: "error-box", text: entry.message || entry.code }),
      ];
      if (fixable) {
        const answerId = `review-answer-${entry.id}`;
        const questionId = `review-question-${entry.id}`;
        children.push(
          make("p", { id: questionId, class: "hint", text: text("review_fetching") }),
          make("div", { class: "field" },
            make("label", { for: answerId, text: text("answer_label") }),
            make("input", { id: answerId, inputmode: "numeric", autocomplete: "off", "aria-describedby": questionId })),
          make("button", { type: "button", class: "button", "data-resend": entry.id, text: text("resend") })
        );
      }
      children.push(
        make("button", { type: "button", class: "button button-secondary", "data-dismiss": entry.id,
          "aria-label": text("dismiss_label", { text: heading }), text: text("dismiss") })
      );
      list.append(make("li", { "data-review": entry.id }, ...children));
      if (fixable) askAgain(entry.id);
    }
  }

  /** A new question for a complaint the server refused for its question. */
  async function askAgain(id) {
    const question = $(`review-question-${id}`);
    const button = document.querySelector(`[data-resend="${CSS.escape(id)}"]`);
    try {
      const kept = await stock();
      const challenge = kept.length ? kept[0] : await fetchChallenge();
      question.textContent = text("question", { question: challenge.question });
      button.dataset.token = challenge.token;
      button.disabled = false;
    } catch {
      question.textContent = text("review_offline");
      button.disabled = true;
    }
  }

  async function resend(id, button) {
    const answer = $(`review-answer-${id}`);
    if (!answer.value.trim()) {
      answer.setAttribute("aria-invalid", "true");
      say("error", text("answer_required"));
      answer.focus();
      return;
    }
    const token = button.dataset.token;
    await C.run(["outbox", "review", "mine"], "readwrite", async (s) => {
      const entry = await Q.req(s.review.get(id));
      if (!entry) return;
      const item = entry.item;
      delete item.n;
      item.payload = Object.assign({}, item.payload, { challenge: token, answer: answer.value.trim() });
      s.outbox.add(item);
      s.review.delete(id);
      const mine = await Q.req(s.mine.get(id));
      if (mine) {
        mine.status = "pending";
        s.mine.put(mine);
      }
    }, { durability: "strict" });
    await spendChallenge(token);
    say("status", text("queued"));
    await render();
    await C.registerSync();
    if (navigator.onLine) await flush();
  }

  async function dismiss(id, label) {
    if (!window.confirm(text("confirm_dismiss", { text: label }))) return;
    await C.run(["review", "mine"], "readwrite", (s) => {
      s.review.delete(id);
      s.mine.delete(id);
    });
    await render();
  }

  // --- the form: koperasi of the chosen region ---------------------------------------------

  function filterKoperasi() {
    const region = $("complaint-region").value;
    const select = $("complaint-koperasi");
    for (const option of select.options) {
      if (!option.dataset.region) continue;
      option.hidden = option.dataset.region !== region;
      option.disabled = option.hidden;
      if (option.hidden && option.selected) select.value = "";
    }
  }

  async function start() {
    if (!("indexedDB" in self) || !Q) {
      say("error", text("storage_unsupported"));
      return;
    }
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    $("complaint-form").addEventListener("submit", (event) => {
      file(event).catch((error) => say("error", String(error)));
    });
    $("complaint-region").addEventListener("change", filterKoperasi);
    filterKoperasi();
    $("complaint-send").addEventListener("click", () => {
      if (!navigator.onLine) say("error", text("state_offline"));
      flush().catch(() => {});
    });
    $("complaint-review").addEventListener("click", (event) => {
      const resendButton = event.target.closest("[data-resend]");
      if (resendButton) resend(resendButton.dataset.resend, resendButton).catch((e) => say("error", String(e)));
      const dismissButton = event.target.closest("[data-dismiss]");
      if (dismissButton) dismiss(dismissButton.dataset.dismiss, dismissButton.getAttribute("aria-label"));
    });
    if (typeof BroadcastChannel === "function") {
      const channel = new BroadcastChannel(C.CHANNEL);
      channel.onmessage = (event) => {
        if (event.data && event.data.type === "flushed") report(event.data.summary);
      };
    }
    window.addEventListener("online", () => { refill(); flush().catch(() => {}); });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && navigator.onLine) flush().catch(() => {});
    });
    showChallenge((await stock())[0] || null);
    await render();
    document.documentElement.dataset.complaintsReady = "true";
    refill();
    if (navigator.onLine) flush().catch(() => {});
  }

  start();
})(self);
