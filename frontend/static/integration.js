// /toko/integrasi (pengurus): API keys for other retail apps (make one — shown once, with
// a copy button — and revoke one after a confirmation) and the upload of a sales CSV
// ("Periksa", then "Impor" with one result per sale). Every call goes through the JSON API
// with the page's CSRF token; every text shown comes from the page
// (<template id="koroena-messages">).
import { ApiError, api, busy, showError, showStatus, text } from "/static/passkey.js";

const NOTICE = "koroena-integration-notice";

function explain(error) {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return text("network");
  return text("failed");
}

function refuse(error, where, form) {
  showError(explain(error), where);
  const detail = error && error.details && error.details[0];
  const control = detail && detail.field && form && form.elements.namedItem(detail.field);
  if (control && typeof control.focus === "function") control.focus();
}

function reloadWith(message) {
  try {
    sessionStorage.setItem(NOTICE, message);
  } catch {
    // No storage: the change is visible on the reloaded page anyway.
  }
  window.location.reload();
}

function showRemembered() {
  let message = null;
  try {
    message = sessionStorage.getItem(NOTICE);
    sessionStorage.removeItem(NOTICE);
  } catch {
    return;
  }
  if (message) showStatus(message);
}

function node(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "className") element.className = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === "") continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function when(iso) {
  const language = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  const formatted = new Intl.DateTimeFormat(language, {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Asia/Jakarta",
  }).format(new Date(iso));
  return `${formatted} WIB`;
}

// API keys.

/** A new key in the list: the same markup as integration_pages.token_item(). */
function tokenItem(info) {
  return node(
    "li",
    { className: "token-item", id: `kunci-${info.id}` },
    node("p", {}, node("strong", {}, info.name), " ", node("span", { className: "tag tag-active" }, text("active"))),
    node("p", { className: "muted token-facts" }, text("token_facts", { prefix: info.prefix, device: info.device })),
    node(
      "p",
      { className: "muted token-time" },
      `${text("made_at", { when: when(info.created_at) })} · ${text("never_used")}`
    ),
    node(
      "p",
      { className: "actions" },
      node(
        "button",
        {
          type: "button",
          className: "button button-danger",
          "data-revoke": info.id,
          "data-name": info.name,
        },
        text("revoke", { name: info.name })
      )
    )
  );
}

function setUpTokens() {
  const form = document.getElementById("token-form");
  if (!form) return;
  const panel = form.closest("section");
  const list = document.getElementById("token-list");
  const empty = document.getElementById("token-empty");
  const once = document.getElementById("token-once");
  const value = document.getElementById("token-value");
  const copy = document.getElementById("token-copy");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    busy(submit, true);
    showStatus(text("saving"), panel);
    try {
      const made = await api("POST", "/api/v1/pos/tokens", {
        name: form.elements.namedItem("name").value,
        outlet_code: form.elements.namedItem("outlet_code").value,
      });
      list.append(tokenItem(made.info));
      empty.hidden = true;
      value.value = made.token;
      once.hidden = false;
      form.reset();
      showStatus(text("token_made", { name: made.info.name }), panel);
      value.focus();
      value.select();
    } catch (error) {
      refuse(error, panel, form);
    } finally {
      busy(submit, false);
    }
  });

  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(value.value);
      showStatus(text("copied"), panel);
    } catch {
      value.focus();
      value.select();
      showError(text("copy_failed"), panel);
    }
  });

  list.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-revoke]");
    if (!button) return;
    const name = button.dataset.name;
    if (!window.confirm(text("confirm_revoke", { name }))) return;
    busy(button, true);
    showStatus(text("saving"), panel);
    try {
      await api("DELETE", `/api/v1/pos/tokens/${encodeURIComponent(button.dataset.revoke)}`);
      reloadWith(text("revoked", { name }));
    } catch (error) {
      showError(explain(error), panel);
      busy(button, false);
    }
  });
}

// CSV upload.

