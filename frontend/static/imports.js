// The import page (/pembukuan/impor): check an uploaded spreadsheet ("Periksa": every row
// with its status and, for bad rows, why; nothing is stored), then send the same file
// again to import it ("Impor", only once the check found nothing wrong). Uploads are
// multipart forms with the page's CSRF token; texts come from the page
// (<template id="koroena-messages">).
import { ApiError, api, busy, showError, showStatus, text } from "/static/passkey.js";

const MAX_LISTED_PROBLEMS = 20;

function explain(error) {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return text("network");
  return text("failed");
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

function problemList(problems) {
  const shown = problems.slice(0, MAX_LISTED_PROBLEMS);
  const list = node("ul", { className: "problems" });
  for (const problem of shown) {
    const where = problem.row ? `${text("row")} ${problem.row}: ` : "";
    list.append(node("li", {}, where + problem.message));
  }
  if (problems.length > shown.length) {
    list.append(node("li", {}, text("more_problems", { count: problems.length - shown.length })));
  }
  return list;
}

function totalsList(totals) {
  const list = node("dl", { className: "facts totals" });
  for (const total of totals) {
    list.append(node("div", {}, node("dt", {}, total.label), node("dd", {}, total.text)));
  }
  return list;
}

function previewTable(kind, data, fileName) {
  const captionId = `${kind}-preview-caption`;
  const head = node("tr", {}, node("th", { scope: "col" }, text("row")));
  for (const column of data.columns) {
    head.append(node("th", { scope: "col", className: column.numeric ? "num" : null }, column.label));
  }
  head.append(node("th", { scope: "col" }, text("remarks")));
  const body = node("tbody");
  for (const row of data.rows) {
    const tr = node("tr", { className: `row-${row.status}` });
    tr.append(node("th", { scope: "row" }, row.row));
    row.cells.forEach((value, index) => {
      const column = data.columns[index];
      const bad = row.issues.some((issue) => issue.field === column.key);
      tr.append(
        node("td", { className: [column.numeric ? "num" : "", bad ? "cell-bad" : ""].join(" ").trim() || null }, value)
      );
    });
    const remarks = node("td", { className: "remarks" }, node("strong", {}, row.status_label));
    if (row.issues.length) {
      const reasons = node("ul", { className: "reasons" });
      for (const issue of row.issues) reasons.append(node("li", {}, issue.message));
      remarks.append(reasons);
    }
    if (row.note) remarks.append(node("span", { className: "row-note" }, row.note));
    tr.append(remarks);
    body.append(tr);
  }
  const table = node(
    "table",
    { className: "table preview-table" },
    node("caption", { id: captionId }, `${text("caption", { file: fileName })} · ${data.summary}`),
    node("thead", {}, head),
    body
  );
  // A wide table scrolls sideways inside its own box; the box can take focus to scroll.
  return node(
    "div",
    { className: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": captionId },
    table
  );
}

function renderPreview(holder, kind, data, fileName) {
  const heading = node("h3", { tabindex: "-1" }, text("result_heading"));
  const summary = node("p", { className: data.ready ? "status-box" : "error-box" }, data.summary);
  holder.replaceChildren(heading, summary);
  if (data.problems.length) {
    holder.append(node("h4", {}, text("problems")), problemList(data.problems));
  }
  holder.append(totalsList(data.totals));
  if (data.rows.length) holder.append(previewTable(kind, data, fileName));
  holder.hidden = false;
  heading.focus();
}

function updateSuspense(result) {
  const balance = document.getElementById("suspense-balance");
  const note = document.getElementById("suspense-note");
  if (balance) balance.textContent = result.suspense_text;
  if (note) {
    note.textContent = result.suspense_note;
    note.className = result.suspense_balance === 0 ? "muted" : "notice";
  }
}

function setUp(form) {
  const kind = form.dataset.kind;
  const panel = form.closest("section");
  const holder = document.getElementById(`${kind}-preview`);
  const checkButton = form.querySelector('button[type="submit"]');
  const commitButton = form.querySelector("[data-commit]");
  const fileInput = form.elements.namedItem("file");
  const dateInput = form.elements.namedItem("opening_date");
  const maxBytes = Number(form.dataset.maxBytes || 0);
  let checked = false;

  function invalidate() {
    if (checked) showStatus(text("changed"), panel);
    checked = false;
    commitButton.disabled = true;
  }

  function chosenFile() {
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
    data.append("opening_date", dateInput.value);
    data.append("file", file, file.name);
    return data;
  }

  fileInput.addEventListener("change", invalidate);
  dateInput.addEventListener("change", invalidate);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = chosenFile();
    if (!file) return;
    commitButton.disabled = true;
    busy(checkButton, true);
    showStatus(text("checking"), panel);
    try {
      const data = await api("POST", form.dataset.preview, formData(file));
      checked = true;
      commitButton.disabled = !data.ready;
      showStatus(text("checked"), panel);
      renderPreview(holder, kind, data, file.name);
    } catch (error) {
      checked = false;
      holder.hidden = true;
      holder.replaceChildren();
      showError(explain(error), panel);
    } finally {
      busy(checkButton, false);
    }
  });

  commitButton.addEventListener("click", async () => {
    const file = chosenFile();
    if (!file || !checked) return;
    busy(commitButton, true);
    busy(checkButton, true);
    showStatus(text("importing"), panel);
    try {
      const result = await api("POST", form.dataset.commitUrl, formData(file));
      updateSuspense(result);
      holder.hidden = true;
      holder.replaceChildren();
      checked = false;
      if (kind === "opening") {
        form.hidden = true;
        for (const step of panel.querySelectorAll(".steps")) step.hidden = true;
        // Members' savings are usually as of the same day.
        const membersDate = document.getElementById("members-date");
        if (membersDate) membersDate.value = dateInput.value;
      } else {
        fileInput.value = "";
      }
      showStatus(result.message, panel);
      busy(commitButton, false);
      commitButton.disabled = true;
    } catch (error) {
      showError(explain(error), panel);
      const details = (error && error.details) || [];
      if (details.length) {
        holder.replaceChildren(node("h4", {}, text("problems")), problemList(details));
        holder.hidden = false;
      }
      busy(commitButton, false);
      commitButton.disabled = true;
      checked = false;
    } finally {
      busy(checkButton, false);
    }
  });
}

for (const form of document.querySelectorAll("form.import-form")) setUp(form);
