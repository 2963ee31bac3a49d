// Health-assessment pages (/kesehatan, /pengawasan/kesehatan/{slug}). The server renders
// every page; this script only acts: start an assessment, save the checklist answers and
// hand-entered figures (which recomputes the score), recompute from the books, finalise
// (Dinas), delete a draft, and the region's ATMR weights and rule confirmations. Every call
// goes through the JSON API under /api/v1/health-assessments with the page's CSRF token;
// texts come from the page (<template id="koroena-messages">).
import { api, busy, explain, showError, showStatus, text } from "/static/passkey.js";

const FLASH_KEY = "koroena-health-flash";

/** Go to `url` (or reload) and say `message` there, in the section with the id `where`. */
function goWith(message, where, url) {
  try {
    sessionStorage.setItem(FLASH_KEY, JSON.stringify({ message, where }));
  } catch {
    // Private mode without storage: the new page shows the new state anyway.
  }
  if (url) window.location.assign(url);
  else window.location.reload();
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

/** Whole rupiah typed as "1.500.000", "-250000", "Rp 1500"; null when empty; NaN when not
 * a number. */
function parseAmount(value) {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const negative = /^[-\u2212]/.test(trimmed);
  const digits = trimmed.replace(/[^0-9]/g, "");
  if (!digits || /[^0-9.\s\-\u2212Rp]/i.test(trimmed)) return Number.NaN;
  const amount = Number(digits);
  return negative ? -amount : amount;
}

function setUpKoperasi() {
  const root = document.getElementById("health");
  if (!root) return;
  const base = root.dataset.api;
  const query = root.dataset.query || "";
  const page = root.dataset.page;
  const url = (path) => `${base}${path}${query}`;

  const start = document.getElementById("start-form");
  if (start) {
    const section = document.getElementById("start");
    start.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = start.querySelector("button[type=submit]");
      busy(button, true);
      showStatus(text("saving"), section);
      try {
        const made = await api("POST", url(""), {
          scheme: start.elements.scheme.value,
          as_of: start.elements.as_of.value,
        });
        const sep = page.includes("?") ? "&" : "?";
        goWith(
          text("started", { number: made.number }),
          "assessment",
          `${page}${sep}penilaian=${made.number}`
        );
      } catch (error) {
        showError(explain(error, "get"), section);
        busy(button, false);
      }
    });
  }

  const form = document.getElementById("assessment-form");
  if (!form) return;
  const section = document.getElementById("assessment");
  const number = form.dataset.number;

  async function act(button, method, path, body, message, after) {
    busy(button, true);
    showStatus(text("saving"), section);
    try {
      await api(method, url(path), body);
      goWith(message, "assessment", after);
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(button, false);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const answers = {};
    for (const box of form.querySelectorAll("input[data-item]")) {
      if (!box.disabled) answers[box.dataset.item] = box.checked;
    }
    const figures = {};
    for (const input of form.querySelectorAll("input[data-figure]")) {
      if (input.disabled) continue;
      const amount = parseAmount(input.value);
      if (Number.isNaN(amount)) {
        showError(text("amount_invalid"), section);
        input.focus();
        return;
      }
      figures[input.dataset.figure] = amount;
    }
    const button = form.querySelector("button[type=submit]");
    act(button, "PUT", `/${number}/answers`, { answers, figures }, text("saved"));
  });

  const recompute = document.getElementById("recompute");
  if (recompute) {
    recompute.addEventListener("click", () =>
      act(recompute, "POST", `/${number}/recompute`, undefined, text("recomputed"))
    );
  }
  const finalise = document.getElementById("finalise");
  if (finalise) {
    finalise.addEventListener("click", () => {
      if (!window.confirm(text("confirm_finalise", { number }))) return;
      act(finalise, "POST", `/${number}/finalise`, undefined, text("finalised"));
    });
  }
  const remove = document.getElementById("delete");
  if (remove) {
    remove.addEventListener("click", () => {
      if (!window.confirm(text("confirm_delete", { number }))) return;
      act(remove, "DELETE", `/${number}`, undefined, text("deleted"), page.replace(/[?&]$/, ""));
    });
  }
}

function setUpRegion() {
  const root = document.getElementById("health-region");
  if (!root) return;
  const base = root.dataset.api;
  const section = document.getElementById("settings");

  for (const form of document.querySelectorAll(".atmr-form")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = form.querySelector("input");
      const button = form.querySelector("button");
      const raw = input.value.trim().replace(",", ".");
      let weight = null;
      if (raw) {
        const percent = Number(raw);
        if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
          showError(text("weight_invalid"), section);
          input.focus();
          return;
        }
        weight = Math.round(percent * 100);
      }
      const account = form.dataset.account;
      busy(button, true);
      try {
        await api("PUT", `${base}/region/atmr-weights/${encodeURIComponent(account)}`, {
          weight_bp: weight,
        });
        goWith(text("weight_saved", { account }), "settings");
      } catch (error) {
        showError(explain(error, "get"), section);
        busy(button, false);
      }
    });
  }

  for (const box of document.querySelectorAll("input.confirm-row")) {
    box.addEventListener("change", async () => {
      box.disabled = true;
      try {
        await api("PUT", `${base}/region/confirmations`, {
          scheme: box.dataset.scheme,
          version: box.dataset.version,
          row: box.dataset.row,
          confirmed: box.checked,
        });
        showStatus(text("row_saved"), section);
      } catch (error) {
        box.checked = !box.checked;
        showError(explain(error, "get"), section);
      } finally {
        box.disabled = false;
      }
    });
  }
}

showFlash();
setUpKoperasi();
setUpRegion();