function resultsTable(results, fileName) {
  const body = node("tbody");
  for (const result of results) {
    const notes = [];
    if (result.receipt_number) notes.push(text("receipt", { number: result.receipt_number }));
    if (result.message) notes.push(result.message);
    if (result.late) notes.push(text("late"));
    if (result.oversold) notes.push(text("oversold"));
    body.append(
      node(
        "tr",
        { className: `result-${result.status}` },
        node("th", { scope: "row" }, result.id),
        node("td", {}, node("strong", {}, text(result.status))),
        node("td", {}, notes.join(" · "))
      )
    );
  }
  const caption = text("results_caption", { file: fileName });
  return node(
    "div",
    { className: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    node(
      "table",
      { className: "table results-table" },
      node("caption", {}, caption),
      node(
        "thead",
        {},
        node(
          "tr",
          {},
          node("th", { scope: "col" }, text("transaction")),
          node("th", { scope: "col" }, text("outcome")),
          node("th", { scope: "col" }, text("remarks"))
        )
      ),
      body
    )
  );
}

function setUpCsv() {
  const form = document.getElementById("sales-csv-form");
  if (!form) return;
  const panel = form.closest("section");
  const holder = document.getElementById("sales-result");
  const check = form.querySelector('button[type="submit"]');
  const commit = form.querySelector("[data-commit]");
  const fileInput = form.elements.namedItem("file");
  const outlet = form.elements.namedItem("outlet_code");
  const maxBytes = Number(form.dataset.maxBytes || 0);
  let checked = false;

  function invalidate() {
    if (checked) showStatus(text("changed"), panel);
    checked = false;
    commit.disabled = true;
  }
  fileInput.addEventListener("change", invalidate);
  outlet.addEventListener("change", invalidate);

  function chosen() {
    const file = fileInput.files && fileInput.files[0];
    if (!file) {
      showError(text("choose_file"), panel);
      fileInput.focus();
      return null;
    }
    if (maxBytes && file.size > maxBytes) {
      showError(text("too_large", { size: Math.floor(maxBytes / 1_000_000) }), panel);
      return null;
    }
    return file;
  }

  function formData(file, commitNow) {
    const data = new FormData();
    data.append("outlet_code", outlet.value);
    data.append("commit", commitNow ? "true" : "false");
    data.append("file", file, file.name);
    return data;
  }

  function show(data, file, committed) {
    const heading = node("h3", { tabindex: "-1" }, text("result_heading"));
    let summary;
    if (committed) {
      const count = (status) => data.results.filter((r) => r.status === status).length;
      summary = text("imported", {
        created: count("created"),
        duplicate: count("duplicate"),
        rejected: count("rejected") + count("conflict"),
      });
    } else {
      summary = text("checked", { sales: data.sales, refused: data.rows_refused.length });
    }
    const good = data.rows_refused.length === 0;
    holder.replaceChildren(heading, node("p", { className: good ? "status-box" : "error-box" }, summary));
    if (data.rows_refused.length) {
      const list = node("ul", { className: "problems" });
      for (const row of data.rows_refused) {
        list.append(node("li", {}, text("refused_row", { row: row.row, reason: row.reason })));
      }
      holder.append(node("h4", {}, text("refused_heading")), list);
    }
    if (committed && data.results.length) holder.append(resultsTable(data.results, file.name));
    holder.hidden = false;
    heading.focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = chosen();
    if (!file) return;
    commit.disabled = true;
    busy(check, true);
    showStatus(text("checking"), panel);
    try {
      const data = await api("POST", "/api/v1/pos/imports/sales-csv", formData(file, false));
      checked = true;
      commit.disabled = data.sales === 0;
      showStatus("", panel);
      show(data, file, false);
    } catch (error) {
      checked = false;
      holder.hidden = true;
      holder.replaceChildren();
      showError(explain(error), panel);
    } finally {
      busy(check, false);
    }
  });

  commit.addEventListener("click", async () => {
    const file = chosen();
    if (!file || !checked) return;
    busy(commit, true);
    busy(check, true);
    showStatus(text("importing"), panel);
    try {
      const data = await api("POST", "/api/v1/pos/imports/sales-csv", formData(file, true));
      showStatus("", panel);
      show(data, file, true);
    } catch (error) {
      showError(explain(error), panel);
    } finally {
      busy(check, false);
      busy(commit, false);
      commit.disabled = true;
      checked = false;
    }
  });
}

showRemembered();
setUpTokens();
setUpCsv();
