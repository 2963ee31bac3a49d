// The account page (/akun): switch the active role, add and revoke passkeys, invite
// people, look after the roles one is responsible for (a recovery link for a lost phone,
// revoking a role), sign out. Everything goes through the JSON API with the page's CSRF
// token.
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

/** The offline queues on this phone (service_worker/outbox.js): the till's outbox and the
 * report forms; empty where they cannot be loaded. */
async function offlineQueues() {
  try {
    await import("/sw/outbox.js");
    return { till: self.KoroenaOutbox || null, reports: self.KoroenaReports || null };
  } catch {
    return { till: null, reports: null };
  }
}

async function signOut(button, path) {
  busy(button, true);
  // Sales and reports this phone has not sent yet must not be stranded by a sign-out.
  const queues = await offlineQueues();
  const pending = queues.till ? await queues.till.pendingIfAny().catch(() => 0) : 0;
  if (pending > 0) {
    showError(text("unsent_sales", { count: pending }));
    busy(button, false);
    return;
  }
  const reports = queues.reports ? await queues.reports.pendingIfAny().catch(() => 0) : 0;
  if (reports > 0) {
    showError(text("unsent_reports", { count: reports }));
    busy(button, false);
    return;
  }
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
  for (const queue of [queues.till, queues.reports]) {
    if (queue) await queue.forgetPerson().catch(() => {});
  }
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

function showQr(holder, svgSource, label) {
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
  svg.setAttribute("aria-label", label);
  for (const title of svg.querySelectorAll("title")) title.remove();
  holder.append(document.importNode(svg, true));
}

/** The area a one-time link appears in (`{prefix}-result`, rendered hidden by the server):
 * its text, the link to copy or share, the QR code labelled with the text for `qrKey`.
 * Copy and share speak in `where`'s message boxes (the page's when none). */
function linkResult(prefix, qrKey, where) {
  const result = document.getElementById(`${prefix}-result`);
  if (!result) return null;
  const part = (name) => document.getElementById(`${prefix}-${name}`);
  const urlField = part("url");
  const share = part("share");
  if (navigator.share) share.hidden = false;
  part("copy").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(urlField.value);
      showStatus(text("copied"), where);
    } catch {
      urlField.select();
      showError(text("copy_failed"), where);
    }
  });
  share.addEventListener("click", async () => {
    try {
      await navigator.share({ url: urlField.value });
    } catch {
      // Closed the share sheet: nothing to say.
    }
  });
  return {
    element: result,
    show(made, message) {
      urlField.value = made.url;
      showQr(part("qr"), made.qr_svg, text(qrKey));
      part("result-text").textContent = message;
      result.hidden = false;
      part("result-heading").focus();
    },
    hide() {
      result.hidden = true;
      urlField.value = "";
      part("result-text").textContent = "";
      part("qr").replaceChildren();
    },
  };
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

  const result = linkResult("invite", "qr_label");
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
      showStatus("");
      result.show(
        made,
        text("invitation_made", {
          name: body.name,
          role: role.options[role.selectedIndex].textContent,
          time: formatTime(made.expires_at),
        })
      );
      form.reset();
      showFieldsFor();
    } catch (error) {
      showError(explain(error, "create"));
    } finally {
      busy(submit, false);
    }
  });
}

/** Where focus goes when `item` leaves the list: the next person, else the previous one,
 * else the section's heading. */
function focusAfterRemoving(item, section) {
  const neighbour = item.nextElementSibling || item.previousElementSibling;
  const target = neighbour ? neighbour.querySelector("button") : section.querySelector("h2");
  if (!target) return;
  if (!neighbour) target.tabIndex = -1;
  target.focus();
}

function setUpPeople() {
  const list = document.getElementById("people-list");
  if (!list) return;
  const section = list.closest("section");
  const recovery = linkResult("recovery", "recovery_qr_label", section);
  const person = (button) => {
    const item = button.closest("li");
    return { item, name: item.dataset.name, role: item.dataset.role };
  };

  for (const button of list.querySelectorAll("[data-person-recovery]")) {
    button.addEventListener("click", async () => {
      const { item, name } = person(button);
      busy(button, true);
      try {
        const grantId = encodeURIComponent(button.dataset.personRecovery);
        const made = await api("POST", `/api/v1/people/roles/${grantId}/recovery`);
        showStatus("", section);
        item.append(recovery.element); // right under the person it is for
        recovery.show(made, text("recovery_made", { name, time: formatTime(made.expires_at) }));
      } catch (error) {
        showError(explain(error, "get"), section);
      } finally {
        busy(button, false);
      }
    });
  }

  for (const button of list.querySelectorAll("[data-person-revoke]")) {
    button.addEventListener("click", async () => {
      const { item, name, role } = person(button);
      if (!window.confirm(text("confirm_revoke_role", { name, role }))) return;
      busy(button, true);
      try {
        const grantId = encodeURIComponent(button.dataset.personRevoke);
        await api("DELETE", `/api/v1/people/roles/${grantId}`);
        if (item.contains(recovery.element)) {
          recovery.hide();
          section.append(recovery.element);
        }
        focusAfterRemoving(item, section);
        item.remove();
        showStatus(text("role_revoked", { name, role }), section);
      } catch (error) {
        showError(explain(error, "get"), section);
        busy(button, false);
      }
    });
  }
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
setUpPeople();
showFlash();
