// Savings pages: the member's history ("Muat lagi"), the counter (/simpanan/loket: find a
// member, record a deposit or withdrawal, a member's exit, the savings policy) and the
// receipt (print, share). Every call goes through the JSON API with the page's CSRF token;
// every text shown comes from the page (<template id="koroena-messages">).
import { api, busy, explain, showError, showStatus, text } from "/static/passkey.js";

const numberFormat = new Intl.NumberFormat("id-ID");

/** Whole rupiah as the server writes them: "Rp 1.500.000" (the same in every language). */
export function rupiah(amount) {
  return `${amount < 0 ? "-" : ""}Rp ${numberFormat.format(Math.abs(amount))}`;
}

/** An ISO date (2026-03-05) as the page's language writes it: "5 Maret 2026". */
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

function span(className, content) {
  const node = document.createElement("span");
  if (className) node.className = className;
  node.textContent = content;
  return node;
}

// History: the same markup as savings_pages.history_item().

function historyItem(item) {
  const sign = item.movement === "setor" ? "+" : "−";
  const main = span("history-main", "");
  main.append(
    span("history-kind", item.kind_label),
    span(`history-amount ${item.movement}`, sign + rupiah(item.amount))
  );
  const meta = span("history-meta", "");
  meta.append(
    span("", `${text(item.movement)} · ${longDate(item.movement_date)}`),
    span("history-receipt", item.receipt)
  );
  const link = document.createElement("a");
  link.className = "history-link";
  link.href = `/simpanan/kuitansi/${item.receipt_number}`;
  link.append(
    main,
    meta,
    span("history-balance", text("balance_after", { amount: rupiah(item.balance_after) }))
  );
  const li = document.createElement("li");
  li.className = "history-item";
  li.append(link);
  return li;
}

function setUpHistory() {
  const more = document.getElementById("history-more");
  if (!more) return;
  const section = more.closest("section");
  more.addEventListener("click", async () => {
    let list = document.getElementById("history-list");
    busy(more, true);
    showStatus(text("loading"), section);
    try {
      const query = new URLSearchParams({ before: more.dataset.before || "" });
      const page = await api("GET", `${more.dataset.source}?${query}`);
      if (!list) {
        list = document.createElement("ol");
        list.id = "history-list";
        list.className = "plain-list history";
        more.before(list);
      }
      const added = page.items.map(historyItem);
      list.append(...added);
      if (page.next_before) {
        more.dataset.before = String(page.next_before);
        showStatus("", section);
      } else {
        more.hidden = true;
        showStatus(text("history_end"), section);
      }
      // Keep the place: the first new item's link takes focus (the button may be gone).
      if (added.length) added[0].querySelector("a").focus();
    } catch (error) {
      showError(explain(error, "get"), section);
    } finally {
      busy(more, false);
    }
  });
}

// The receipt: print it, share it.

function setUpReceipt() {
  const print = document.getElementById("receipt-print");
  if (print) print.addEventListener("click", () => window.print());
  const share = document.getElementById("receipt-share");
  if (!share || typeof navigator.share !== "function") return; // the WhatsApp link stays
  share.addEventListener("click", async (event) => {
    const data = {
      title: text("share_title", { receipt: share.dataset.shareTitle || "" }),
      text: share.dataset.shareText || "",
    };
    if (navigator.canShare && !navigator.canShare(data)) return; // follow the link instead
    event.preventDefault();
    try {
      await navigator.share(data);
    } catch {
      // Closed the share sheet: nothing to say.
    }
  });
}

// The counter.

/** Digits typed as rupiah ("150.000", "Rp 150000") -> 150000; NaN when there are none. */
function parseRupiah(value) {
  const digits = value.replace(/[^0-9]/g, "");
  return digits ? Number(digits) : NaN;
}

