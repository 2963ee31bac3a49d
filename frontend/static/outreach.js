// News, education and training pages (/berita, /pengawasan/edukasi, /pelatihan,
// /pengawasan/pelatihan): forms and buttons that call the JSON API, described by the page
// itself so this file knows no page.
//
// <form data-api="PUT /api/v1/…" data-notice="saved" [data-next="/path/{id}"]>: its
//   controls with data-field="name" become the JSON body (data-type: text (default), int,
//   bool, datetime — a datetime-local value on the clock of data-tz —, checked — the values
//   of the checked boxes inside —, links — one link a line, "Title | https://…" —); a
//   submit button's data-extra (JSON) is merged in. data-upload: the form's file goes as
//   multipart instead. data-attendance: the selects' values become {items: […]}.
// <button data-api="POST /api/v1/…" data-notice="…" [data-confirm="…"] [data-body="{…}"]>:
//   one call (with that JSON body).
// After a success the page reloads with ?pesan=<notice> (or goes to data-next), so what is
// shown is always what the server holds. Every text comes from the page
// (<template id="koroena-messages">).
import { api, busy, explain, showError, showStatus, text } from "/static/passkey.js";

function reload(notice, next) {
  const url = new URL(next || window.location.href, window.location.origin);
  if (notice) url.searchParams.set("pesan", notice);
  url.hash = "";
  if (url.toString() === window.location.href) window.location.reload();
  else window.location.assign(url.toString());
}

function split(spec) {
  const [method, ...rest] = spec.trim().split(/\s+/);
  return [method.toUpperCase(), rest.join(" ")];
}

/** "Materi SAK EP | https://…" or just "https://…", one a line. */
function parseLinks(value) {
  return value
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const bar = line.lastIndexOf("|");
      if (bar < 0) return { title: "", url: line };
      return { title: line.slice(0, bar).trim(), url: line.slice(bar + 1).trim() };
    });
}

function valueOf(control) {
  const type = control.dataset.type || "text";
  if (type === "bool") return control.checked;
  if (type === "int") return control.value.trim() === "" ? null : Number(control.value);
  if (type === "datetime") {
    // "2026-12-05T09:00" on the region's clock -> an instant the server can store.
    const value = control.value.trim();
    if (!value) return null;
    const seconds = value.length === 16 ? ":00" : "";
    return `${value}${seconds}${control.dataset.tz || "+07:00"}`;
  }
  if (type === "checked") {
    return [...control.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value);
  }
  if (type === "links") return parseLinks(control.value);
  if (control.tagName === "TEXTAREA") return control.value;
  return control.value.trim();
}

function bodyOf(form, submitter) {
  if (form.dataset.upload !== undefined) {
    const data = new FormData();
    const input = form.querySelector("input[type=file]");
    if (input && input.files.length) data.append("file", input.files[0]);
    return data;
  }
  if (form.dataset.attendance !== undefined) {
    const items = [...form.querySelectorAll("select[data-registration]")].map((select) => ({
      registration_id: Number(select.dataset.registration),
      attendance: select.value || null,
    }));
    return { items };
  }
  const data = {};
  for (const control of form.querySelectorAll("[data-field]")) {
    data[control.dataset.field] = valueOf(control);
  }
  if (submitter && submitter.dataset.extra) Object.assign(data, JSON.parse(submitter.dataset.extra));
  return data;
}

function clearProblems(form) {
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
  }
}

/** The control a refusal's `field` names ("title", "links.2.url" -> the links box). */
function controlFor(form, name) {
  if (!name) return null;
  const first = String(name).split(".")[0];
  return form.querySelector(`[data-field="${CSS.escape(first)}"]`);
}

function refuse(form, error) {
  clearProblems(form);
  const lines = [];
  let first = null;
  for (const detail of (error && error.details) || []) {
    const control = controlFor(form, detail.field);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      first = first || control;
    }
    if (detail.message && detail.message !== error.message) lines.push(detail.message);
  }
  showError([explain(error, "get"), ...lines].join(" "), form);
  if (first) {
    const target = first.matches("fieldset") ? first.querySelector("input") : first;
    if (target) target.focus();
  }
}

function nextOf(template, result) {
  if (!template) return "";
  return template.replace("{id}", result && result.id !== undefined ? String(result.id) : "");
}

function setUpForms() {
  for (const form of document.querySelectorAll("form[data-api]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const submitter = event.submitter || form.querySelector('button[type="submit"]');
      if (submitter && submitter.dataset.confirm && !window.confirm(submitter.dataset.confirm)) {
        return;
      }
      const [method, path] = split(form.dataset.api);
      const body = bodyOf(form, submitter);
      if (body instanceof FormData && !body.has("file")) {
        showError(text("choose_file"), form);
        return;
      }
      if (submitter) busy(submitter, true);
      showStatus(text(body instanceof FormData ? "uploading" : "saving"), form);
      try {
        const result = await api(method, path, body);
        const notice = (submitter && submitter.dataset.notice) || form.dataset.notice;
        reload(notice, nextOf(form.dataset.next, result));
      } catch (error) {
        refuse(form, error);
        if (submitter) busy(submitter, false);
      }
    });
  }
}

function setUpButtons() {
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-api]");
    if (!button || button.type === "submit") return;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    const [method, path] = split(button.dataset.api);
    const where = button.closest("[data-messages]") || undefined;
    busy(button, true);
    showStatus(text("saving"), where);
    try {
      const body = button.dataset.body ? JSON.parse(button.dataset.body) : undefined;
      const result = await api(method, path, body);
      reload(button.dataset.notice, nextOf(button.dataset.next, result));
    } catch (error) {
      showError(explain(error, "get"), where);
      busy(button, false);
    }
  });
}

setUpForms();
setUpButtons();
