// The shop pages: /toko (add and change products, make them inactive or active again,
// import a product list from Excel/CSV, the shop settings) and /toko/stok (a purchase, an
// adjustment, a stock count, more history). Every call goes through the JSON API with the
// page's CSRF token; every text shown comes from the page (<template id="koroena-messages">).
// After a change that alters what the page shows, the page reloads and says what was done.
import { ApiError, api, busy, showError, showStatus, text } from "/static/passkey.js";

const NOTICE = "koroena-shop-notice";
const STORE_ROOM = "-";
const numberFormat = new Intl.NumberFormat("id-ID");

function rupiah(amount) {
  return `${amount < 0 ? "-" : ""}Rp ${numberFormat.format(Math.abs(amount))}`;
}

function explain(error) {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return text("network");
  return text("failed");
}

/** Show a refusal in `where`, and put the cursor on the field it names. */
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

const field = (form, name) => form.elements.namedItem(name);

function wholeNumber(input) {
  const value = input.value.trim();
  return value === "" ? null : Number(value);
}

function outletOf(select) {
  return !select.value || select.value === STORE_ROOM ? null : select.value;
}

// /toko: products.

function setUpProductForm() {
  const form = document.getElementById("product-form");
  if (!form) return;
  const panel = form.closest("section");
  const heading = document.getElementById("product-form-heading");
  const cancel = document.getElementById("product-cancel");
  const sku = field(form, "sku");
  const addHeading = heading.textContent;
  let editing = null;

  function reset() {
    editing = null;
    form.reset();
    sku.readOnly = false;
    heading.textContent = addHeading;
    cancel.hidden = true;
  }

  function body() {
    const values = {
      name: field(form, "name").value,
      barcode: field(form, "barcode").value,
      category: field(form, "category").value,
      unit: field(form, "unit").value,
      price: wholeNumber(field(form, "price")) ?? 0,
      member_price: wholeNumber(field(form, "member_price")),
      cost_price: wholeNumber(field(form, "cost_price")) ?? 0,
      track_stock: field(form, "track_stock").checked,
      min_stock: wholeNumber(field(form, "min_stock")) ?? 0,
      active: field(form, "active").checked,
    };
    if (!editing) values.sku = sku.value;
    return values;
  }

  for (const button of document.querySelectorAll("[data-edit]")) {
    button.addEventListener("click", () => {
      const product = JSON.parse(button.dataset.edit);
      editing = product.sku;
      sku.value = product.sku;
      sku.readOnly = true;
      for (const name of ["name", "barcode", "category", "unit", "price", "cost_price", "min_stock"]) {
        field(form, name).value = product[name] ?? "";
      }
      field(form, "member_price").value = product.member_price ?? "";
      field(form, "track_stock").checked = product.track_stock;
      field(form, "active").checked = product.active;
      heading.textContent = text("edit_heading", { sku: product.sku });
      cancel.hidden = false;
      showStatus("", panel);
      panel.scrollIntoView({ block: "start" });
      field(form, "name").focus();
    });
  }
  cancel.addEventListener("click", () => {
    reset();
    sku.focus();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    busy(submit, true);
    showStatus(text("saving"), panel);
    try {
      const product = editing
        ? await api("PATCH", `/api/v1/catalog/products/${encodeURIComponent(editing)}`, body())
        : await api("POST", "/api/v1/catalog/products", body());
      const key = editing ? "product_saved" : "product_added";
      reloadWith(text(key, { name: product.name }));
    } catch (error) {
      refuse(error, panel, form);
      busy(submit, false);
    }
  });
}

