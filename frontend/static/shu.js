// The SHU page (/shu) for pengurus: the allocation form (percentages to basis points, a live
// total that must reach exactly 100%) and the posting of the year's distribution after a
// confirmation. Every call goes through the JSON API with the page's CSRF token; every text
// shown comes from the page (<template id="koroena-messages">).
import { api, busy, explain, showError, showStatus, text } from "/static/passkey.js";

/** "20", "2,5" or "2.55" percent -> basis points (2000, 250, 255); NaN if not a percentage
 * with at most two decimals between 0 and 100. */
function basisPoints(value) {
  const clean = value.trim().replace(",", ".");
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(clean)) return NaN;
  const [whole, part = ""] = clean.split(".");
  const bp = Number(whole) * 100 + Number(part.padEnd(2, "0"));
  return bp <= 10000 ? bp : NaN;
}

function percentText(bp) {
  const language = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(bp / 100)}%`;
}

function reload(params) {
  const url = new URL(window.location.href);
  url.searchParams.delete("anggota");
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.hash = "";
  window.location.assign(url.toString());
}

function setUpAllocation() {
  const form = document.getElementById("allocation-form");
  if (!form) return;
  const section = form.closest("section");
  const inputs = [...form.querySelectorAll("input[data-component]")];
  const total = document.getElementById("allocation-total");

  function sum() {
    let bp = 0;
    for (const input of inputs) {
      const value = basisPoints(input.value);
      if (Number.isNaN(value)) return NaN;
      bp += value;
    }
    return bp;
  }

  function showTotal() {
    const bp = sum();
    if (Number.isNaN(bp)) {
      total.textContent = text("percent_invalid");
      total.classList.add("wrong");
      return;
    }
    const wrong = bp !== 10000;
    total.textContent = text(wrong ? "total_wrong" : "total", { percent: percentText(bp) });
    total.classList.toggle("wrong", wrong);
  }

  for (const input of inputs) input.addEventListener("input", showTotal);
  showTotal();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    for (const input of inputs) {
      const bp = basisPoints(input.value);
      if (Number.isNaN(bp)) {
        showError(text("percent_invalid"), section);
        input.focus();
        return;
      }
      body[input.name] = bp;
    }
    for (const kind of ["pokok", "wajib", "sukarela"]) {
      body[`count_${kind}`] = form.elements[`count_${kind}`].checked;
    }
    body.usaha_basis = form.elements.usaha_basis.value;
    body.mode = form.elements.mode.value;
    const button = form.querySelector('button[type="submit"]');
    busy(button, true);
    showStatus(text("saving"), section);
    try {
      await api("PUT", `/api/v1/shu/${form.dataset.year}/allocation`, body);
      reload({ tahun: form.dataset.year, pesan: "disimpan" });
    } catch (error) {
      showError(explain(error, "get"), section);
      const field = error.details && error.details[0] && error.details[0].field;
      const target = field && form.elements[field];
      if (target && typeof target.focus === "function") target.focus();
      busy(button, false);
    }
  });
}

function setUpPosting() {
  const form = document.getElementById("post-form");
  if (!form) return;
  const section = form.closest("section");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const day = form.elements.posted_on.value;
    const question = text("confirm_post", {
      year: form.dataset.year,
      pool: form.dataset.pool,
      date: day,
      members: form.dataset.members,
      mode: form.dataset.mode,
    });
    if (!window.confirm(question)) return;
    const button = form.querySelector('button[type="submit"]');
    busy(button, true);
    showStatus(text("posting"), section);
    try {
      await api("POST", `/api/v1/shu/${form.dataset.year}/distribution`, { posted_on: day });
      reload({ tahun: form.dataset.year, pesan: "dibukukan" });
    } catch (error) {
      showError(explain(error, "get"), section);
      busy(button, false);
    }
  });
}

setUpAllocation();
setUpPosting();
