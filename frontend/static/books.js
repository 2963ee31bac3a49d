// The books pages (/pembukuan, /pembukuan/jurnal, /pembukuan/akun). The server renders
// every page; this script only acts: manual journal entries with live totals, reversals,
// closing a month, loading older entries, and the chart of accounts. Every change goes
// through the JSON API under /api/v1/books with the page's CSRF token; texts come from
// the page (<template id="koroena-messages">).
import { api, busy, explain, showError, showStatus, text } from "/static/passkey.js";

const FLASH_KEY = "koroena-flash";
const MINUS = "\u2212";

/** Reload the page (never cached) and say `message` once it is back, in the message
 * boxes of the section with the id `where`. */
function reloadWith(message, where) {
  try {
    sessionStorage.setItem(FLASH_KEY, JSON.stringify({ message, where }));
  } catch {
    // Private mode without storage: the reloaded page shows the new state anyway.
  }
  window.location.reload();
}

function showFlash() {
  let flash = null;
  try {
    flash = JSON.parse(sessionStorage.getItem(FLASH_KEY) || "null");
    sessionStorage.removeItem(FLASH_KEY);
  } catch {
    return;
  }
  if (!flash || typeof flash.message !== "string") return;
  const where = flash.where && document.getElementById(flash.where);
  showStatus(flash.message, where || undefined);
  if (where) where.scrollIntoView({ block: "start" });
}

/** `Rp 1.500.000`, a negative amount `−Rp 1.500` (as the server writes them). */
export function money(amount) {
  const digits = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 }).format(
    Math.abs(amount)
  );
  return `${amount < 0 ? MINUS : ""}Rp ${digits}`;
}

/** Whole rupiah from what was typed ("1.500.000", "Rp 1500", ""); NaN when it is not. */
export function parseAmount(value) {
  const plain = value.replace(/[\s.]/g, "").replace(/^rp/i, "");
  if (plain === "") return 0;
  return /^\d{1,16}$/.test(plain) ? Number(plain) : Number.NaN;
}

function monthLabel(period) {
  const [year, month] = period.split("-").map(Number);
  const language = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  return new Intl.DateTimeFormat(language, { month: "long", year: "numeric", timeZone: "UTC" })
    .format(new Date(Date.UTC(year, month - 1, 1)));
}

// --- /pembukuan: the report picker ----------------------------------------------------

function setUpReportForm() {
  const form = document.getElementById("report-form");
  if (!form) return;
  // Send only the fields of the chosen report and period: a short, shareable address.
  form.addEventListener("submit", () => {
    const report = form.elements.namedItem("laporan").value;
    const period = form.elements.namedItem("periode").value;
    for (const field of form.querySelectorAll("[data-for-period], [data-for-report]")) {
      const wanted =
        (field.dataset.forPeriod && field.dataset.forPeriod !== period) ||
        (field.dataset.forReport && field.dataset.forReport !== report);
      for (const control of field.querySelectorAll("input, select")) control.disabled = wanted;
    }
    const compare = form.elements.namedItem("banding");
    if (compare && compare.value === "sebelumnya") compare.disabled = true; // the default
  });
  // Back from the next page: the fields must be usable again.
  window.addEventListener("pageshow", () => {
    for (const control of form.querySelectorAll("input, select")) control.disabled = false;
  });
}

// --- /pembukuan/jurnal: the entry form ------------------------------------------------