function setUpToggles() {
  const panel = document.getElementById("products-panel");
  for (const button of document.querySelectorAll("[data-toggle]")) {
    button.addEventListener("click", async () => {
      const active = button.dataset.active !== "1";
      const name = button.dataset.name;
      busy(button, true);
      try {
        await api("PATCH", `/api/v1/catalog/products/${encodeURIComponent(button.dataset.toggle)}`, {
          active,
        });
        const item = button.closest(".product-item");
        item.classList.toggle("product-inactive", !active);
        const tag = item.querySelector("[data-inactive]");
        if (!active && !tag) {
          const tagNode = node("span", { className: "tag tag-off", "data-inactive": true }, text("inactive"));
          item.querySelector(".product-name").after(" ", tagNode);
        } else if (active && tag) {
          tag.remove();
        }
        button.dataset.active = active ? "1" : "0";
        button.textContent = text(active ? "deactivate" : "activate");
        button.setAttribute("aria-label", `${button.textContent} ${name}`);
        showStatus(text(active ? "activated" : "deactivated", { name }), panel);
      } catch (error) {
        showError(explain(error), panel);
      } finally {
        busy(button, false);
      }
    });
  }
}

function setUpSettings() {
  const form = document.getElementById("settings-form");
  if (!form) return;
  const panel = form.closest("section");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    busy(submit, true);
    showStatus(text("saving"), panel);
    try {
      await api("PUT", "/api/v1/catalog/settings", {
        max_discount_percent: wholeNumber(field(form, "max_discount_percent")) ?? 0,
        qris_payload: field(form, "qris_payload").value.trim(),
      });
      reloadWith(text("settings_saved"));
    } catch (error) {
      refuse(error, panel, form);
      busy(submit, false);
    }
  });
}

// /toko: the import.

function previewTable(data, fileName) {
  const head = node(
    "tr",
    {},
    node("th", { scope: "col" }, text("row")),
    node("th", { scope: "col" }, "SKU"),
    node("th", { scope: "col" }, data.columns.name),
    node("th", { scope: "col", className: "num" }, data.columns.price),
    node("th", { scope: "col" }, text("remarks"))
  );
  const body = node("tbody");
  for (const row of data.rows) {
    const remarks = node("td", { className: "remarks" }, node("strong", {}, row.action_label));
    if (row.changes.length) {
      remarks.append(node("span", { className: "row-note" }, text("changes", { fields: row.changes.join(", ") })));
    }
    if (row.issues.length) {
      const reasons = node("ul", { className: "reasons" });
      for (const issue of row.issues) reasons.append(node("li", {}, issue.message));
      remarks.append(reasons);
    }
    body.append(
      node(
        "tr",
        { className: `row-${row.action}` },
        node("th", { scope: "row" }, row.row),
        node("td", {}, row.sku),
        node("td", {}, row.name),
        node("td", { className: "num" }, row.price),
        remarks
      )
    );
  }
  const captionId = "catalog-preview-caption";
  return node(
    "div",
    { className: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": captionId },
    node(
      "table",
      { className: "table preview-table" },
      node("caption", { id: captionId }, `${text("caption", { file: fileName })} · ${data.summary}`),
      node("thead", {}, head),
      body
    )
  );
}

function setUpImport() {
  const form = document.getElementById("catalog-import-form");
  if (!form) return;
  const panel = form.closest("section");
  const holder = document.getElementById("catalog-preview");
  const check = form.querySelector('button[type="submit"]');
  const commit = form.querySelector("[data-commit]");
  const fileInput = field(form, "file");
  const update = field(form, "update_existing");
  const maxBytes = Number(form.dataset.maxBytes || 0);
  const labels = { name: text("name_column"), price: text("price_column") };
  let checked = false;

  function invalidate() {
    if (checked) showStatus(text("changed"), panel);
    checked = false;
    commit.disabled = true;
  }
  fileInput.addEventListener("change", invalidate);
  update.addEventListener("change", invalidate);

  function chosen() {
    const file = fileInput.files && fileInput.files[0];
    if (!file) {
      showError(text("choose_file"), panel);
      fileInput.focus();
      return null;
    }
    if (maxBytes && file.size > maxBytes) {
      showError(text("too_large", { size: Math.floor(maxBytes / (1024 * 1024)) }), panel);
      return null;
    }
    return file;
  }

  function formData(file) {
    const data = new FormData();
    data.append("update_existing", update.checked ? "1" : "");
    data.append("file", file, file.name);
    return data;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = chosen();
    if (!file) return;
    commit.disabled = true;
    busy(check, true);
    showStatus(text("checking"), panel);
    try {
      const data = await api("POST", "/api/v1/catalog/imports/preview", formData(file));
      checked = true;
      commit.disabled = !data.ready;
      const heading = node("h3", { tabindex: "-1" }, text("result_heading"));
      holder.replaceChildren(
        heading,
        node("p", { className: data.ready ? "status-box" : "error-box" }, data.summary)
      );
      if (data.problems.length) {
        const list = node("ul", { className: "problems" });
        for (const problem of data.problems) list.append(node("li", {}, problem.message));
        holder.append(node("h4", {}, text("problems")), list);
      }
      if (data.rows.length) holder.append(previewTable({ ...data, columns: labels }, file.name));
      holder.hidden = false;
      showStatus("", panel);
      heading.focus();
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
      const result = await api("POST", "/api/v1/catalog/imports", formData(file));
      reloadWith(result.message);
    } catch (error) {
      showError(explain(error), panel);
      busy(commit, false);
      commit.disabled = true;
      checked = false;
      busy(check, false);
    }
  });
}