function setUpCounter() {
  const panel = document.getElementById("member-panel");
  if (!panel) return;
  const search = document.getElementById("member-search");
  const searchForm = document.getElementById("member-search-form");
  const searchStatus = document.getElementById("member-search-status");
  const results = document.getElementById("member-results");
  const heading = document.getElementById("member-heading");
  const memberFacts = document.getElementById("member-facts");
  const arrears = document.getElementById("member-arrears");
  const movementForm = document.getElementById("movement-form");
  const amount = document.getElementById("movement-amount");
  const amountHint = document.getElementById("movement-amount-hint");
  const movementResult = document.getElementById("movement-result");
  const exitForm = document.getElementById("exit-form");
  const exitResult = document.getElementById("exit-result");
  const kindSelect = document.getElementById("movement-kind");
  const hintText = amountHint ? amountHint.textContent : "";
  let chosen = null; // the member's savings, as GET /api/v1/savings/members/{n} answers

  function kindLabel(kind) {
    const option = kindSelect.querySelector(`option[value="${kind}"]`);
    return option ? option.textContent : kind;
  }

  function showMember(savings) {
    chosen = savings;
    heading.textContent = `${savings.member_name} (${savings.member_number})`;
    memberFacts.textContent = savings.left_on
      ? `${savings.status_label} · ${text("left_on", { date: longDate(savings.left_on) })}`
      : savings.status_label;
    for (const cell of panel.querySelectorAll("[data-balance]")) {
      const kind = cell.dataset.balance;
      cell.textContent = rupiah(kind === "total" ? savings.total : savings.balances[kind] || 0);
    }
    arrears.textContent =
      savings.wajib_arrears > 0
        ? text("arrears", {
            amount: rupiah(savings.wajib_arrears),
            months: savings.wajib_months_behind,
          })
        : text("paid_up");
    arrears.classList.toggle("arrears", savings.wajib_arrears > 0);
    panel.hidden = false;
  }

  async function choose(number) {
    showStatus(text("loading"));
    try {
      const savings = await api("GET", `/api/v1/savings/members/${encodeURIComponent(number)}`);
      movementResult.hidden = true;
      if (exitResult) exitResult.hidden = true;
      showMember(savings);
      showStatus(
        text("member_chosen", { name: savings.member_name, number: savings.member_number })
      );
      heading.focus();
    } catch (error) {
      showError(explain(error, "get"));
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-member]");
    if (button) choose(button.dataset.member);
  });

  function memberButton(member) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "member-choice";
    button.dataset.member = member.member_number;
    button.dataset.name = member.full_name;
    button.textContent = `${member.member_number} · ${member.full_name}`;
    li.append(button);
    if (member.status !== "aktif") li.append(span("tag", member.status_label));
    return li;
  }

  let searchTimer = 0;
  let searchRun = 0;
  async function runSearch() {
    const run = ++searchRun;
    searchStatus.textContent = text("searching");
    try {
      const query = new URLSearchParams({ q: search.value.trim(), limit: "20" });
      const found = await api("GET", `/api/v1/members?${query}`);
      if (run !== searchRun) return; // a newer search is on its way
      results.replaceChildren(...found.map(memberButton));
      searchStatus.textContent = found.length ? "" : text("no_members");
    } catch (error) {
      if (run === searchRun) searchStatus.textContent = explain(error, "get");
    }
  }
  search.addEventListener("input", () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(runSearch, 250);
  });
  searchForm.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(searchTimer);
    runSearch();
  });

  amount.addEventListener("input", () => {
    const value = parseRupiah(amount.value);
    amountHint.textContent = Number.isNaN(value)
      ? hintText
      : text("amount_hint", { amount: rupiah(value) });
  });

  movementForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!chosen) return;
    const submit = movementForm.querySelector('button[type="submit"]');
    const value = parseRupiah(amount.value);
    if (!Number.isSafeInteger(value) || value <= 0) {
      showError(text("amount_invalid"), panel);
      amount.focus();
      return;
    }
    const movement = movementForm.elements.namedItem("movement").value;
    const body = {
      member_number: chosen.member_number,
      kind: kindSelect.value,
      movement,
      amount: value,
      movement_date: movementForm.elements.namedItem("movement_date").value || null,
    };
    busy(submit, true);
    movementResult.hidden = true;
    try {
      const made = await api("POST", "/api/v1/savings/movements", body);
      showStatus(
        text("recorded", {
          movement: text(movement),
          kind: kindLabel(made.kind).toLowerCase(),
          amount: rupiah(made.amount),
          name: made.member_name,
        }),
        panel
      );
      showReceiptLinks(movementResult, [made]);
      amount.value = "";
      amountHint.textContent = hintText;
      const number = encodeURIComponent(made.member_number);
      showMember(await api("GET", `/api/v1/savings/members/${number}`));
    } catch (error) {
      showError(explain(error, "get"), panel);
    } finally {
      busy(submit, false);
    }
  });

  function showReceiptLinks(holder, receipts) {
    holder.replaceChildren();
    for (const receipt of receipts) {
      const link = document.createElement("a");
      link.className = "button button-secondary receipt-link";
      link.href = `/simpanan/kuitansi/${receipt.receipt_number}`;
      link.textContent = text("view_receipt", { receipt: receipt.receipt });
      holder.append(link);
    }
    holder.hidden = receipts.length === 0;
    const first = holder.querySelector("a");
    if (first) first.focus();
  }

  if (exitForm) {
    exitForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!chosen) return;
      const submit = exitForm.querySelector('button[type="submit"]');
      const exitDate = exitForm.elements.namedItem("exit_date").value;
      const amounts = Object.entries(chosen.balances)
        .filter(([, value]) => value > 0)
        .map(([kind, value]) => `${kindLabel(kind)} ${rupiah(value)}`);
      const question = text("confirm_exit", {
        name: chosen.member_name,
        number: chosen.member_number,
        date: exitDate ? longDate(exitDate) : "",
        amounts: amounts.length ? amounts.join(", ") : text("nothing_to_return"),
        total: rupiah(chosen.total),
      });
      if (!window.confirm(question)) return;
      busy(submit, true);
      try {
        const number = encodeURIComponent(chosen.member_number);
        const done = await api("POST", `/api/v1/savings/members/${number}/exit`, {
          exit_date: exitDate,
        });
        showStatus(text("exit_done", { name: done.member_name, total: rupiah(done.total) }), panel);
        showReceiptLinks(exitResult, done.receipts);
        showMember(await api("GET", `/api/v1/savings/members/${number}`));
      } catch (error) {
        showError(explain(error, "get"), panel);
      } finally {
        busy(submit, false);
      }
    });
  }
}

