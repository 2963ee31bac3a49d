/* The report forms (/laporan): a pengurus chooses a form and a period (filed, missing, a
 * draft or waiting for signal), fills it — with or without signal — and sends it. "Kirim
 * laporan" writes the filled form to the queue in IndexedDB first (outbox.js,
 * KoroenaReports) and says so at once; the queue sends it later, exactly once, from this
 * page or from the service worker's Background Sync.
 *
 * When there is signal the page keeps on the phone: who is signed in, which periods are
 * filed (GET /api/v1/reports/status), and the books' figures of the periods still to file
 * (GET /api/v1/reports/prefill), so a form opens filled in without signal. Drafts are
 * saved as the person types. The form fields are in the page (rendered from the forms'
 * definitions); every text comes from <template id="koroena-messages">. */
(function () {
  "use strict";

  const R = self.KoroenaReports;
  const $ = (id) => document.getElementById(id);
  const MESSAGES = $("koroena-messages");
  const LANGUAGE = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  const SCREENS = ["screen-loading", "screen-signin", "screen-role", "screen-choose", "screen-fill"];
  const ROMAN = ["", "I", "II", "III", "IV"];
  const PERIODS = { bulan: 12, triwulan: 8 };
  const PREFETCH = 3; // missing periods per form whose figures are kept on the phone
  const PREFILL_MAX_AGE_MS = 6 * 3600 * 1000;
  const RETRY_MS = 30000;
  const RUPIAH_MAX = 1e15;
  const COUNT_MAX = 1e8;

  const state = {
    identity: null,
    reach: "offline", // online | auth | offline | error: what GET /api/v1/me said
    status: null, // {koperasi_id, fetched_at, forms: {key: FormStatus}}
    statusFresh: false, // fetched during this visit
    form: null, // the chosen form key
    current: null, // the form being filled: {form, version, period, key, filed, fixOf}
    saving: false,
    draftTimer: null,
  };

  function text(key, values) {
    const node = MESSAGES && MESSAGES.content.querySelector(`[data-key="${key}"]`);
    let result = node ? node.textContent : key;
    for (const [name, value] of Object.entries(values || {})) {
      result = result.split(`{${name}}`).join(String(value));
    }
    return result;
  }

  const group = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");

  function rupiah(amount) {
    return (amount < 0 ? "-" : "") + "Rp " + group(String(Math.abs(amount)));
  }

  function grouped(amount) {
    return (amount < 0 ? "-" : "") + group(String(Math.abs(amount)));
  }

  const dateTime = new Intl.DateTimeFormat(LANGUAGE, { dateStyle: "medium", timeStyle: "short" });
  const dateOnly = new Intl.DateTimeFormat(LANGUAGE, { dateStyle: "medium" });
  const monthYear = new Intl.DateTimeFormat(LANGUAGE, { month: "long", year: "numeric" });
  const when = (ms) => dateTime.format(new Date(ms));

  function dayOf(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(y, m - 1, d);
  }

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

  // --- periods (as the server counts them: a month 2026-10, a quarter 2026-Q3) ----------

  function periodOf(kind, date) {
    const year = date.getFullYear();
    return kind === "bulan"
      ? { kind, year, number: date.getMonth() + 1 }
      : { kind, year, number: Math.floor(date.getMonth() / 3) + 1 };
  }

  function previous(period) {
    const last = period.kind === "bulan" ? 12 : 4;
    return period.number === 1
      ? { kind: period.kind, year: period.year - 1, number: last }
      : { kind: period.kind, year: period.year, number: period.number - 1 };
  }

  function code(period) {
    return period.kind === "bulan"
      ? `${period.year}-${String(period.number).padStart(2, "0")}`
      : `${period.year}-Q${period.number}`;
  }

  function parseCode(value) {
    const quarter = /^(\d{4})-Q([1-4])$/.exec(value);
    if (quarter) return { kind: "triwulan", year: Number(quarter[1]), number: Number(quarter[2]) };
    const [year, month] = value.split("-").map(Number);
    return { kind: "bulan", year, number: month };
  }

  function label(value) {
    const period = parseCode(value);
    if (period.kind === "bulan") return monthYear.format(new Date(period.year, period.number - 1, 1));
    return text("quarter", { quarter: ROMAN[period.number], year: period.year });
  }

  /** The latest periods that are over, by the phone's clock (when the server's list is
   * not on the phone). */
  function localPeriods(kind, dueDays) {
    const list = [];
    let period = previous(periodOf(kind, new Date()));
    while (list.length < PERIODS[kind]) {
      const end = kind === "bulan"
        ? new Date(period.year, period.number, 0)
        : new Date(period.year, period.number * 3, 0);
      const due = new Date(end.getTime() + dueDays * 86400000);
      list.push({ period: code(period), due: isoDay(due), filed: false, overdue: false,
        revisions: 0, latest: null, unknown: true });
      period = previous(period);
    }
    return list;
  }

  function isoDay(date) {
    return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-` +
      String(date.getDate()).padStart(2, "0");
  }

  // --- the forms in the page ---------------------------------------------------------------

  const blocks = () => Array.from(document.querySelectorAll(".report-fields[data-form]"));
  const blockOf = (form) => document.querySelector(`.report-fields[data-form="${form}"]`);
  const controls = (block) => Array.from(block.querySelectorAll("[data-key]"));

  function formInfo(form) {
    const block = blockOf(form);
    return {
      form,
      version: Number(block.dataset.version),
      kind: block.dataset.kind,
      title: block.dataset.title,
      dueDays: Number(block.dataset.dueDays),
    };
  }

  const keyOf = (koperasiId, form, period) => `${koperasiId}|${form}|${period}`;

  // --- messages and screens --------------------------------------------------------------

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
    if (focus) $(`${screen}-heading`).focus();
  }

  // --- the server ----------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, body) {
      const error = (body && body.error) || {};
      super(error.message || text("failed"));
      this.status = status;
      this.code = error.code || "";
    }
  }

  async function getJson(path) {
    const response = await fetch(path, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
      signal: R.timeout(20000),
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  const explain = (error) => (error instanceof ApiError ? error.message : text("network"));

  /** Who is signed in: asked when there is signal, else the copy kept in IndexedDB. */
  async function loadIdentity() {
    const cached = await R.getMeta("identity");
    let response;
    try {
      response = await fetch("/api/v1/me",
        { credentials: "same-origin", cache: "no-store", signal: R.timeout(8000) });
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
    await R.run("meta", "readwrite", (s) => {
      s.meta.put(identity, "identity");
      s.meta.put(me.csrf_token, "csrf");
    });
    return { identity, reach: "online" };
  }

  const isFiler = () =>
    !!(state.identity && state.identity.role === "pengurus" && state.identity.koperasi_id);

  /** The filing status of every form, from the server, kept on the phone. */
  async function refreshStatus() {
    if (state.reach !== "online" || !isFiler()) return false;
    const forms = {};
    for (const block of blocks()) {
      const form = block.dataset.form;
      forms[form] = await getJson(`/api/v1/reports/status?form=${encodeURIComponent(form)}`);
    }
    const status = { koperasi_id: state.identity.koperasi_id, fetched_at: Date.now(), forms };
    await R.setMeta("status", status);
    state.status = status;
    state.statusFresh = true;
    return true;
  }

  async function cachedPrefill(form, period) {
    const key = keyOf(state.identity.koperasi_id, form, period);
    return R.run("prefill", "readonly", (s) => R.req(s.prefill.get(key)));
  }

  async function fetchPrefill(form, period) {
    const data = await getJson(
      `/api/v1/reports/prefill?form=${encodeURIComponent(form)}&period=${encodeURIComponent(period)}`
    );
    const record = {
      key: keyOf(state.identity.koperasi_id, form, period),
      koperasi_id: state.identity.koperasi_id,
      form,
      version: data.version,
      period,
      values: data.values || {},
      notes: data.notes || {},
      computed_at: Date.parse(data.computed_at) || Date.now(),
      fetched_at: Date.now(),
    };
    await R.run("prefill", "readwrite", (s) => { s.prefill.put(record); });
    return record;
  }

  /** Keep the figures of the periods still to file (and of drafts) on the phone, so the
   * forms open filled in without signal. */
  async function prefetch() {
    if (state.reach !== "online" || !isFiler()) return;
    const drafts = await allDrafts();
    for (const block of blocks()) {
      const form = block.dataset.form;
      const wanted = periodsOf(form).filter((p) => !p.filed).slice(0, PREFETCH).map((p) => p.period);
      for (const draft of drafts) if (draft.form === form) wanted.push(draft.period);
      for (const period of new Set(wanted)) {
        const kept = await cachedPrefill(form, period);
        if (kept && Date.now() - kept.fetched_at < PREFILL_MAX_AGE_MS) continue;
        await fetchPrefill(form, period).catch(() => {});
      }
    }
  }

  // --- the list of periods ---------------------------------------------------------------------

  function statusUsable() {
    return !!(state.status && state.identity && state.status.koperasi_id === state.identity.koperasi_id);
  }

  function periodsOf(form) {
    if (statusUsable() && state.status.forms[form]) return state.status.forms[form].periods;
    const info = formInfo(form);
    return localPeriods(info.kind, info.dueDays);
  }

  function allDrafts() {
    return R.run("drafts", "readonly", (s) => R.req(s.drafts.getAll()));
  }

  async function renderPeriods() {
    const form = state.form;
    const [drafts, items] = await Promise.all([allDrafts(), R.outboxItems()]);
    const k = state.identity.koperasi_id;
    const draftOf = new Map(drafts.filter((d) => d.koperasi_id === k && d.form === form)
      .map((d) => [d.period, d]));
    const pendingOf = new Set(items.filter((i) => i.koperasi_id === k && i.payload.form === form)
      .map((i) => i.payload.period));
    const list = $("periods");
    list.replaceChildren();
    const periods = periodsOf(form);
    if (!periods.length) list.append(make("li", { class: "muted", text: text("no_periods") }));
    for (const row of periods) {
      const name = label(row.period);
      let tag;
      let tone;
      if (pendingOf.has(row.period)) {
        [tag, tone] = [text("status_pending"), "pending"];
      } else if (row.filed) {
        [tag, tone] = [text("status_filed", { revision: row.latest.revision }), "filed"];
      } else if (row.unknown) {
        [tag, tone] = [text("status_unknown"), "unknown"];
      } else {
        const due = dateOnly.format(dayOf(row.due));
        [tag, tone] = row.overdue
          ? [text("status_overdue", { date: due }), "overdue"]
          : [text("status_missing", { date: due }), "missing"];
      }
      const draft = draftOf.get(row.period);
      const action = draft ? text("action_draft") : row.filed ? text("action_correct") : text("action_fill");
      const tags = make("span", { class: "report-tags" },
        make("span", { class: `tag report-tag-${tone}`, text: tag }),
        draft ? make("span", { class: "tag report-tag-draft", text: text("status_draft") }) : null);
      const buttons = make("span", { class: "actions report-period-actions" },
        make("button", {
          type: "button",
          class: row.filed && !draft ? "button button-secondary" : "button",
          text: action,
          "aria-label": text("action_label", { action, period: name }),
          onclick: () => openForm(form, row.period),
        }),
        row.filed && row.latest && state.reach === "online"
          ? make("a", {
            class: "button button-secondary",
            href: `/laporan/kiriman/${row.latest.id}`,
            text: text("action_view"),
            "aria-label": text("view_label", { period: name }),
          })
          : null);
      list.append(make("li", { class: "report-period", "data-period": row.period },
        make("span", { class: "report-period-name", text: name }), tags, buttons));
    }
    const source = $("status-source");
    if (statusUsable()) {
      source.textContent = text(state.statusFresh ? "status_source_server" : "status_source_cached",
        { time: when(state.status.fetched_at) });
    } else {
      source.textContent = text("status_source_none");
    }
  }

  // --- filling a form -------------------------------------------------------------------------

  function statusRow(form, period) {
    return periodsOf(form).find((row) => row.period === period) || null;
  }

  function setValue(control, value) {
    if (value === null || value === undefined) {
      control.value = "";
    } else if (control.dataset.type === "text") {
      control.value = String(value);
    } else if (typeof value === "number") {
      control.value = grouped(value);
    } else {
      control.value = String(value);
    }
  }

  function clearErrors(block) {
    for (const control of controls(block)) showFieldError(control, "");
    showFieldError($("correction-reason"), "");
  }

  function showFieldError(control, message) {
    const box = $(`${control.id}-error`);
    if (box) box.textContent = message;
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }

  async function openForm(form, period, fixOf) {
    clearMessages();
    const info = formInfo(form);
    const k = state.identity.koperasi_id;
    const key = keyOf(k, form, period);
    const [draft, items] = await Promise.all([
      R.run("drafts", "readonly", (s) => R.req(s.drafts.get(key))),
      R.outboxItems(),
    ]);
    let prefill = await cachedPrefill(form, period);
    if (state.reach === "online" && (!prefill || Date.now() - prefill.fetched_at > 60000)) {
      prefill = (await fetchPrefill(form, period).catch(() => null)) || prefill;
    }
    const row = statusRow(form, period);
    const filed = row && row.filed ? row.latest.revision : 0;
    state.current = { form, version: info.version, period, key, filed, fixOf: fixOf || (draft && draft.fix_of) || null };
    for (const block of blocks()) block.hidden = block.dataset.form !== form;
    const block = blockOf(form);
    clearErrors(block);
    const values = (draft && draft.values) || (prefill && prefill.values) || {};
    for (const control of controls(block)) {
      setValue(control, values[control.dataset.key]);
      const books = $(`${control.id}-books`);
      if (!books) continue;
      const figure = prefill ? prefill.values[control.dataset.key] : undefined;
      const note = prefill && prefill.notes ? prefill.notes[control.dataset.key] : "";
      let line = figure === undefined ? text("from_books_none")
        : text("from_books", { amount: control.dataset.type === "rupiah" ? rupiah(figure) : grouped(figure) });
      if (note) line += ` · ${note}`;
      books.textContent = line;
    }
    $("screen-fill-heading").textContent = text("fill_heading", { form: info.title, period: label(period) });
    $("fill-source").textContent = prefill
      ? text("prefill_server", { time: when(prefill.computed_at) })
      : text("prefill_missing");
    const pending = items.some((i) => i.koperasi_id === k && i.payload.form === form && i.payload.period === period);
    const notice = $("fill-correction");
    notice.hidden = !(filed || pending);
    notice.textContent = pending ? text("already_pending")
      : filed ? text("correction_notice", { revision: filed, next: filed + 1 }) : "";
    $("correction").hidden = !filed;
    $("correction-reason").value = (draft && draft.reason) || "";
    $("fill-send").disabled = pending;
    $("draft-status").textContent = draft ? text("draft_restored", { time: when(draft.saved_at) }) : "";
    show("screen-fill", true);
  }

  /** What the person typed, as it stands (for a draft). */
  function typed(block) {
    const values = {};
    for (const control of controls(block)) values[control.dataset.key] = control.value;
    return values;
  }

  function saveDraft() {
    const current = state.current;
    if (!current) return Promise.resolve();
    const block = blockOf(current.form);
    const draft = {
      key: current.key,
      koperasi_id: state.identity.koperasi_id,
      form: current.form,
      version: current.version,
      period: current.period,
      values: typed(block),
      reason: $("correction-reason").value,
      fix_of: current.fixOf,
      saved_at: Date.now(),
    };
    return R.run("drafts", "readwrite", (s) => { s.drafts.put(draft); }).then(() => {
      $("draft-status").textContent = text("draft_saved", { time: when(draft.saved_at) });
    });
  }

  function scheduleDraft() {
    clearTimeout(state.draftTimer);
    state.draftTimer = setTimeout(() => { saveDraft().catch(() => {}); }, 500);
  }

  /** Whole numbers from what was typed ("1.500.000", "-4.000.000"), checked as the server
   * checks them; {value} or {error}. */
  function parseNumber(control) {
    const raw = control.value.replace(/[\s.]/g, "").replace(/^Rp/i, "").replace("\u2212", "-");
    if (raw === "") return { value: null };
    if (!/^-?\d+$/.test(raw)) return { error: text("not_number") };
    const value = Number(raw);
    if (value < 0 && !control.dataset.signed) return { error: text("negative") };
    const limit = control.dataset.type === "count" ? COUNT_MAX : RUPIAH_MAX;
    if (Math.abs(value) > limit || !Number.isSafeInteger(value)) return { error: text("too_large") };
    return { value };
  }

  function checkText(control) {
    let value = control.value.replace(/\r\n?/g, "\n").trim();
    if (control.tagName !== "TEXTAREA") value = value.split(/\s+/).filter(Boolean).join(" ");
    const max = Number(control.getAttribute("maxlength") || 0);
    if (max && value.length > max) return { error: text("too_long", { max }) };
    if (value && control.validity && control.validity.patternMismatch) {
      return { error: control.dataset.patternHint || text("failed") };
    }
    return { value };
  }

  function collect(block) {
    const values = {};
    const invalid = [];
    for (const control of controls(block)) {
      const found = control.dataset.type === "text" ? checkText(control) : parseNumber(control);
      let error = found.error || "";
      const empty = found.value === null || found.value === "" || found.value === undefined;
      if (!error && control.required && empty) error = text("required");
      showFieldError(control, error);
      if (error) invalid.push(control);
      else values[control.dataset.key] = found.value;
    }
    return { values, invalid };
  }

  async function submit(event) {
    event.preventDefault();
    const current = state.current;
    if (!current || state.saving) return;
    const block = blockOf(current.form);
    const { values, invalid } = collect(block);
    const reasonBox = $("correction-reason");
    const reason = reasonBox.value.split(/\s+/).filter(Boolean).join(" ");
    let correction = null;
    if (current.filed) {
      showFieldError(reasonBox, reason ? "" : text("reason_required"));
      if (!reason) invalid.push(reasonBox);
      correction = { of_revision: current.filed, reason };
    }
    if (invalid.length) {
      showError(text("invalid_count", { count: invalid.length }));
      invalid[0].focus();
      return;
    }
    const info = formInfo(current.form);
    const item = {
      id: crypto.randomUUID(),
      kind: "report",
      created_at: isoLocal(new Date()),
      koperasi_id: state.identity.koperasi_id,
      label: text("fill_heading", { form: info.title, period: label(current.period) }),
      payload: {
        form: current.form,
        version: current.version,
        period: current.period,
        values,
        correction,
      },
    };
    state.saving = true;
    $("fill-send").disabled = true;
    clearTimeout(state.draftTimer);
    try {
      // The queue first, in one transaction with dropping the draft (and the refused
      // report this one replaces): the report is never in two places, nor in none.
      await R.run(["outbox", "drafts", "review"], "readwrite", (s) => {
        s.outbox.add(item);
        s.drafts.delete(current.key);
        if (current.fixOf) s.review.delete(current.fixOf);
      }, { durability: "strict" });
    } catch (error) {
      state.saving = false;
      $("fill-send").disabled = false;
      showError(text("save_failed", { error: (error && error.message) || error }));
      return;
    } finally {
      state.saving = false;
    }
    state.current = null;
    $("sync-pending").textContent = String((Number($("sync-pending").textContent) || 0) + 1);
    await renderPeriods();
    show("screen-choose", true);
    showStatus(text("queued"));
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    await refreshQueue();
    R.registerSync();
    flush(false);
  }

  async function back() {
    clearTimeout(state.draftTimer);
    await saveDraft().catch(() => {});
    state.current = null;
    clearMessages();
    await renderPeriods();
    show("screen-choose", true);
  }

  // --- the queue ---------------------------------------------------------------------------------

  let queueRun = 0;

  async function refreshQueue() {
    const run = ++queueRun;
    const [items, review, sync] = await Promise.all([R.outboxItems(), R.reviewItems(), R.getMeta("sync")]);
    if (run !== queueRun) return;
    $("report-sync").hidden = false;
    $("sync-pending").textContent = String(items.length);
    $("sync-last").textContent = sync && sync.ok ? when(sync.ok) : text("never_synced");
    const current = (sync && sync.state) || "ok";
    let message = "";
    if (items.length && current !== "ok") {
      message = current === "forbidden" && sync.message ? sync.message
        : text(`state_${current}`, { status: (sync && sync.status) || "" });
    } else if (!items.length) {
      message = text("pending_none");
    }
    if (review.length) message += " " + text("state_review", { count: review.length });
    $("sync-state").textContent = message.trim();
    $("sync-signin").hidden = !(items.length && current === "auth");
    renderReview(review);
  }

  function renderReview(review) {
    $("review-section").hidden = review.length === 0;
    const list = $("review");
    list.replaceChildren();
    review.sort((a, b) => a.at - b.at);
    for (const entry of review) {
      const item = entry.item || {};
      const what = item.label || (item.payload && `${item.payload.form} ${item.payload.period}`) || entry.id;
      const problems = (entry.problems || []).map((p) => {
        const control = item.payload && document.getElementById(`${item.payload.form}-${p.field}`);
        const name = control && control.labels && control.labels[0] ? control.labels[0].textContent : p.field;
        return make("li", { text: text("problem", { field: name, message: p.message }) });
      });
      list.append(make("li", { class: "report-review-item" },
        make("p", { class: "report-review-what" }, make("strong", { text: what })),
        make("p", { class: "report-review-reason", text: entry.message }),
        problems.length ? make("ul", { class: "report-review-problems" }, ...problems) : null,
        make("p", { class: "hint", text: `${entry.status} · ${entry.code}` }),
        make("div", { class: "actions" },
          item.payload && item.koperasi_id === (state.identity && state.identity.koperasi_id)
            ? make("button", {
              type: "button",
              class: "button",
              text: text("review_fix"),
              "aria-label": text("review_fix_label", { label: what }),
              onclick: () => fixReview(entry),
            })
            : null,
          make("button", {
            type: "button",
            class: "button button-danger",
            text: text("dismiss"),
            "aria-label": text("review_dismiss", { label: what }),
            onclick: () => dismissReview(entry.id),
          }))
      ));
    }
  }

  /** A refused report back into the form, as a draft; sending it makes a new item. */
  async function fixReview(entry) {
    const payload = entry.item.payload;
    const key = keyOf(state.identity.koperasi_id, payload.form, payload.period);
    const values = {};
    for (const [name, value] of Object.entries(payload.values || {})) {
      values[name] = typeof value === "number" ? grouped(value) : value === null ? "" : String(value);
    }
    await R.run("drafts", "readwrite", (s) => {
      s.drafts.put({
        key,
        koperasi_id: state.identity.koperasi_id,
        form: payload.form,
        version: payload.version,
        period: payload.period,
        values,
        reason: (payload.correction && payload.correction.reason) || "",
        fix_of: entry.id,
        saved_at: Date.now(),
      });
    });
    if (state.reach === "online") await refreshStatus().catch(() => {});
    state.form = payload.form;
    $("choose-form").value = payload.form;
    await openForm(payload.form, payload.period, entry.id);
    const block = blockOf(payload.form);
    for (const problem of entry.problems || []) {
      const control = block.querySelector(`[data-key="${problem.field}"]`);
      if (control) showFieldError(control, problem.message);
    }
  }

  async function dismissReview(id) {
    if (!window.confirm(text("confirm_dismiss"))) return;
    await R.run("review", "readwrite", (s) => { s.review.delete(id); });
    await refreshQueue();
  }

  let retryTimer = null;

  async function flush(wait) {
    const summary = await R.flush({ wait: !!wait });
    if (summary.state === "busy") {
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => flush(false), 2000);
      return summary;
    }
    await afterFlush(summary);
    return summary;
  }

  async function afterFlush(summary) {
    await refreshQueue();
    if (!isFiler()) return;
    const created = (summary.answers || []).filter((a) => a.status === "created");
    if (summary.done && state.reach === "online") {
      await refreshStatus().catch(() => {});
    }
    if (!state.current) await renderPeriods();
    if (created.length === 1 && !state.current) {
      const row = findByRevision(created[0]);
      showStatus(text("sent", { label: row || "", revision: created[0].revision }));
    }
  }

  function findByRevision(answer) {
    if (!statusUsable()) return "";
    for (const [form, status] of Object.entries(state.status.forms)) {
      for (const row of status.periods) {
        if (row.latest && row.latest.id === answer.submission_id) {
          return text("fill_heading", { form: formInfo(form).title, period: label(row.period) });
        }
      }
    }
    return "";
  }

  /** The signal is back: who is signed in (the session may have ended meanwhile), fresh
   * status, then send. */
  async function reconnect() {
    try {
      const { identity, reach } = await loadIdentity();
      state.reach = reach;
      if (identity) state.identity = identity;
      renderWho();
      if (isFiler()) {
        await refreshStatus().catch(() => {});
        if (!state.current) await renderPeriods();
        prefetch().catch(() => {});
      }
    } finally {
      flush(false);
    }
  }

  function renderWho() {
    const id = state.identity;
    $("reports-who").textContent = id && id.koperasi_id
      ? text("who", { koperasi: id.koperasi_name, person: id.display_name }) +
        (state.reach === "online" ? "" : " " + text("who_offline"))
      : "";
  }

  function wire() {
    $("choose-form").addEventListener("change", async () => {
      state.form = $("choose-form").value;
      await renderPeriods();
    });
    $("fill-form").addEventListener("submit", submit);
    $("fill-form").addEventListener("input", scheduleDraft);
    $("fill-form").addEventListener("focusout", (event) => {
      const control = event.target;
      if (!control || !control.dataset || !control.dataset.type || control.dataset.type === "text") return;
      const found = parseNumber(control);
      if (!found.error && found.value !== null) control.value = grouped(found.value);
    });
    $("fill-back").addEventListener("click", back);
    $("sync-now").addEventListener("click", () => flush(true));
    $("status-refresh").addEventListener("click", async () => {
      try {
        state.reach = (await loadIdentity()).reach;
        if (!(await refreshStatus())) throw new ApiError(0, null);
        await renderPeriods();
        await prefetch();
        showStatus(text("refreshed"));
      } catch (error) {
        showError(explain(error));
      }
    });
    window.addEventListener("online", reconnect);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") flush(false);
    });
    setInterval(async () => {
      if ((await R.pendingCount()) > 0) flush(false);
    }, RETRY_MS);
    if (typeof BroadcastChannel === "function") {
      // The service worker sent the queue (Background Sync): show what it did.
      new BroadcastChannel(R.CHANNEL).addEventListener("message", (event) => {
        if (event.data && event.data.type === "flushed") afterFlush(event.data.summary).catch(() => {});
      });
    }
  }

  async function start() {
    if (!("indexedDB" in self) || !R) {
      showError(text("storage_unsupported"));
      return;
    }
    try {
      await R.open();
    } catch {
      showError(text("storage_unsupported"));
      return;
    }
    wire();
    const { identity, reach } = await loadIdentity();
    state.identity = identity || null;
    state.reach = reach;
    state.status = (await R.getMeta("status")) || null;
    renderWho();
    await refreshQueue();
    if (!state.identity) {
      show("screen-signin");
    } else if (!isFiler()) {
      $("role-dinas").hidden = state.identity.role !== "dinas";
      show("screen-role");
    } else {
      state.form = $("choose-form").value;
      if (reach === "online") await refreshStatus().catch(() => {});
      await renderPeriods();
      show("screen-choose");
      await prefetch().catch(() => {});
    }
    if (reach === "auth" && state.identity) {
      $("sync-signin").hidden = false;
      $("sync-state").textContent = text("state_auth");
    }
    document.documentElement.dataset.reports = "ready";
    flush(false);
  }

  start();
})();
