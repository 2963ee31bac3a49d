// Loan pages: /pinjaman (an anggota's loans, applying with the schedule previewed first)
// and /pinjaman/kelola (pengurus and kasir: a payment's split before it is saved, the
// payoff, decisions, disbursement, reversal, write-off, the PPAP, products). Every call
// goes through the JSON API with the page's CSRF token; after a change the page is loaded
// again with ?selesai=<what> and says what was done. Texts come from the page.
import { api, busy, explain, showError, showStatus, text } from "/static/passkey.js";

const numberFormat = new Intl.NumberFormat("id-ID");

/** Whole rupiah as the server writes them: "Rp 1.500.000". */
function rupiah(amount) {
  return `${amount < 0 ? "-" : ""}Rp ${numberFormat.format(Math.abs(amount))}`;
}

/** An ISO date as the page's language writes it: "5 Maret 2026". */
function longDate(iso) {
  const language = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  const [year, month, day] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat(language, {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(year, month - 1, day)));
}

/** Digits typed as rupiah ("1.500.000", "Rp 1500000") -> 1500000; NaN when there are none. */
function parseRupiah(value) {
  const digits = value.replace(/[^0-9]/g, "");
  return digits ? Number(digits) : NaN;
}

/** "1,5" or "1.5" (at most two decimals) -> 150 hundredths; NaN otherwise. Exact: no floats. */
function parseHundredths(value) {
  const match = value.trim().match(/^(\d{1,7})(?:[.,](\d{1,2}))?$/);
  if (!match) return NaN;
  return Number(match[1]) * 100 + Number((match[2] || "").padEnd(2, "0"));
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

/** Go back to this page (keeping the chosen loan) and say what was done. */
function reloadWith(done, loan) {
  const url = new URL(window.location.href);
  url.searchParams.delete("produk");
  url.searchParams.set("selesai", done);
  if (loan) url.searchParams.set("pinjaman", String(loan));
  url.hash = loan ? "loan-heading" : "";
  window.location.assign(url.toString());
}

/** A scrolling table region, as the server renders it. */
function scrollTable(label, caption, head, rows) {
  const table = element("table", { className: "table" });
  table.append(element("caption", {}, caption));
  const headRow = element("tr");
  for (const [title, numeric] of head) {
    headRow.append(element("th", { scope: "col", ...(numeric ? { class: "num" } : {}) }, title));
  }
  table.append(element("thead", {}, headRow));
  const body = element("tbody");
  for (const cells of rows) {
    const row = element("tr");
    for (const [value, numeric] of cells) {
      row.append(element("td", numeric ? { class: "num" } : {}, String(value)));
    }
    body.append(row);
  }
  table.append(body);
  return element("div", { className: "table-wrap", tabindex: "0", role: "region", "aria-label": label }, table);
}

function facts(rows) {
  const list = element("dl", { className: "facts" });
  for (const [label, value] of rows) {
    list.append(element("div", {}, element("dt", {}, label), element("dd", {}, value)));
  }
  return list;
}

function scheduleTable(rows) {
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  return scrollTable(
    text("schedule_region"),
    text("schedule_caption", { count: rows.length, total: rupiah(total) }),
    [
      [text("col_number"), true],
      [text("col_due"), false],
      [text("col_principal"), true],
      [text("col_interest"), true],
      [text("col_total"), true],
      [text("col_balance"), true],
    ],
    rows.map((row) => [
      [row.number, true],
      [longDate(row.due_date), false],
      [rupiah(row.principal), true],
      [rupiah(row.interest), true],
      [rupiah(row.total), true],
      [rupiah(row.balance_after), true],
    ])
  );
}

function watchAmount(input) {
  const hint = document.getElementById(`${input.id}-hint`);
  if (!hint) return;
  const original = hint.textContent;
  input.addEventListener("input", () => {
    const value = parseRupiah(input.value);
    hint.textContent = Number.isNaN(value) ? original : text("amount_hint", { amount: rupiah(value) });
  });
}

// Applying: the preview first, then "Kirim pengajuan".

function setUpApply() {
  const form = document.getElementById("apply-form");
  if (!form) return;
  const section = form.closest("section");
  const product = document.getElementById("apply-product");
  const productHint = document.getElementById("apply-product-hint");
  const amount = document.getElementById("apply-amount");
  const term = document.getElementById("apply-term");
  const member = document.getElementById("apply-member");
  const purpose = document.getElementById("apply-purpose");
  const preview = document.getElementById("apply-preview");
  const send = document.getElementById("apply-send");
  let previewed = null; // the body the preview was made for

  watchAmount(amount);

  function describeProduct() {
    const option = product.selectedOptions[0];
    if (!option) return;
    const data = option.dataset;
    productHint.textContent = text("terms", {
      method: data.method,
      rate: data.rate,
      min: data.minTerm,
      max: data.maxTerm,
      low: data.minAmount,
      high: data.maxAmount,
    });
    term.min = data.minTerm;
    term.max = data.maxTerm;
  }
  product.addEventListener("change", describeProduct);

  function body() {
    const made = {
      product_id: Number(product.value),
      principal: parseRupiah(amount.value),
      term_months: Number(term.value),
    };
    if (member) made.member_number = member.value.trim();
    return made;
  }

  function stale() {
    if (!previewed) return;
    previewed = null;
    send.disabled = true;
    showStatus(text("preview_stale"), section);
  }
  for (const input of [product, amount, term, member].filter(Boolean)) {
    input.addEventListener("input", stale);
    input.addEventListener("change", stale);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const wanted = body();
    if (!Number.isSafeInteger(wanted.principal) || wanted.principal <= 0) {
      showError(text("amount_invalid"), section);
      amount.focus();
      return;
    }
    if (!Number.isInteger(wanted.term_months) || wanted.term_months <= 0) {
      showError(text("term_invalid"), section);
      term.focus();
      return;
    }
    const submit = form.querySelector('button[type="submit"]');
    busy(submit, true);
    showStatus(text("loading"), section);
    try {
      const shown = await api("POST", "/api/v1/loans/preview", wanted);
      const rows = [
        [text("fees"), rupiah(shown.fees)],
        [text("net"), rupiah(shown.net_disbursed)],
        [text("total_interest"), rupiah(shown.total_interest)],
        [text("total_payable"), rupiah(shown.total_payable)],
      ];
      const limit = shown.limit;
      const note = limit
        ? limit.available === null
          ? text("no_limit")
          : text("limit", { amount: rupiah(limit.available), savings: rupiah(limit.total_savings) })
        : "";
      preview.replaceChildren(facts(rows), ...(note ? [element("p", { className: "hint" }, note)] : []), scheduleTable(shown.schedule));
      preview.hidden = false;
      previewed = JSON.stringify(wanted);
      send.disabled = false;
      showStatus(text("preview_ready"), section);
      preview.focus();
    } catch (error) {
      preview.hidden = true;
      send.disabled = true;
      showError(explain(error, "get"), section);
    } finally {
      busy(submit, false);
    }
  });

  send.addEventListener("click", async () => {
    const wanted = body();
    if (previewed !== JSON.stringify(wanted)) {
      stale();
      return;
    }
    busy(send, true);
    showStatus(text("saving"), section);
    try {
      const made = await api("POST", "/api/v1/loans/applications", {
        ...wanted,
        purpose: purpose.value.trim(),
      });
      reloadWith("diajukan", form.dataset.forMember === "true" ? null : made.number);
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(send, false);
    }
  });
}