// /toko/stok: purchase, adjustment, count, history.

function setUpPurchase() {
  const form = document.getElementById("purchase-form");
  if (!form) return;
  const panel = form.closest("section");
  const lines = document.getElementById("purchase-lines");
  const add = document.getElementById("purchase-add");
  const total = document.getElementById("purchase-total");
  const template = lines.querySelector(".purchase-line").cloneNode(true);

  function renumber() {
    const all = [...lines.querySelectorAll(".purchase-line")];
    all.forEach((line, index) => {
      const n = index + 1;
      line.dataset.line = String(n);
      line.querySelector("legend").textContent = text("line", { n });
      for (const control of line.querySelectorAll("select, input")) {
        const id = `purchase-${n}-${control.id.split("-").pop()}`;
        const label = line.querySelector(`label[for="${control.id}"]`);
        control.id = id;
        if (label) label.htmlFor = id;
      }
      const remove = line.querySelector("[data-remove-line]");
      remove.textContent = text("remove_line", { n });
      remove.hidden = all.length === 1;
    });
  }

  function sum() {
    let amount = 0;
    for (const line of lines.querySelectorAll(".purchase-line")) {
      const quantity = wholeNumber(line.querySelector('[name="quantity"]')) || 0;
      const cost = wholeNumber(line.querySelector('[name="unit_cost"]')) || 0;
      amount += quantity * cost;
    }
    total.textContent = text("total", { amount: rupiah(amount) });
  }

  lines.addEventListener("change", (event) => {
    const target = event.target;
    if (target.name === "sku") {
      const cost = target.closest(".purchase-line").querySelector('[name="unit_cost"]');
      const option = target.selectedOptions[0];
      if (option && option.dataset.cost && !cost.value) cost.value = option.dataset.cost;
    }
    sum();
  });
  lines.addEventListener("input", sum);
  lines.addEventListener("click", (event) => {
    const remove = event.target.closest("[data-remove-line]");
    if (!remove) return;
    remove.closest(".purchase-line").remove();
    renumber();
    sum();
    add.focus();
  });
  add.addEventListener("click", () => {
    const line = template.cloneNode(true);
    for (const control of line.querySelectorAll("input")) control.value = "";
    lines.append(line);
    renumber();
    line.querySelector("select").focus();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    const items = [];
    for (const line of lines.querySelectorAll(".purchase-line")) {
      const sku = line.querySelector('[name="sku"]').value;
      const quantity = wholeNumber(line.querySelector('[name="quantity"]'));
      const cost = wholeNumber(line.querySelector('[name="unit_cost"]'));
      if (!sku && quantity === null && cost === null) continue;
      items.push({ sku, quantity: quantity ?? 0, unit_cost: cost ?? 0 });
    }
    busy(submit, true);
    showStatus(text("saving"), panel);
    try {
      const result = await api("POST", "/api/v1/inventory/purchases", {
        outlet: outletOf(field(form, "outlet")),
        purchase_date: field(form, "purchase_date").value || null,
        payment: form.querySelector('input[name="payment"]:checked').value,
        reference: field(form, "reference").value,
        lines: items,
      });
      reloadWith(result.message);
    } catch (error) {
      showError(explain(error), panel);
      busy(submit, false);
    }
  });
}

