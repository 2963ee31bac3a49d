// The legality record pages (/rekam for pengurus, /pengawasan/koperasi/{slug} for the Dinas):
// the profile form, the deed-amendment and board editors (rows added and removed here, the
// whole list saved at once), document upload (size checked here first; the type is checked
// by the server from the file's own bytes) and removal, and the Dinas's verify/reject
// forms. Every call goes through the JSON API with the page's CSRF token; every text shown
// comes from the page (<template id="koroena-messages">). After a save the page reloads with
// `?pesan=<what>`, so what is shown is always what the server holds.
import { api, busy, explain, showError, showStatus, text } from "/static/passkey.js";

const API = "/api/v1/supervision";

function reload(notice) {
  const url = new URL(window.location.href);
  url.searchParams.set("pesan", notice);
  url.hash = "";
  if (url.toString() === window.location.href) window.location.reload();
  else window.location.assign(url.toString());
}

function clearProblems(form) {
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
  }
}

/** The control a refusal's `field` names: a profile field ("npwp") or a row's
 * ("board.2.name", counted over the rows that were sent: `sent` maps them back). */
function controlFor(form, name, sent) {
  if (!name) return null;
  const direct = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (direct) return direct;
  const match = /^(?:board|amendments)\.(\d+)\.(\w+)$/.exec(name);
  if (!match || !sent) return null;
  const row = sent[Number(match[1])];
  return row ? row.querySelector(`[data-name="${CSS.escape(match[2])}"]`) : null;
}

/** Show a refusal in the form's alert, mark the fields it names and focus the first. */
function refuse(form, error, sent) {
  clearProblems(form);
  const lines = [];
  let first = null;
  for (const detail of (error && error.details) || []) {
    const control = controlFor(form, detail.field, sent);
    let label = null;
    if (control) {
      control.setAttribute("aria-invalid", "true");
      first = first || control;
      label = form.querySelector(`label[for="${CSS.escape(control.id)}"]`);
    }
    lines.push(
      label ? text("field_problem", { label: label.textContent, message: detail.message })
        : detail.message
    );
  }
  showError([explain(error, "get"), ...lines].join(" "), form);
  if (first) first.focus();
}

async function send(form, button, method, path, body, notice, sent) {
  busy(button, true);
  showStatus(text(body instanceof FormData ? "uploading" : "saving"), form);
  try {
    await api(method, path, body);
    reload(notice);
  } catch (error) {
    refuse(form, error, sent);
    busy(button, false);
  }
}

// The profile

function setUpProfile() {
  const form = document.getElementById("profile-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = {};
    for (const control of form.querySelectorAll("[data-field]")) {
      const name = control.dataset.field;
      const value = control.value.trim();
      if (control.type === "date") data[name] = value || null;
      else if (name === "kbli") data[name] = value.split(/[\s,;]+/).filter(Boolean);
      else data[name] = value;
    }
    const button = form.querySelector('button[type="submit"]');
    send(form, button, "PUT", `${API}/profile`, data, "profil");
  });
}

// Rows: deed amendments and the board

function setUpRows(formId, options) {
  const form = document.getElementById(formId);
  if (!form) return;
  const rows = form.querySelector(".rows");
  const template = form.querySelector("template");
  const add = form.querySelector(".row-add");
  const allRows = () => [...rows.querySelectorAll("fieldset[data-row]")];

  function renumber() {
    allRows().forEach((row, index) => {
      row.querySelector("legend").textContent = text(options.legend, { n: index + 1 });
      for (const control of row.querySelectorAll("[data-name]")) {
        const label = row.querySelector(`label[for="${CSS.escape(control.id)}"]`);
        control.id = `${row.dataset.row}-${index}-${control.dataset.name}`;
        if (label) label.htmlFor = control.id;
      }
      row.querySelector(".row-remove").setAttribute("aria-label", text("remove_row", { n: index + 1 }));
    });
  }

  add.addEventListener("click", () => {
    rows.append(template.content.cloneNode(true));
    renumber();
    const last = allRows().at(-1);
    last.querySelector("input, select, textarea").focus();
  });
  rows.addEventListener("click", (event) => {
    const remove = event.target.closest(".row-remove");
    if (!remove) return;
    remove.closest("fieldset").remove();
    renumber();
    add.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const sent = [];
    const items = [];
    for (const row of allRows()) {
      const item = {};
      let typed = false;
      for (const control of row.querySelectorAll("[data-name]")) {
        const value = control.value.trim();
        if (control.type === "date") item[control.dataset.name] = value || null;
        else item[control.dataset.name] = value;
        if (value && control.tagName !== "SELECT") typed = true;
      }
      if (!typed) continue; // a row left empty is not sent
      sent.push(row);
      items.push(item);
    }
    const button = form.querySelector('button[type="submit"]');
    send(form, button, "PUT", options.path, { [options.key]: items }, options.notice, sent);
  });
}

// Documents

function setUpUpload() {
  const form = document.getElementById("upload-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearProblems(form);
    const input = form.querySelector('input[type="file"]');
    const file = input.files[0];
    if (!file) {
      showError(text("file_required"), form);
      input.focus();
      return;
    }
    if (file.size > Number(form.dataset.maxBytes)) {
      showError(text("file_too_large", { size: form.dataset.maxText }), form);
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    send(form, button, "POST", `${API}/documents`, new FormData(form), "dokumen");
  });
}

function setUpDelete() {
  for (const button of document.querySelectorAll(".doc-delete")) {
    button.addEventListener("click", async () => {
      if (!window.confirm(text("confirm_delete", { name: button.dataset.name }))) return;
      busy(button, true);
      try {
        await api("DELETE", `${API}/documents/${button.dataset.id}`);
        reload("hapus");
      } catch (error) {
        showError(explain(error, "get"));
        busy(button, false);
      }
    });
  }
}

// The Dinas's verdicts

function setUpVerdicts() {
  for (const form of document.querySelectorAll(".verdict-form")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = form.querySelector('input[name="status"]:checked');
      if (!chosen) {
        showError(text("choose_verdict"), form);
        form.querySelector('input[name="status"]').focus();
        return;
      }
      const body = { status: chosen.value, note: form.querySelector("textarea").value.trim() };
      if (form.dataset.revision) body.revision = Number(form.dataset.revision);
      const button = form.querySelector('button[type="submit"]');
      send(form, button, "POST", form.dataset.target, body, "verifikasi");
    });
  }
}

setUpProfile();
setUpRows("amendments-form", {
  legend: "amendment_legend",
  path: `${API}/amendments`,
  key: "amendments",
  notice: "akta",
});
setUpRows("board-form", {
  legend: "board_legend",
  path: `${API}/board`,
  key: "members",
  notice: "susunan",
});
setUpUpload();
setUpDelete();
setUpVerdicts();