// One loan at the counter: the split of a payment, the payoff, decisions.

function splitTable(plan) {
  return scrollTable(
    text("split_region"),
    text("split_caption", { amount: rupiah(plan.amount) }),
    [
      [text("col_number"), true],
      [text("col_due"), false],
      [text("col_penalty"), true],
      [text("col_interest"), true],
      [text("col_principal"), true],
    ],
    plan.lines.map((line) => [
      [line.installment_number, true],
      [longDate(line.due_date), false],
      [rupiah(line.penalty), true],
      [rupiah(line.interest), true],
      [rupiah(line.principal), true],
    ])
  );
}

function showPlan(holder, plan) {
  const lines = [
    text("split_summary", {
      penalty: rupiah(plan.penalty),
      interest: rupiah(plan.interest),
      principal: rupiah(plan.principal),
    }),
    plan.settles ? text("split_settles") : text("split_after", { amount: rupiah(plan.outstanding_after) }),
  ];
  if (plan.waived_interest) lines.push(text("waived", { amount: rupiah(plan.waived_interest) }));
  holder.replaceChildren(
    ...(plan.kind === "pelunasan" ? [element("p", { className: "payoff-total" }, text("payoff_total", { amount: rupiah(plan.amount) }))] : []),
    element("p", {}, lines.join(" ")),
    splitTable(plan)
  );
  holder.hidden = false;
}