function setUpAdjustment() {
  const form = document.getElementById("adjustment-form");
  if (!form) return;
  const panel = form.closest("section");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    const direction = Number(form.querySelector('input[name="direction"]:checked').value);
    busy(submit, true);
    showStatus(text("saving"), panel);
    try {
      const result = await api("POST", "/api/v1/inventory/adjustments", {
        outlet: outletOf(field(form, "outlet")),
        sku: field(form, "sku").value,
        quantity: direction * (wholeNumber(field(form, "quantity")) ?? 0),
        reason: field(form, "reason").value,
        adjustment_date: field(form, "adjustment_date").value || null,
      });
      reloadWith(result.message);
    } catch (error) {
      refuse(error, panel, form);
      busy(submit, false);
    }
  });
}

function setUpCount() {
  const form = document.getElementById("count-form");
  if (!form) return;
  const panel = form.closest("section");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    const lines = [];
    for (const input of form.querySelectorAll("input[data-sku]")) {
      const counted = wholeNumber(input);
      if (counted !== null) lines.push({ sku: input.dataset.sku, counted });
    }
    if (!lines.length) {
      showError(text("nothing_counted"), panel);
      return;
    }
    busy(submit, true);
    showStatus(text("saving"), panel);
    try {
      const result = await api("POST", "/api/v1/inventory/counts", {
        outlet: outletOf(field(form, "outlet")),
        count_date: field(form, "count_date").value || null,
        note: field(form, "note").value,
        lines,
      });
      reloadWith(result.message);
    } catch (error) {
      showError(explain(error), panel);
      busy(submit, false);
    }
  });
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

/** One movement: the same markup as shop_pages.movement_item(). */
function movementItem(item) {
  const plus = item.quantity > 0;
  const entry = item.entry_number ? text("entry", { number: item.entry_number }) : "";
  const details = [item.kind_label, item.outlet || text("store_room"), item.reference, item.note, entry]
    .filter(Boolean)
    .join(" · ");
  return node(
    "li",
    { className: "movement-item" },
    node(
      "p",
      {},
      node("strong", {}, item.name),
      " ",
      node(
        "span",
        { className: `movement-quantity ${plus ? "plus" : "minus"}` },
        `${plus ? "+" : "−"}${numberFormat.format(Math.abs(item.quantity))}`
      )
    ),
    node("p", { className: "muted" }, details),
    node("p", { className: "muted movement-time" }, when(item.created_at))
  );
}

function setUpHistory() {
  const more = document.getElementById("movement-more");
  if (!more) return;
  const panel = more.closest("section");
  more.addEventListener("click", async () => {
    busy(more, true);
    showStatus(text("loading"), panel);
    try {
      const query = new URLSearchParams({ before: more.dataset.before, limit: "20" });
      const page = await api("GET", `/api/v1/inventory/movements?${query}`);
      const list = document.getElementById("movement-list");
      const added = page.items.map(movementItem);
      list.append(...added);
      if (page.next_before) {
        more.dataset.before = String(page.next_before);
        showStatus("", panel);
      } else {
        more.hidden = true;
        showStatus(text("history_end"), panel);
      }
    } catch (error) {
      showError(explain(error), panel);
    } finally {
      busy(more, false);
    }
  });
}

showRemembered();
setUpProductForm();
setUpToggles();
setUpSettings();
setUpImport();
setUpPurchase();
setUpAdjustment();
setUpCount();
setUpHistory();