function setUpEntryForm() {
  const form = document.getElementById("entry-form");
  if (!form) return;
  const section = form.closest("section");
  const lines = document.getElementById("entry-lines");
  const template = document.getElementById("line-template");
  const totalDebit = document.getElementById("total-debit");
  const totalCredit = document.getElementById("total-credit");
  const balance = document.getElementById("entry-balance");

  const renumber = () => {
    [...lines.children].forEach((fieldset, index) => {
      const n = String(index + 1);
      const old = fieldset.dataset.line;
      fieldset.dataset.line = n;
      fieldset.querySelector("legend").textContent = text("line_legend", { n });
      for (const element of fieldset.querySelectorAll("[id], [for], [aria-describedby]")) {
        for (const attribute of ["id", "for", "aria-describedby"]) {
          const value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace(`line-${old}-`, `line-${n}-`));
        }
      }
      const remove = fieldset.querySelector("[data-remove-line]");
      remove.setAttribute("aria-label", text("remove_line", { n }));
      remove.hidden = lines.children.length <= 2;
    });
  };

  const update = () => {
    let debit = 0;
    let credit = 0;
    let invalid = false;
    for (const input of lines.querySelectorAll('input[name="debit"], input[name="credit"]')) {
      const amount = parseAmount(input.value);
      const bad = Number.isNaN(amount);
      input.setAttribute("aria-invalid", bad ? "true" : "false");
      if (bad) invalid = true;
      else if (input.name === "debit") debit += amount;
      else credit += amount;
    }
    totalDebit.textContent = money(debit);
    totalCredit.textContent = money(credit);
    let state = "empty";
    let message = text("empty_totals");
    if (invalid) {
      state = "invalid";
      message = text("not_rupiah");
    } else if (debit > 0 && debit === credit) {
      state = "balanced";
      message = text("balanced");
    } else if (debit > 0 || credit > 0) {
      state = "unbalanced";
      message = text("unbalanced", { amount: money(Math.abs(debit - credit)) });
    }
    balance.dataset.state = state;
    balance.textContent = message;
  };

  document.getElementById("add-line").addEventListener("click", () => {
    const n = String(lines.children.length + 1);
    const html = template.innerHTML.replaceAll("__N__", n);
    const holder = document.createElement("div");
    holder.innerHTML = html; // our own server-rendered template
    const fieldset = holder.firstElementChild;
    lines.append(fieldset);
    renumber();
    fieldset.querySelector("select").focus();
  });
  lines.addEventListener("click", (event) => {
    const remove = event.target.closest("[data-remove-line]");
    if (!remove) return;
    const fieldset = remove.closest("fieldset");
    const neighbour = fieldset.previousElementSibling || fieldset.nextElementSibling;
    fieldset.remove();
    renumber();
    update();
    if (neighbour) neighbour.querySelector("select").focus();
  });
  lines.addEventListener("input", update);
  renumber();
  update();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = document.getElementById("entry-submit");
    const body = {
      entry_date: form.elements.namedItem("entry_date").value,
      description: form.elements.namedItem("description").value.trim(),
      lines: [],
    };
    for (const fieldset of lines.children) {
      const value = (name) => fieldset.querySelector(`[name="${name}"]`).value.trim();
      const account = value("account");
      const debit = parseAmount(value("debit"));
      const credit = parseAmount(value("credit"));
      const memo = value("memo");
      if (!account && !debit && !credit && !memo) continue; // an unused line
      if (Number.isNaN(debit) || Number.isNaN(credit)) {
        showError(text("not_rupiah"), section);
        return;
      }
      if (!account) {
        showError(text("line_account", { n: fieldset.dataset.line }), section);
        fieldset.querySelector("select").focus();
        return;
      }
      body.lines.push({ account, debit, credit, memo });
    }
    if (body.lines.length < 2) {
      showError(text("too_few_lines"), section);
      return;
    }
    busy(submit, true);
    showStatus(text("saving"), section);
    try {
      const posted = await api("POST", "/api/v1/books/entries", body);
      reloadWith(text("posted", { number: posted.number }), "entries-section");
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(submit, false);
    }
  });
}

// --- /pembukuan/jurnal: the list ------------------------------------------------------

function setUpEntries() {
  const section = document.getElementById("entries-section");
  if (!section) return;

  section.addEventListener("click", (event) => {
    const toggle = event.target.closest("[data-reverse]");
    if (toggle) {
      const form = toggle.parentElement.querySelector(".reverse-form");
      const open = form.hidden;
      form.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) form.querySelector("input").focus();
      return;
    }
    const cancel = event.target.closest("[data-cancel]");
    if (cancel) {
      const form = cancel.closest(".reverse-form");
      form.hidden = true;
      const opener = form.parentElement.querySelector("[data-reverse]");
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
    }
  });

  section.addEventListener("submit", async (event) => {
    const form = event.target.closest(".reverse-form");
    if (!form) return;
    event.preventDefault();
    const number = form.dataset.number;
    const button = form.querySelector('button[type="submit"]');
    busy(button, true);
    showStatus(text("saving"), section);
    try {
      const made = await api("POST", `/api/v1/books/entries/${encodeURIComponent(number)}/reversal`, {
        entry_date: form.elements.namedItem("entry_date").value,
      });
      reloadWith(text("reversed", { number, reversal: made.number }), "entries-section");
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(button, false);
    }
  });

  section.addEventListener("click", async (event) => {
    const more = event.target.closest("#more-entries");
    if (!more) return;
    event.preventDefault();
    const list = document.getElementById("entries");
    more.setAttribute("aria-disabled", "true");
    showStatus(text("loading"), section);
    try {
      const response = await fetch(more.href, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "text/html" },
      });
      if (!response.ok) throw new Error(String(response.status));
      const next = new DOMParser().parseFromString(await response.text(), "text/html");
      const items = [...next.querySelectorAll("#entries > li")];
      for (const item of items) list.append(document.importNode(item, true));
      const nextMore = next.getElementById("more-entries");
      if (nextMore) {
        more.href = nextMore.getAttribute("href");
        more.removeAttribute("aria-disabled");
      } else {
        more.closest(".more").remove();
      }
      showStatus(text("loaded", { count: items.length }), section);
      if (items.length) document.getElementById(items[0].id).querySelector("h3").focus();
    } catch (error) {
      more.removeAttribute("aria-disabled");
      showError(error instanceof TypeError ? text("network") : text("failed"), section);
    }
  });
}