function setUpPayment() {
  const form = document.getElementById("payment-form");
  if (!form) return;
  const section = form.closest("section");
  const amount = document.getElementById("payment-amount");
  const day = document.getElementById("payment-date");
  const split = document.getElementById("payment-split");
  const check = document.getElementById("payment-preview");
  const loan = form.dataset.loan;
  watchAmount(amount);

  function wanted() {
    const value = parseRupiah(amount.value);
    if (!Number.isSafeInteger(value) || value <= 0) {
      showError(text("amount_invalid"), section);
      amount.focus();
      return null;
    }
    return { amount: value, paid_on: day.value || null };
  }

  async function plan() {
    const body = wanted();
    if (!body) return null;
    const made = await api("POST", `/api/v1/loans/${loan}/payments/preview`, body);
    showPlan(split, made);
    return { body, made };
  }

  check.addEventListener("click", async () => {
    busy(check, true);
    try {
      if (await plan()) {
        showStatus("", section);
        split.focus();
      }
    } catch (error) {
      showError(explain(error, "get"), section);
    } finally {
      busy(check, false);
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    busy(submit, true);
    try {
      const planned = await plan();
      if (!planned) return;
      const question = text("confirm_payment", {
        amount: rupiah(planned.body.amount),
        loan: form.dataset.code,
        name: form.dataset.name,
      });
      if (!window.confirm(question)) return;
      const receipt = await api("POST", `/api/v1/loans/${loan}/payments`, planned.body);
      reloadWith(receipt.plan.settles ? "lunas" : "dibayar", loan);
    } catch (error) {
      showError(explain(error, "get"), section);
    } finally {
      busy(submit, false);
    }
  });
}

function setUpPayoff() {
  const form = document.getElementById("payoff-form");
  if (!form) return;
  const section = form.closest("section");
  const day = document.getElementById("payoff-date");
  const result = document.getElementById("payoff-result");
  const check = document.getElementById("payoff-quote");
  const loan = form.dataset.loan;

  async function quote() {
    const query = new URLSearchParams({ on: day.value });
    const made = await api("GET", `/api/v1/loans/${loan}/payoff?${query}`);
    showPlan(result, made);
    return made;
  }

  check.addEventListener("click", async () => {
    busy(check, true);
    try {
      await quote();
      showStatus("", section);
      result.focus();
    } catch (error) {
      showError(explain(error, "get"), section);
    } finally {
      busy(check, false);
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    busy(submit, true);
    try {
      const made = await quote();
      const question = text("confirm_payoff", {
        loan: form.dataset.code,
        name: form.dataset.name,
        amount: rupiah(made.amount),
        waived: rupiah(made.waived_interest),
      });
      if (!window.confirm(question)) return;
      await api("POST", `/api/v1/loans/${loan}/payoff`, { paid_on: day.value || null });
      reloadWith("lunas", loan);
    } catch (error) {
      showError(explain(error, "get"), section);
    } finally {
      busy(submit, false);
    }
  });
}

const ACTIONS = {
  approve: { path: "approve", done: "disetujui" },
  reject: { path: "reject", done: "ditolak", confirm: "confirm_reject" },
  cancel: { path: "cancel", done: "dibatalkan", confirm: "confirm_cancel" },
  disburse: { path: "disburse", done: "dicairkan", confirm: "confirm_disburse" },
};

function setUpDecisions() {
  for (const button of document.querySelectorAll("button.loan-action")) {
    button.addEventListener("click", async () => {
      const form = button.closest("form");
      const data = { ...button.dataset, ...(form ? form.dataset : {}) };
      const action = ACTIONS[button.dataset.action];
      const section = button.closest("section");
      if (action.confirm) {
        const question = text(action.confirm, {
          loan: data.code,
          name: data.name || "",
          principal: data.principal || "",
          fees: data.fees || "",
          net: data.net || "",
        });
        if (!window.confirm(question)) return;
      }
      let body = {};
      if (action.path === "disburse") {
        body = { disbursed_on: document.getElementById("disburse-date").value || null };
      } else {
        const note = document.getElementById("decision-note");
        body = { note: note ? note.value.trim() : "" };
      }
      busy(button, true);
      try {
        await api("POST", `/api/v1/loans/${data.loan}/${action.path}`, body);
        const onManagePage = Boolean(document.getElementById("loan-panel"));
        reloadWith(action.done, onManagePage ? data.loan : null);
      } catch (error) {
        showError(explain(error, "get"), section);
        busy(button, false);
      }
    });
  }
}

function setUpReversal() {
  const holder = document.getElementById("payments");
  if (!holder) return;
  const section = holder.closest("section");
  for (const button of holder.querySelectorAll("button.reverse-payment")) {
    button.addEventListener("click", async () => {
      const reason = window.prompt(text("reason_prompt", { receipt: button.dataset.receiptCode }));
      if (!reason || !reason.trim()) return;
      busy(button, true);
      try {
        const loan = holder.dataset.loan;
        await api("POST", `/api/v1/loans/${loan}/payments/${button.dataset.receipt}/reversal`, {
          reason: reason.trim(),
        });
        reloadWith("pembayaran_dibatalkan", loan);
      } catch (error) {
        showError(explain(error, "get"), section);
        busy(button, false);
      }
    });
  }
}

function setUpWriteOff() {
  const form = document.getElementById("write-off-form");
  if (!form) return;
  const section = form.closest("section");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = text("confirm_write_off", {
      loan: form.dataset.code,
      name: form.dataset.name,
      amount: form.dataset.amount,
    });
    if (!window.confirm(question)) return;
    const submit = form.querySelector('button[type="submit"]');
    busy(submit, true);
    try {
      await api("POST", `/api/v1/loans/${form.dataset.loan}/write-off`, {
        note: form.elements.namedItem("note").value.trim(),
        written_off_on: form.elements.namedItem("written_off_on").value || null,
      });
      reloadWith("dihapusbukukan", form.dataset.loan);
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(submit, false);
    }
  });
}

