// The account page (/akun): switch the active role, add and revoke passkeys, invite
// people, sign out. Everything goes through the JSON API with the page's CSRF token.
import {
  api,
  busy,
  createPasskey,
  explain,
  requireSupport,
  showError,
  showStatus,
  text,
} from "/static/passkey.js";

const FLASH_KEY = "koroena-flash";
const PAGES_CACHE_PREFIX = "koroena-pages-";

/** Reload the page (it is never cached) and say `message` once it is back. */
function reloadWith(message) {
  try {
    sessionStorage.setItem(FLASH_KEY, message);
  } catch {
    // Private mode without storage: the reloaded page simply shows the new state.
  }
  window.location.reload();
}

function showFlash() {
  let message = null;
  try {
    message = sessionStorage.getItem(FLASH_KEY);
    sessionStorage.removeItem(FLASH_KEY);
  } catch {
    return;
  }
  if (message) showStatus(message);
}

/** Pages the service worker kept while someone was signed in must not outlive the session
 * on a shared phone. */
export async function forgetPages() {
  if (!("caches" in window)) return;
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES_CACHE_PREFIX)) await caches.delete(name);
  }
}

async function signOut(button, path) {
  busy(button, true);
  showStatus(text("signing_out"));
  try {
    await api("POST", path);
  } catch (error) {
    // 401: the session had already ended elsewhere, which is what was wanted.
    if (!(error && error.status === 401)) {
      showError(explain(error, "get"));
      busy(button, false);
      return;
    }
  }
  await forgetPages();
  window.location.assign("/");
}

function setUpRoleSwitch() {
  const form = document.getElementById("role-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    busy(button, true);
    try {
      const grantId = Number(form.elements.namedItem("grant_id").value);
      await api("POST", "/api/v1/me/active-role", { grant_id: grantId });
      reloadWith(text("role_switched"));
    } catch (error) {
      showError(explain(error, "get"));
      busy(button, false);
    }
  });
}

function setUpPasskeys() {
  for (const button of document.querySelectorAll("[data-revoke]")) {
    button.addEventListener("click", async () => {
      const device = button.dataset.device || "";
      if (!window.confirm(text("confirm_revoke", { device }))) return;
      busy(button, true);
      try {
        await api("DELETE", `/api/v1/me/passkeys/${encodeURIComponent(button.dataset.revoke)}`);
        reloadWith(text("revoked", { device }));
      } catch (error) {
        showError(explain(error, "get"));
        busy(button, false);
      }
    });
  }
  const add = document.getElementById("passkey-add");
  if (!add || !requireSupport(add)) return;
  add.addEventListener("click", async () => {
    const nameInput = document.getElementById("device-name");
    const device = nameInput ? nameInput.value.trim() : "";
    busy(add, true);
    showStatus(text("waiting"));
    try {
      const { flow_id: flowId, options } = await api("POST", "/api/v1/me/passkeys/options");
      const credential = await createPasskey(options);
      showStatus(text("checking"));
      const added = await api("POST", "/api/v1/me/passkeys", {
        flow_id: flowId,
        credential,
        device_name: device,
      });
      reloadWith(text("added", { device: added.device_name }));
    } catch (error) {
      showError(explain(error, "create"));
      busy(add, false);
    }
  });
}

function formatTime(iso) {
  // The wall clock of the region (WIB), in the page's language, like the server's dates.
  const language = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  const parts = new Intl.DateTimeFormat(language, {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone: "Asia/Jakarta",
  }).formatToParts(new Date(iso));
  const part = (type) => (parts.find((p) => p.type === type) || {}).value || "";
  return `${part("day")} ${part("month")} ${part("year")} ${part("hour")}.${part("minute")}`;
}

function showQr(svgSource) {
  const holder = document.getElementById("invite-qr");
  holder.replaceChildren();
  const parsed = new DOMParser().parseFromString(svgSource, "text/html");
  const svg = parsed.querySelector("svg");
  if (!svg) return;
  if (!svg.hasAttribute("viewBox")) {
    // Scale with the page (CSS width) instead of staying at its pixel size.
    const width = svg.getAttribute("width");
    const height = svg.getAttribute("height");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  }
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", text("qr_label"));
  for (const title of svg.querySelectorAll("title")) title.remove();
  holder.append(document.importNode(svg, true));
}

function setUpInvitations() {
  const form = document.getElementById("invite-form");
  if (!form) return;
  const role = form.elements.namedItem("role");
  const showFieldsFor = () => {
    for (const field of form.querySelectorAll("[data-for-roles]")) {
      const shown = field.dataset.forRoles.split(" ").includes(role.value);
      field.hidden = !shown;
      for (const input of field.querySelectorAll("input, select")) input.required = shown;
    }
  };
  role.addEventListener("change", showFieldsFor);
  showFieldsFor();

  const result = document.getElementById("invite-result");
  const urlField = document.getElementById("invite-url");
  const copy = document.getElementById("invite-copy");
  const share = document.getElementById("invite-share");
  if (navigator.share) share.hidden = false;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector('button[type="submit"]');
    const value = (name) => {
      const field = form.elements.namedItem(name);
      return field && !field.closest("[hidden]") ? field.value.trim() : "";
    };
    const chosen = role.value;
    const body = {
      role: chosen,
      name: value("name"),
      koperasi: chosen === "dinas" ? null : value("koperasi") || form.dataset.koperasi || null,
      member_number: chosen === "anggota" ? value("member_number") : null,
    };
    busy(submit, true);
    try {
      const made = await api("POST", "/api/v1/invitations", body);
      urlField.value = made.url;
      showQr(made.qr_svg);
      const roleLabel = role.options[role.selectedIndex].textContent;
      document.getElementById("invite-result-text").textContent = text("invitation_made", {
        name: body.name,
        role: roleLabel,
        time: formatTime(made.expires_at),
      });
      result.hidden = false;
      showStatus("");
      form.reset();
      showFieldsFor();
      document.getElementById("invite-result-heading").focus();
    } catch (error) {
      showError(explain(error, "create"));
    } finally {
      busy(submit, false);
    }
  });

  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(urlField.value);
      showStatus(text("copied"));
    } catch {
      urlField.select();
      showError(text("copy_failed"));
    }
  });
  share.addEventListener("click", async () => {
    try {
      await navigator.share({ url: urlField.value });
    } catch {
      // Closed the share sheet: nothing to say.
    }
  });
}

document.getElementById("sign-out")?.addEventListener("click", (event) =>
  signOut(event.currentTarget, "/api/v1/auth/logout")
);
document.getElementById("sign-out-all")?.addEventListener("click", (event) =>
  signOut(event.currentTarget, "/api/v1/me/logout-all")
);
setUpRoleSwitch();
setUpPasskeys();
setUpInvitations();
showFlash();