function setUpClosing() {
  const form = document.getElementById("close-form");
  if (!form) return;
  const section = form.closest("section");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const period = form.elements.namedItem("period").value;
    if (!/^\d{4}-\d{2}$/.test(period)) {
      showError(text("month_required"), section);
      return;
    }
    const month = monthLabel(period);
    if (!window.confirm(text("confirm_close", { month }))) return;
    const button = form.querySelector('button[type="submit"]');
    busy(button, true);
    try {
      await api("POST", `/api/v1/books/periods/${period}/close`);
      reloadWith(text("closed", { month }), "close-section");
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(button, false);
    }
  });
}

// --- /pembukuan/akun ------------------------------------------------------------------

function setUpAddAccount() {
  const form = document.getElementById("account-form");
  if (!form) return;
  const section = form.closest("section");
  const type = form.elements.namedItem("type");
  const flow = form.elements.namedItem("cash_flow");
  const code = form.elements.namedItem("code");
  let flowChosen = false;
  flow.addEventListener("change", () => {
    flowChosen = true;
  });
  const follow = () => {
    const digit = type.options[type.selectedIndex].dataset.digit;
    code.placeholder = `${digit}-1150`;
    if (!flowChosen) flow.value = type.value === "ekuitas" ? "pendanaan" : "operasi";
  };
  type.addEventListener("change", follow);
  follow();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    const body = {
      code: code.value.trim(),
      name: form.elements.namedItem("name").value.trim(),
      type: type.value,
      contra: form.elements.namedItem("contra").checked,
      cash_flow: flow.value,
    };
    busy(button, true);
    showStatus(text("saving"), section);
    try {
      const added = await api("POST", "/api/v1/books/accounts", body);
      reloadWith(text("account_added", { code: added.code, name: added.name }), "chart-section");
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(button, false);
    }
  });
}

function setUpChart() {
  const section = document.getElementById("chart-section");
  const dialog = document.getElementById("edit-dialog");
  if (!section || !dialog) return;
  const form = document.getElementById("edit-form");
  const name = form.elements.namedItem("name");
  const flow = form.elements.namedItem("cash_flow");
  let row = null;
  let opener = null;

  section.addEventListener("click", async (event) => {
    const edit = event.target.closest("[data-edit]");
    if (edit) {
      row = edit.closest("tr");
      opener = edit;
      document.getElementById("edit-code").textContent = row.dataset.code;
      name.value = row.dataset.name;
      flow.value = row.dataset.cashFlow;
      showStatus("", dialog);
      dialog.showModal();
      name.focus();
      return;
    }
    const remove = event.target.closest("[data-delete]");
    if (!remove) return;
    const target = remove.closest("tr");
    const code = target.dataset.code;
    if (!window.confirm(text("confirm_delete", { code, name: target.dataset.name }))) return;
    busy(remove, true);
    try {
      await api("DELETE", `/api/v1/books/accounts/${encodeURIComponent(code)}`);
      reloadWith(text("account_deleted", { code }), "chart-section");
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(remove, false);
    }
  });

  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    if (opener) opener.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!row) return;
    const code = row.dataset.code;
    const body = {};
    // Only what changed: an unchanged name stays as stored (the page shows it translated).
    if (name.value.trim() !== row.dataset.name) body.name = name.value.trim();
    if (flow.value !== row.dataset.cashFlow) body.cash_flow = flow.value;
    if (!Object.keys(body).length) {
      dialog.close();
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    busy(button, true);
    try {
      await api("PATCH", `/api/v1/books/accounts/${encodeURIComponent(code)}`, body);
      reloadWith(text("account_changed", { code }), "chart-section");
    } catch (error) {
      showError(explain(error, "get"), dialog);
      busy(button, false);
    }
  });
}

setUpReportForm();
setUpEntryForm();
setUpEntries();
setUpClosing();
setUpAddAccount();
setUpChart();
showFlash();