function setUpPolicy() {
  const form = document.getElementById("policy-form");
  if (!form) return;
  const section = form.closest("section");
  for (const name of ["pokok_amount", "wajib_monthly"]) {
    const input = form.elements.namedItem(name);
    const hint = document.getElementById(`${input.id}-hint`);
    input.addEventListener("input", () => {
      const value = parseRupiah(input.value);
      if (hint && !Number.isNaN(value)) hint.textContent = rupiah(value);
    });
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    const value = (name) => form.elements.namedItem(name).value;
    const body = {
      pokok_amount: parseRupiah(value("pokok_amount")),
      wajib_monthly: parseRupiah(value("wajib_monthly")),
      pokok_account: value("pokok_account"),
      wajib_account: value("wajib_account"),
      sukarela_account: value("sukarela_account"),
      cash_account: value("cash_account"),
    };
    if (!Number.isSafeInteger(body.pokok_amount) || !Number.isSafeInteger(body.wajib_monthly)) {
      showError(text("amount_invalid"), section);
      return;
    }
    busy(submit, true);
    try {
      await api("PUT", "/api/v1/savings/policy", body);
      showStatus(text("policy_saved"), section);
    } catch (error) {
      showError(explain(error, "get"), section);
    } finally {
      busy(submit, false);
    }
  });
}

setUpHistory();
setUpReceipt();
setUpCounter();
setUpPolicy();