function setUpPpap() {
  const button = document.getElementById("post-ppap");
  if (!button) return;
  const section = button.closest("section");
  button.addEventListener("click", async () => {
    if (!window.confirm(text("confirm_ppap", { amount: button.dataset.amount }))) return;
    busy(button, true);
    try {
      await api("POST", "/api/v1/loans/ppap", {});
      reloadWith("ppap", null);
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(button, false);
    }
  });
}

function setUpProducts() {
  const form = document.getElementById("product-form");
  if (!form) return;
  const section = form.closest("section");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (name) => form.elements.namedItem(name).value;
    const hundredths = {
      monthly_rate_bp: ["monthly_rate", 1],
      provisi_bp: ["provisi", 1],
      penalty_bp_per_day: ["penalty", 1],
      savings_multiple_bp: ["savings_multiple", 100],
    };
    const body = {
      name: value("name").trim(),
      method: value("method"),
      min_term_months: Number(value("min_term_months")),
      max_term_months: Number(value("max_term_months")),
      min_amount: parseRupiah(value("min_amount")),
      max_amount: parseRupiah(value("max_amount")),
      admin_fee: parseRupiah(value("admin_fee") || "0") || 0,
      active: form.elements.namedItem("active").checked,
    };
    for (const [key, [name, scale]] of Object.entries(hundredths)) {
      const parsed = parseHundredths(value(name));
      if (Number.isNaN(parsed)) {
        showError(text("percent_invalid"), section);
        form.elements.namedItem(name).focus();
        return;
      }
      body[key] = parsed * scale;
    }
    for (const name of ["min_amount", "max_amount"]) {
      if (!Number.isSafeInteger(body[name]) || body[name] <= 0) {
        showError(text("amount_invalid"), section);
        form.elements.namedItem(name).focus();
        return;
      }
    }
    const submit = form.querySelector('button[type="submit"]');
    busy(submit, true);
    try {
      const id = form.dataset.product;
      if (id) await api("PUT", `/api/v1/loans/products/${id}`, body);
      else await api("POST", "/api/v1/loans/products", body);
      reloadWith("produk", null);
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(submit, false);
    }
  });
}

setUpApply();
setUpPayment();
setUpPayoff();
setUpDecisions();
setUpReversal();
setUpWriteOff();
setUpPpap();
setUpProducts();
const done = document.getElementById("done-message");
if (done) {
  const heading = document.getElementById("loan-heading");
  if (heading) heading.focus();
}
