/* The till (/kasir): register the phone once, open a shift, sell (search or scan, cart,
 * member, line discounts, tunai/QRIS/transfer/kredit), receipts (print 58 mm, share,
 * history), close the shift — with or without signal. "Bayar" writes the sale to
 * IndexedDB first, in one transaction with the device's receipt sequence, and shows the
 * receipt at once; the outbox (outbox.js) sends it later, exactly once.
 * Every text comes from the page (<template id="koroena-messages">). */
(function () {
  "use strict";

  const O = self.KoroenaOutbox;
  const QRIS = self.KoroenaQris;
  const QR = self.KoroenaQr;
  const $ = (id) => document.getElementById(id);
  const MESSAGES = $("koroena-messages");
  const LANGUAGE = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  const SCREENS = ["screen-loading", "screen-signin", "screen-role", "screen-register",
    "screen-shift-open", "screen-sell", "screen-qris", "screen-receipt", "screen-close",
    "screen-report"];
  const WORK_SCREENS = new Set(["screen-sell", "screen-receipt", "screen-close",
    "screen-report", "screen-shift-open", "screen-qris"]);
  const TILL_ROLES = new Set(["kasir", "pengurus"]);
  const MEMBERS_MAX_AGE_MS = 6 * 3600 * 1000;
  const RETRY_MS = 30000;
  const HISTORY_SHOWN = 50;
  const HISTORY_KEEP_MS = 60 * 24 * 3600 * 1000;

  const state = {
    identity: null,
    reach: "offline", // online | auth | offline | error: what GET /api/v1/me said
    device: null,
    shift: null,
    catalog: null,
    byId: new Map(),
    byCode: new Map(),
    members: [],
    pendingQty: new Map(),
    cart: [], // {product_id, quantity, discount}
    member: null, // {number, name}
    shown: null, // the sale on the receipt screen
    saving: false,
    syncState: "ok",
    catalogAt: 0,
  };

  function text(key, values) {
    const node = MESSAGES && MESSAGES.content.querySelector(`[data-key="${key}"]`);
    let result = node ? node.textContent : key;
    for (const [name, value] of Object.entries(values || {})) {
      result = result.split(`{${name}}`).join(String(value));
    }
    return result;
  }

  function rupiah(amount) {
    const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (amount < 0 ? "-" : "") + "Rp " + digits;
  }

  /** Whole rupiah from what was typed ("1.500.000", "1500000"); null when empty. */
  function parseAmount(value) {
    const digits = String(value || "").replace(/[^0-9]/g, "").slice(0, 13);
    return digits ? Number(digits) : null;
  }

  const dateFormat = new Intl.DateTimeFormat(LANGUAGE, { dateStyle: "medium", timeStyle: "short" });
  const when = (ms) => dateFormat.format(new Date(ms));

  /** ISO 8601 with the phone's own offset: 2026-11-29T14:05:03.123+07:00. */
  function isoLocal(date) {
    const pad = (n, width) => String(Math.abs(n)).padStart(width || 2, "0");
    const offset = -date.getTimezoneOffset();
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
      `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
      `.${pad(date.getMilliseconds(), 3)}${offset < 0 ? "-" : "+"}` +
      `${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  }

  function make(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  }

  // --- messages and screens ------------------------------------------------------------

  function clearMessages() {
    for (const box of document.querySelectorAll(".message")) box.textContent = "";
  }

  function showError(message) {
    clearMessages();
    $("message-alert").textContent = message;
    $("message-alert").scrollIntoView({ block: "nearest" });
  }

  function showStatus(message) {
    clearMessages();
    $("message-status").textContent = message;
  }

  function show(screen, focus) {
    for (const id of SCREENS) $(id).hidden = id !== screen;
    $("pos-tools").hidden = !WORK_SCREENS.has(screen) || !state.device;
    $("history-section").hidden = !state.device;
    $("tool-close").hidden = !state.shift;
    if (focus) $(`${screen}-heading`).focus();
  }

  // --- the server ----------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.message || text("failed"));
      this.status = status;
      this.code = error.code || "";
    }
  }

  async function api(method, path, body) {
    const send = (token) => fetch(path, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      headers: Object.assign(
        { Accept: "application/json" },
        body === undefined ? {} : { "Content-Type": "application/json" },
        token ? { "X-CSRF-Token": token } : {}
      ),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let response = await send(method === "GET" ? "" : (await O.getMeta("csrf")) || "");
    let data = await response.json().catch(() => null);
    if (response.status === 403 && data && data.error && data.error.code === "csrf_failed") {
      const fresh = await O.refreshToken();
      if (fresh.state === "ok") {
        response = await send(fresh.token);
        data = await response.json().catch(() => null);
      }
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  const explain = (error) => (error instanceof ApiError ? error.message : text("network"));

  /** Who is signed in: asked when there is signal, else the copy kept in IndexedDB. */
  async function loadIdentity() {
    const cached = await O.getMeta("identity");
    let response;
    try {
      response = await fetch("/api/v1/me",
        { credentials: "same-origin", cache: "no-store", signal: O.timeout(8000) });
    } catch {
      return { identity: cached, reach: "offline" };
    }
    if (response.status === 401) return { identity: cached, reach: "auth" };
    const me = await response.json().catch(() => null);
    if (!response.ok || !me) return { identity: cached, reach: "error" };
    const active = me.active || {};
    const identity = {
      user_id: me.user_id,
      display_name: me.display_name,
      role: active.role || null,
      koperasi_id: active.koperasi_id || null,
      koperasi_name: active.koperasi_name || "",
      koperasi_slug: active.koperasi_slug || "",
    };
    await O.run("meta", "readwrite", (s) => {
      s.meta.put(identity, "identity");
      s.meta.put(me.csrf_token, "csrf");
    });
    return { identity, reach: "online" };
  }

  /** GET /api/v1/catalog/pos-snapshot, as kept on the phone. */
  function normalizeCatalog(data, koperasiId) {
    const settings = data.settings || {};
    return {
      koperasi_id: koperasiId,
      version: data.version || null,
      outlet: data.outlet || null,
      products: (data.products || []).map((p) => ({
        id: p.id,
        sku: p.sku || "",
        barcode: p.barcode || "",
        name: p.name,
        category: p.category || "",
        unit: p.unit || "",
        price: p.price,
        member_price: p.member_price ?? null,
        track_stock: !!p.track_stock,
        stock: p.track_stock ? p.stock : null,
      })),
      max_discount_percent: Number(settings.max_discount_percent || 0),
      qris_payload: settings.qris_payload || "",
      fetched_at: Date.now(),
    };
  }

  async function loadCatalog() {
    const outlet = state.device && state.device.koperasi_id === state.identity.koperasi_id
      ? `?outlet=${encodeURIComponent(state.device.outlet_code)}` : "";
    const data = await api("GET", `/api/v1/catalog/pos-snapshot${outlet}`);
    const catalog = normalizeCatalog(data, state.identity.koperasi_id);
    await O.setMeta("catalog", catalog);
    state.catalog = catalog;
    state.catalogAt = Date.now();
    indexCatalog();
  }

  async function loadMembers() {
    const list = [];
    for (let offset = 0; offset < 200000; offset += 100) {
      const page = await api("GET", `/api/v1/members?limit=100&offset=${offset}`);
      for (const m of page) {
        if (m.status !== "keluar") list.push([m.member_number, m.full_name]);
      }
      if (page.length < 100) break;
    }
    const members = { koperasi_id: state.identity.koperasi_id, list, fetched_at: Date.now() };
    await O.setMeta("members", members);
    state.members = list;
  }

  function indexCatalog() {
    state.byId = new Map();
    state.byCode = new Map();
    for (const p of (state.catalog && state.catalog.products) || []) {
      p.key = `${p.name} ${p.sku} ${p.barcode} ${p.category}`.toLowerCase();
      state.byId.set(p.id, p);
      if (p.barcode) state.byCode.set(p.barcode, p);
      if (p.sku) state.byCode.set(p.sku.toUpperCase(), p);
    }
  }

  // --- the sync status -------------------------------------------------------------------

  let statusRun = 0;

  /** The status panel, the review list and the history from IndexedDB (only the latest of
   * overlapping calls draws). */
  async function refreshStatus() {
    const run = ++statusRun;
    const [items, review, sync, sales] = await Promise.all([
      O.outboxItems(), O.reviewItems(), O.getMeta("sync"), recentSales(),
    ]);
    if (run !== statusRun) return;
    state.pendingQty = new Map();
    for (const item of items) {
      if (item.kind !== "sale") continue;
      for (const line of item.payload.lines) {
        state.pendingQty.set(line.product_id,
          (state.pendingQty.get(line.product_id) || 0) + line.quantity);
      }
    }
    $("pos-sync").hidden = false;
    $("sync-pending").textContent = String(items.length);
    $("sync-last").textContent = sync && sync.ok ? when(sync.ok) : text("never_synced");
    const current = (sync && sync.state) || "ok";
    state.syncState = current;
    let message = "";
    if (items.length && current !== "ok") {
      message = text(`state_${current}`, { status: (sync && sync.status) || "" });
    } else if (!items.length) {
      message = text("pending_none");
    }
    if (review.length) message += " " + text("state_review", { count: review.length });
    $("sync-state").textContent = message.trim();
    $("sync-signin").hidden = !(items.length && current === "auth");
    renderReview(review);
    renderHistory(sales);
  }

  function renderReview(review) {
    $("review-section").hidden = review.length === 0;
    const list = $("review");
    list.replaceChildren();
    review.sort((a, b) => a.at - b.at);
    for (const entry of review) {
      const payload = entry.item.payload || {};
      const what = entry.kind === "sale"
        ? text("review_sale", { receipt: payload.receipt_number, total: rupiah(payload.total || 0) })
        : text(entry.kind === "shift_open" ? "review_shift_open" : "review_shift_close");
      list.append(make("li", { class: "pos-review-item" },
        make("p", { class: "pos-review-what" }, make("strong", { text: what })),
        make("p", { class: "pos-review-reason", text: entry.message }),
        make("p", { class: "hint", text: `${entry.status} · ${entry.code}` }),
        make("button", {
          type: "button",
          class: "button button-danger",
          text: text("dismiss"),
          "aria-label": text("review_dismiss", { what }),
          onclick: () => dismissReview(entry.id),
        })
      ));
    }
  }

  async function dismissReview(id) {
    if (!window.confirm(text("confirm_dismiss"))) return;
    await O.run("review", "readwrite", (s) => { s.review.delete(id); });
    await refreshStatus();
  }

  function recentSales() {
    return O.run("sales", "readonly", (s) => new Promise((resolve, reject) => {
      const found = [];
      const cursor = s.sales.index("t").openCursor(null, "prev");
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at || found.length >= HISTORY_SHOWN) {
          resolve(found);
          return;
        }
        found.push(at.value);
        at.continue();
      };
    }));
  }

  function renderHistory(sales) {
    const list = $("history");
    list.replaceChildren();
    if (!sales.length) list.append(make("li", { class: "muted", text: text("history_empty") }));
    for (const sale of sales) {
      list.append(make("li", { class: "pos-history-item" },
        make("button", {
          type: "button",
          class: "pos-link",
          text: sale.receipt_number,
          "aria-label": text("view_receipt", { receipt: sale.receipt_number }),
          onclick: () => showReceipt(sale, true),
        }),
        make("span", { text: ` ${when(sale.t)} · ${rupiah(sale.total)} · ` }),
        make("span", { class: `pos-status pos-status-${sale.status}`, text: statusText(sale) })
      ));
    }
  }

  function statusText(sale) {
    if (sale.status === "synced") {
      const parts = [text(sale.late ? "status_late" : "status_synced")];
      if (sale.oversold) parts.push(text("status_oversold"));
      return parts.join(", ");
    }
    return text(sale.status === "review" ? "status_review" : "status_pending");
  }

  /** One more item queued: shown at once (refreshStatus reads the outbox again later). */
  function bumpPending() {
    const shown = Number($("sync-pending").textContent);
    $("sync-pending").textContent = String((Number.isFinite(shown) ? shown : 0) + 1);
  }

  // --- sending ---------------------------------------------------------------------------

  let retryTimer = null;

  async function flush(wait) {
    if (!state.device) return null;
    const summary = await O.flush({ wait: !!wait });
    if (summary.state === "busy") {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => flush(false), 2000);
      return summary;
    }
    await refreshStatus();
    // Fresher stock after sales went in (at most once a minute); at once after a refusal
    // (a price may have changed).
    const stale = Date.now() - state.catalogAt > 60000;
    if (state.reach === "online" && (summary.review || (summary.done && stale))) {
      loadCatalog().then(() => { renderResults(); renderCart(); }, () => {});
    }
    return summary;
  }

  /** The signal is back: who is signed in (the session may have ended meanwhile), fresh
   * data, then send. */
  async function reconnect() {
    try {
      const { identity, reach } = await loadIdentity();
      state.reach = reach;
      if (identity) state.identity = identity;
      renderWho();
      refreshData(false).catch(() => {});
    } finally {
      flush(false);
    }
  }

  function wireTriggers() {
    window.addEventListener("online", reconnect);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") flush(false);
    });
    setInterval(async () => {
      if ((await O.pendingCount()) > 0) flush(false);
    }, RETRY_MS);
    if (typeof BroadcastChannel === "function") {
      new BroadcastChannel(O.CHANNEL).onmessage = () => { refreshStatus(); };
    }
    $("sync-now").addEventListener("click", async () => {
      const summary = await flush(true);
      if (summary && summary.state === "ok") showStatus(text("state_sent", { count: summary.done }));
    });
  }

  // --- register, shifts ------------------------------------------------------------------

  async function showRegister() {
    show("screen-register");
    const select = $("register-outlet");
    if (select.options.length) return;
    try {
      const profile = await api("GET",
        `/api/v1/koperasi/${encodeURIComponent(state.identity.koperasi_slug)}`);
      for (const outlet of profile.outlets || []) {
        select.append(make("option", { value: outlet.code, text: `${outlet.code} · ${outlet.name}` }));
      }
    } catch (error) {
      showError(explain(error));
    }
  }

  async function register(event) {
    event.preventDefault();
    if (state.device && (await O.pendingCount()) > 0) {
      showError(text("other_koperasi"));
      return;
    }
    const button = event.target.querySelector("button");
    button.disabled = true;
    try {
      const answer = await api("POST", "/api/v1/pos/devices", {
        outlet_code: $("register-outlet").value,
        name: $("register-name").value.trim(),
      });
      const device = {
        code: answer.code,
        name: answer.name,
        outlet_code: answer.outlet_code,
        outlet_name: answer.outlet_name,
        koperasi_id: state.identity.koperasi_id,
        koperasi_name: state.identity.koperasi_name,
        next_seq: 1,
        registered_at: Date.now(),
      };
      await O.run("meta", "readwrite", (s) => {
        s.meta.put(device, "device");
        s.meta.delete("shift");
      }, { durability: "strict" });
      state.device = device;
      state.shift = null;
      showStatus(text("registered", { device: device.code }));
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
      await refreshStatus();
      renderWho();
      route(true);
      refreshData(false).catch(() => {}); // the stock of this outlet
    } catch (error) {
      showError(explain(error));
    } finally {
      button.disabled = false;
    }
  }

  async function openShift(event) {
    event.preventDefault();
    const opening = parseAmount($("opening-cash").value) || 0;
    const now = new Date();
    const shift = { id: crypto.randomUUID(), opening_cash: opening, opened_at: isoLocal(now),
      t: now.getTime() };
    await O.run(["meta", "outbox"], "readwrite", (s) => {
      s.meta.put(shift, "shift");
      s.outbox.add({ id: shift.id, kind: "shift_open", created_at: shift.opened_at,
        device: state.device.code,
        payload: { opening_cash: opening, opened_at: shift.opened_at } });
    }, { durability: "strict" });
    state.shift = shift;
    bumpPending();
    $("opening-cash").value = "";
    showStatus(text("shift_opened"));
    route(true);
    await refreshStatus();
    O.registerSync();
    flush(false);
  }

  /** The shift's figures from the sales kept on this phone. */
  async function localReport(shift, counted) {
    const sales = await O.run("sales", "readonly", (s) => O.req(s.sales.getAll()));
    const mine = sales.filter((sale) => sale.shift_id === shift.id);
    const methods = new Map();
    for (const sale of mine) {
      const m = methods.get(sale.method) || { method: sale.method, count: 0, total: 0 };
      m.count += 1;
      m.total += sale.total;
      methods.set(sale.method, m);
    }
    const cash = methods.has("tunai") ? methods.get("tunai").total : 0;
    const expected = shift.opening_cash + cash;
    return {
      opening_cash: shift.opening_cash,
      sales_count: mine.length,
      sales_total: mine.reduce((sum, sale) => sum + sale.total, 0),
      discounts: mine.reduce((sum, sale) => sum + sale.discount, 0),
      by_method: [...methods.values()],
      expected_cash: expected,
      counted_cash: counted,
      difference: counted === null ? null : counted - expected,
      late_count: 0,
      late_total: 0,
    };
  }

  async function showClose() {
    const report = await localReport(state.shift, null);
    $("close-summary").textContent = text("shift_summary",
      { time: when(state.shift.t), cash: rupiah(state.shift.opening_cash) });
    $("close-expected").textContent = rupiah(report.expected_cash);
    show("screen-close", true);
  }

  async function closeShift(event) {
    event.preventDefault();
    const counted = parseAmount($("counted-cash").value) || 0;
    if (!window.confirm(text("confirm_close", { cash: rupiah(counted) }))) return;
    const shift = state.shift;
    const closedAt = isoLocal(new Date());
    const local = await localReport(shift, counted);
    const closed = Object.assign({}, shift, { closed_at: closedAt, counted_cash: counted, local });
    await O.run(["meta", "outbox"], "readwrite", (s) => {
      s.outbox.add({ id: crypto.randomUUID(), kind: "shift_close", created_at: closedAt,
        device: state.device.code,
        payload: { shift_id: shift.id, counted_cash: counted, closed_at: closedAt } });
      s.meta.delete("shift");
      s.meta.put(closed, "last_shift");
    }, { durability: "strict" });
    state.shift = null;
    bumpPending();
    $("counted-cash").value = "";
    renderReport(local, false);
    show("screen-report", true);
    await refreshStatus();
    O.registerSync();
    const summary = await flush(true);
    if (summary && summary.state === "ok" && summary.pending === 0) {
      try {
        renderReport(await api("GET", `/api/v1/pos/shifts/${encodeURIComponent(shift.id)}`), true);
      } catch {
        // keep the local report on the screen
      }
    }
  }

  function renderReport(report, fromServer) {
    $("report-source").textContent = text(fromServer ? "report_server" : "report_local");
    $("report-source").className = fromServer ? "status-box" : "error-box";
    const rows = [
      [text("report_opening"), rupiah(report.opening_cash)],
      [text("report_sales", { count: report.sales_count }), rupiah(report.sales_total)],
      [text("report_discounts"), rupiah(report.discounts || 0)],
      [text("report_expected"), rupiah(report.expected_cash)],
      [text("report_counted"), report.counted_cash === null ? "—" : rupiah(report.counted_cash)],
      [text("report_difference"), report.difference === null ? "—" : rupiah(report.difference)],
    ];
    if (report.late_count) {
      rows.push([text("report_late", { count: report.late_count }), rupiah(report.late_total)]);
    }
    $("report").replaceChildren(...rows.map(([label, value]) =>
      make("div", null, make("dt", { text: label }), make("dd", { text: value }))));
    $("report-methods").replaceChildren(...(report.by_method || []).map((m) =>
      make("li", { text: `${text(`method_${m.method}`)}: ${m.count} · ${rupiah(m.total)}` })));
  }

  // --- selling ---------------------------------------------------------------------------

  const unitPrice = (p) =>
    state.member && p.member_price !== null && p.member_price !== undefined
      ? p.member_price : p.price;

  function maxDiscount(p, quantity) {
    const percent = (state.catalog && state.catalog.max_discount_percent) || 0;
    return Math.floor((unitPrice(p) * quantity * Math.min(percent, 100)) / 100);
  }

  function cartLines() {
    const lines = [];
    for (const line of state.cart) {
      const p = state.byId.get(line.product_id);
      if (!p) continue;
      const price = unitPrice(p);
      const discount = Math.min(line.discount, maxDiscount(p, line.quantity));
      lines.push({ product: p, product_id: p.id, quantity: line.quantity, unit_price: price,
        discount, line_total: price * line.quantity - discount });
    }
    return lines;
  }

  function totals() {
    const lines = cartLines();
    const subtotal = lines.reduce((sum, l) => sum + l.unit_price * l.quantity, 0);
    const discount = lines.reduce((sum, l) => sum + l.discount, 0);
    return { lines, subtotal, discount, total: subtotal - discount };
  }

  function stockOf(p) {
    if (!p.track_stock || p.stock === null) return null;
    return p.stock - (state.pendingQty.get(p.id) || 0);
  }

  function findByCode(code) {
    const clean = code.replace(/\s+/g, "");
    return state.byCode.get(clean) || state.byCode.get(clean.toUpperCase()) ||
      (/^\d{12}$/.test(clean) ? state.byCode.get("0" + clean) : undefined);
  }

  /** Products with every word typed; names that start with it first, then by name. */
  function searchProducts(term) {
    const phrase = term.trim().toLowerCase();
    const words = phrase.split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    const found = [];
    for (const p of state.byId.values()) {
      if (words.every((w) => p.key.includes(w))) {
        const name = p.name.toLowerCase();
        found.push([name.startsWith(phrase) ? 0 : name.includes(phrase) ? 1 : 2, name, p]);
      }
    }
    found.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    return found.slice(0, 20).map((entry) => entry[2]);
  }

  function renderResults() {
    const list = $("search-results");
    const term = $("search").value;
    const found = searchProducts(term);
    list.replaceChildren(...found.map((p) => {
      const stock = stockOf(p);
      const stockText = stock === null ? "" : stock > 0
        ? text("stock", { count: stock }) : text("stock_out");
      const label = [text("add_item", { name: p.name }), rupiah(unitPrice(p)), stockText];
      return make("li", null, make("button", {
        type: "button",
        class: "pos-result",
        "aria-label": label.filter(Boolean).join(", "),
        onclick: () => { addToCart(p); $("search").value = ""; renderResults(); $("search").focus(); },
      },
      make("span", { class: "pos-result-name", text: p.name }),
      make("span", { class: "pos-result-price", text: rupiah(unitPrice(p)) }),
      stockText ? make("span", { class: stock > 0 ? "hint" : "hint pos-warn", text: stockText }) : null
      ));
    }));
    if (term.trim() && !found.length) {
      list.append(make("li", { class: "muted", text: text("no_results") }));
    }
  }

  function addToCart(p, quantity) {
    const line = state.cart.find((l) => l.product_id === p.id);
    if (line) line.quantity += quantity || 1;
    else state.cart.push({ product_id: p.id, quantity: quantity || 1, discount: 0 });
    clearMessages();
    renderCart();
  }

  function setQuantity(id, quantity) {
    const line = state.cart.find((l) => l.product_id === id);
    if (!line) return;
    if (quantity <= 0) state.cart = state.cart.filter((l) => l !== line);
    else line.quantity = Math.min(quantity, 100000);
    renderCart();
  }

  function renderCart() {
    const { lines } = totals();
    const percent = (state.catalog && state.catalog.max_discount_percent) || 0;
    $("cart-empty").hidden = lines.length > 0;
    $("cart").replaceChildren(...lines.map((line) => {
      const p = line.product;
      const id = `qty-${p.id}`;
      const discountId = `disc-${p.id}`;
      const max = maxDiscount(p, line.quantity);
      return make("li", { class: "pos-line" },
        make("div", { class: "pos-line-head" },
          make("p", { class: "pos-line-name" }, make("strong", { text: p.name }),
            make("span", { class: "hint", text: ` ${rupiah(line.unit_price)} / ${p.unit}` }),
            state.member && p.member_price !== null
              ? make("span", { class: "tag", text: text("member_price") }) : null),
          make("strong", { class: "pos-line-total", text: rupiah(line.line_total) })),
        make("div", { class: "pos-line-row" },
          make("button", { type: "button", class: "button button-secondary pos-step",
            "aria-label": text("less_of", { name: p.name }),
            onclick: () => setQuantity(p.id, line.quantity - 1) }, "−"),
          make("input", { id, type: "number", inputmode: "numeric", min: "0", max: "100000",
            class: "pos-qty", value: line.quantity, "aria-label": text("quantity_of", { name: p.name }),
            onchange: (event) => setQuantity(p.id, Math.floor(Number(event.target.value) || 0)) }),
          make("button", { type: "button", class: "button button-secondary pos-step",
            "aria-label": text("more_of", { name: p.name }),
            onclick: () => setQuantity(p.id, line.quantity + 1) }, "+"),
          make("button", { type: "button", class: "button button-danger pos-step",
            "aria-label": text("remove_of", { name: p.name }),
            onclick: () => setQuantity(p.id, 0) }, "×")),
        percent > 0 ? make("div", { class: "pos-line-discount" },
          make("input", { id: discountId, type: "text", inputmode: "numeric", class: "pos-amount",
            value: line.discount || "", placeholder: "0",
            "aria-label": text("discount_of", { name: p.name, max: rupiah(max) }),
            oninput: (event) => {
              const entry = state.cart.find((l) => l.product_id === p.id);
              entry.discount = Math.min(parseAmount(event.target.value) || 0, max);
              renderTotals();
            },
            onchange: () => renderCart() })) : null
      );
    }));
    renderTotals();
  }

  function renderTotals() {
    const t = totals();
    $("subtotal").textContent = rupiah(t.subtotal);
    $("discount").textContent = rupiah(t.discount);
    $("total").textContent = rupiah(t.total);
    for (const line of t.lines) {
      const row = $(`qty-${line.product_id}`);
      const total = row && row.closest(".pos-line").querySelector(".pos-line-total");
      if (total) total.textContent = rupiah(line.line_total);
    }
    renderPayment(t.total);
  }

  const method = () => document.querySelector('input[name="method"]:checked').value;

  function renderPayment(total) {
    const m = method();
    $("pay-cash").hidden = m !== "tunai";
    const given = parseAmount($("cash-given").value);
    $("change").textContent = rupiah(given !== null && given >= total ? given - total : 0);
    const quick = $("cash-quick");
    const amounts = [];
    for (const step of [1000, 5000, 10000, 20000, 50000, 100000]) {
      const amount = Math.ceil(total / step) * step;
      if (amount > total && !amounts.includes(amount) && amounts.length < 3) amounts.push(amount);
    }
    quick.replaceChildren(
      make("button", { type: "button", class: "button button-secondary",
        onclick: () => { $("cash-given").value = ""; renderTotals(); } }, text("exact")),
      ...amounts.map((amount) => make("button", { type: "button", class: "button button-secondary",
        onclick: () => { $("cash-given").value = String(amount); renderTotals(); } }, rupiah(amount)))
    );
    $("pay-hint").textContent = "";
  }

  function problem() {
    const t = totals();
    if (!t.lines.length) return text("cart_empty");
    const m = method();
    if (m === "kredit" && !state.member) return text("need_member");
    if (m === "tunai") {
      const given = parseAmount($("cash-given").value);
      if (given !== null && given < t.total) return text("cash_short");
    }
    if (m === "qris" && (!state.catalog.qris_payload || !QRIS.valid(state.catalog.qris_payload) ||
        t.total <= 0)) {
      return text("qris_missing");
    }
    return null;
  }

  function pay() {
    const started = performance.now();
    const trouble = problem();
    if (trouble) {
      $("pay-hint").textContent = trouble;
      return;
    }
    if (method() === "qris") {
      showQris(totals().total);
      return;
    }
    commitSale(started);
  }

  function showQris(amount) {
    const payload = QRIS.withAmount(state.catalog.qris_payload, amount);
    const qr = QR.encode(payload);
    const size = qr.size + 8;
    const svgNs = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(svgNs, "svg");
    svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", text("qris_label", { amount: rupiah(amount) }));
    svg.setAttribute("shape-rendering", "crispEdges");
    const back = document.createElementNS(svgNs, "rect");
    back.setAttribute("width", String(size));
    back.setAttribute("height", String(size));
    back.setAttribute("fill", "#fff");
    const path = document.createElementNS(svgNs, "path");
    path.setAttribute("d", QR.pathData(qr, 4));
    path.setAttribute("fill", "#000");
    svg.append(back, path);
    $("qris-code").replaceChildren(svg);
    $("qris-code").dataset.payload = payload;
    $("qris-amount").textContent = rupiah(amount);
    show("screen-qris", true);
  }

  async function commitSale(started) {
    if (state.saving) return;
    state.saving = true;
    $("pay").disabled = true;
    $("qris-paid").disabled = true;
    showStatus(text("saving"));
    const t = totals();
    const m = method();
    const given = m === "tunai" ? parseAmount($("cash-given").value) : null;
    const now = new Date();
    const soldAt = isoLocal(now);
    const id = crypto.randomUUID();
    const member = state.member;
    const shift = state.shift;
    const identity = state.identity;
    try {
      const sale = await O.run(["meta", "outbox", "sales"], "readwrite", async (s) => {
        const device = await O.req(s.meta.get("device"));
        const seq = device.next_seq;
        device.next_seq = seq + 1;
        s.meta.put(device, "device");
        const receipt = `${device.code}-${String(seq).padStart(6, "0")}`;
        const payload = {
          receipt_number: receipt,
          device_seq: seq,
          sold_at: soldAt,
          shift_id: shift ? shift.id : null,
          member_number: member ? member.number : null,
          method: m,
          cash_given: given,
          lines: t.lines.map((l) => ({ product_id: l.product_id, quantity: l.quantity,
            unit_price: l.unit_price, discount: l.discount })),
          total: t.total,
        };
        s.outbox.add({ id, kind: "sale", created_at: soldAt, device: device.code, payload });
        const record = {
          id,
          t: now.getTime(),
          receipt_number: receipt,
          device_seq: seq,
          device: device.code,
          sold_at: soldAt,
          shift_id: payload.shift_id,
          member,
          method: m,
          cash_given: given,
          change: given === null ? 0 : given - t.total,
          lines: t.lines.map((l) => ({ product_id: l.product_id, name: l.product.name,
            unit: l.product.unit, quantity: l.quantity, unit_price: l.unit_price,
            discount: l.discount, line_total: l.line_total })),
          subtotal: t.subtotal,
          discount: t.discount,
          total: t.total,
          cashier: identity ? identity.display_name : "",
          koperasi: device.koperasi_name,
          outlet: device.outlet_name,
          status: "pending",
        };
        s.sales.put(record);
        return record;
      }, { durability: "strict" });
      performance.measure("koroena-sale-durable", { start: started, end: performance.now() });
      state.device.next_seq = sale.device_seq + 1;
      bumpPending();
      state.cart = [];
      setMember(null);
      $("cash-given").value = "";
      document.getElementById("method-tunai").checked = true;
      renderCart();
      showReceipt(sale, false);
      showStatus(text("saved", { receipt: sale.receipt_number }));
      refreshStatus();
      O.registerSync();
      flush(false);
    } catch (error) {
      showError(text("save_failed", { error: (error && error.message) || "" }));
      show("screen-sell");
    } finally {
      state.saving = false;
      $("pay").disabled = false;
      $("qris-paid").disabled = false;
    }
  }

  // --- members ---------------------------------------------------------------------------

  function setMember(member) {
    state.member = member;
    $("member-picked").hidden = !member;
    $("member-search").hidden = !!member;
    $("member-chosen").textContent = member ? `${member.number} · ${member.name}` : "";
    $("member").value = "";
    $("member-results").replaceChildren();
  }

  function renderMembers() {
    const term = $("member").value.trim().toLowerCase();
    const list = $("member-results");
    if (!term) {
      list.replaceChildren();
      return;
    }
    if (!state.members.length) {
      list.replaceChildren(make("li", { class: "muted", text: text("members_missing") }));
      return;
    }
    const found = state.members.filter(([number, name]) =>
      number.toLowerCase().startsWith(term) || name.toLowerCase().includes(term)).slice(0, 8);
    list.replaceChildren(...found.map(([number, name]) => make("li", null,
      make("button", { type: "button", class: "pos-result",
        "aria-label": text("choose_member", { number, name }),
        onclick: () => { setMember({ number, name }); renderCart(); } },
      make("span", { class: "pos-result-name", text: name }),
      make("span", { class: "hint", text: number })))));
    if (!found.length) list.append(make("li", { class: "muted", text: text("member_none") }));
  }

  // --- receipts --------------------------------------------------------------------------

  function receiptRows(sale) {
    const rows = [
      [text("receipt_subtotal"), rupiah(sale.subtotal)],
    ];
    if (sale.discount) rows.push([text("receipt_discount"), rupiah(-sale.discount)]);
    rows.push([text("receipt_total"), rupiah(sale.total)]);
    rows.push([text("receipt_paid"), text(`method_${sale.method}`)]);
    if (sale.method === "tunai" && sale.cash_given !== null) {
      rows.push([text("receipt_cash"), rupiah(sale.cash_given)]);
      rows.push([text("receipt_change"), rupiah(sale.change)]);
    }
    if (sale.member) rows.push([text("receipt_member"), `${sale.member.number} ${sale.member.name}`]);
    rows.push([text("receipt_cashier"), sale.cashier]);
    return rows;
  }

  function receiptText(sale) {
    const lines = [sale.koperasi, sale.outlet, `${text("receipt_title")} ${sale.receipt_number}`,
      when(sale.t), ""];
    for (const l of sale.lines) {
      lines.push(l.name, `  ${l.quantity} x ${rupiah(l.unit_price)} = ${rupiah(l.unit_price * l.quantity)}`);
      if (l.discount) lines.push(`  ${text("receipt_discount")} ${rupiah(-l.discount)}`);
    }
    lines.push("");
    for (const [label, value] of receiptRows(sale)) lines.push(`${label}: ${value}`);
    lines.push("", text("receipt_thanks"));
    return lines.join("\n");
  }

  function showReceipt(sale, focus) {
    state.shown = sale;
    const items = make("ul", { class: "pos-receipt-lines" }, ...sale.lines.map((l) => make("li", null,
      make("span", { class: "pos-receipt-name", text: l.name }),
      make("span", { class: "pos-receipt-row" },
        make("span", { text: `${l.quantity} x ${rupiah(l.unit_price)}` }),
        make("span", { text: rupiah(l.unit_price * l.quantity) })),
      l.discount ? make("span", { class: "pos-receipt-row" },
        make("span", { text: text("receipt_discount") }),
        make("span", { text: rupiah(-l.discount) })) : null)));
    $("receipt").replaceChildren(
      make("div", { class: "pos-receipt-head" },
        make("p", { class: "pos-receipt-koperasi", text: sale.koperasi }),
        make("p", { text: sale.outlet }),
        make("p", { class: "pos-receipt-title", text: text("receipt_title") }),
        make("p", { class: "pos-receipt-number", text: sale.receipt_number }),
        make("p", { text: when(sale.t) })),
      items,
      make("dl", { class: "pos-receipt-totals" }, ...receiptRows(sale).map(([label, value]) =>
        make("div", null, make("dt", { text: label }), make("dd", { text: value })))),
      make("p", { class: "pos-receipt-foot", text: text("receipt_thanks") }),
      make("p", { class: "pos-receipt-status", text: statusText(sale) })
    );
    $("receipt-wa").href = "https://wa.me/?text=" + encodeURIComponent(receiptText(sale));
    show("screen-receipt", focus);
  }

  async function share() {
    const sale = state.shown;
    if (!sale) return;
    const body = receiptText(sale);
    if (navigator.share) {
      try {
        await navigator.share({ title: text("share_title", { receipt: sale.receipt_number }), text: body });
        showStatus(text("shared"));
      } catch {
        // cancelled
      }
      return;
    }
    window.open($("receipt-wa").href, "_blank", "noopener");
  }

  // --- scanning --------------------------------------------------------------------------

  let scanning = null;

  async function startScan() {
    try {
      const supported = await BarcodeDetector.getSupportedFormats();
      const formats = ["ean_13", "ean_8", "upc_a", "upc_e", "code_128"].filter((f) =>
        supported.includes(f));
      const detector = new BarcodeDetector(formats.length ? { formats } : undefined);
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      const video = $("scanner-video");
      video.srcObject = stream;
      await video.play();
      $("scanner").hidden = false;
      scanning = { stream, last: "", lastAt: 0 };
      const tick = async () => {
        if (!scanning) return;
        try {
          const codes = await detector.detect(video);
          const code = codes.length ? codes[0].rawValue : "";
          if (code && (code !== scanning.last || Date.now() - scanning.lastAt > 1500)) {
            scanning.last = code;
            scanning.lastAt = Date.now();
            addCode(code);
            if (navigator.vibrate) navigator.vibrate(60);
          }
        } catch {
          // a frame that could not be read
        }
        setTimeout(tick, 200);
      };
      tick();
    } catch {
      stopScan();
      showError(text("camera_failed"));
    }
  }

  function stopScan() {
    if (scanning) for (const track of scanning.stream.getTracks()) track.stop();
    scanning = null;
    $("scanner").hidden = true;
  }

  function addCode(code) {
    const p = findByCode(code);
    if (p) addToCart(p);
    else showError(text("not_found_code", { code }));
    return !!p;
  }

  // --- the whole page ----------------------------------------------------------------------

  function renderWho() {
    const id = state.identity;
    const d = state.device;
    if (!id || !d) {
      $("pos-who").textContent = id ? `${id.koperasi_name} · ${id.display_name}` : "";
      return;
    }
    $("pos-who").textContent = text("who", { koperasi: d.koperasi_name, outlet: d.outlet_name,
      device: d.code, cashier: id.display_name }) +
      (state.reach === "online" ? "" : " " + text("who_offline"));
  }

  function route(focus) {
    const id = state.identity;
    if (!id) return show("screen-signin", focus);
    if (!TILL_ROLES.has(id.role) || !id.koperasi_id) return show("screen-role", focus);
    if (!state.device || state.device.koperasi_id !== id.koperasi_id) {
      if (state.device) showError(text("other_koperasi"));
      return showRegister();
    }
    if ((!state.catalog || !state.catalog.products.length) && state.reach !== "online") {
      showError(text("catalog_missing"));
    }
    if (!state.shift) return show("screen-shift-open", focus);
    renderCart();
    return show("screen-sell", focus);
  }

  async function signOut() {
    const pending = await O.pendingCount();
    if (pending > 0) {
      showError(text("signout_pending", { count: pending }));
      return;
    }
    showStatus(text("signing_out"));
    try {
      await api("POST", "/api/v1/auth/logout");
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        showError(explain(error));
        return;
      }
    }
    await O.forgetPerson();
    if ("caches" in self) {
      for (const name of await caches.keys()) {
        if (name.startsWith("koroena-pages-")) await caches.delete(name);
      }
    }
    window.location.assign("/");
  }

  async function refreshData(force) {
    if (state.reach !== "online" || !state.identity || !TILL_ROLES.has(state.identity.role)) return;
    const jobs = [loadCatalog()];
    const members = await O.getMeta("members");
    if (force || !members || members.koperasi_id !== state.identity.koperasi_id ||
        Date.now() - members.fetched_at > MEMBERS_MAX_AGE_MS) {
      jobs.push(loadMembers());
    }
    await Promise.all(jobs);
    renderResults();
    renderCart();
  }

  async function prune() {
    const before = Date.now() - HISTORY_KEEP_MS;
    await O.run("sales", "readwrite", (s) => new Promise((resolve, reject) => {
      const cursor = s.sales.index("t").openCursor(IDBKeyRange.upperBound(before));
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at) {
          resolve();
          return;
        }
        if (at.value.status === "synced") at.delete();
        at.continue();
      };
    }));
  }

  function wire() {
    $("register-form").addEventListener("submit", register);
    $("shift-open-form").addEventListener("submit", openShift);
    $("close-form").addEventListener("submit", closeShift);
    $("close-back").addEventListener("click", () => show("screen-sell", true));
    $("report-next").addEventListener("click", () => route(true));
    $("tool-close").addEventListener("click", showClose);
    $("tool-signout").addEventListener("click", signOut);
    $("tool-refresh").addEventListener("click", async () => {
      try {
        state.reach = (await loadIdentity()).reach;
        await refreshData(true);
        showStatus(text("refreshed"));
      } catch (error) {
        showError(explain(error));
      }
    });
    $("search").addEventListener("input", renderResults);
    $("search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const term = $("search").value.trim();
      if (!term) return;
      const exact = findByCode(term);
      const found = exact ? [exact] : searchProducts(term);
      if (found.length === 1) {
        addToCart(found[0]);
        $("search").value = "";
        renderResults();
      } else if (!found.length && /^\d{4,14}$/.test(term)) {
        showError(text("not_found_code", { code: term }));
      }
    });
    if ("BarcodeDetector" in self && navigator.mediaDevices) {
      $("scan").hidden = false;
      $("scan").addEventListener("click", startScan);
      $("scan-stop").addEventListener("click", stopScan);
    }
    $("member").addEventListener("input", renderMembers);
    $("member-clear").addEventListener("click", () => { setMember(null); renderCart(); });
    for (const radio of document.querySelectorAll('input[name="method"]')) {
      radio.addEventListener("change", renderTotals);
    }
    $("cash-given").addEventListener("input", renderTotals);
    $("pay").addEventListener("click", pay);
    $("qris-paid").addEventListener("click", () => commitSale(performance.now()));
    $("qris-cancel").addEventListener("click", () => show("screen-sell", true));
    $("receipt-print").addEventListener("click", () => window.print());
    $("receipt-share").addEventListener("click", share);
    $("receipt-new").addEventListener("click", () => { route(false); $("search").focus(); });
  }

  async function start() {
    if (!("indexedDB" in self) || !O) {
      showError(text("storage_unsupported"));
      return;
    }
    try {
      await O.open();
    } catch {
      showError(text("storage_unsupported"));
      return;
    }
    const [device, shift, catalog, members] = await Promise.all([
      O.getMeta("device"), O.getMeta("shift"), O.getMeta("catalog"), O.getMeta("members"),
    ]);
    Object.assign(state, { device: device || null, shift: shift || null, catalog: catalog || null });
    indexCatalog();
    wire();
    const { identity, reach } = await loadIdentity();
    state.identity = identity || null;
    state.reach = reach;
    if (identity && members && members.koperasi_id === identity.koperasi_id) {
      state.members = members.list;
    }
    if (identity && state.catalog && state.catalog.koperasi_id !== identity.koperasi_id) {
      state.catalog = null;
      indexCatalog();
    }
    // With a catalog on the phone the till opens at once and is refreshed behind it.
    const cached = !!(state.catalog && state.catalog.products.length);
    const refreshing = refreshData(false).catch((error) => {
      if (!state.catalog) showError(explain(error));
    });
    if (!cached) await refreshing;
    renderWho();
    route(false);
    if (navigator.storage && navigator.storage.persist && state.device) {
      navigator.storage.persist().catch(() => {});
    }
    prune().catch(() => {});
    await refreshStatus();
    wireTriggers();
    if (reach === "auth" && state.identity) {
      $("sync-signin").hidden = false;
      $("sync-state").textContent = text("state_auth");
    }
    document.documentElement.dataset.pos = "ready";
    flush(false);
  }

  start();
})();
