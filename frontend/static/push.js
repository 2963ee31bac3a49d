// Notifications on the account page (/akun#notifikasi): explain first (the section says
// what notifications bring), ask the browser only when the person presses "Aktifkan
// notifikasi", then subscribe with the server's VAPID key and hand the subscription to the
// server. Shows this device's state, sends a test notification, saves topic choices and
// removes devices. Every text comes from the page (<template id="push-messages">).
import { ApiError, api, busy, showError, showStatus } from "/static/passkey.js";

const section = document.getElementById("notifikasi");
const MESSAGES = document.getElementById("push-messages");

function say(key, values = {}) {
  const node = MESSAGES && MESSAGES.content.querySelector(`[data-key="${key}"]`);
  let result = node ? node.textContent : key;
  for (const [name, value] of Object.entries(values)) {
    result = result.split(`{${name}}`).join(String(value));
  }
  return result;
}

const error = (message) => showError(message, section);
const status = (message) => showStatus(message, section);

function explain(problem) {
  if (problem instanceof ApiError) return problem.message;
  if (problem instanceof TypeError) return say("network");
  return say("failed");
}

function supported() {
  return (
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window &&
    window.isSecureContext
  );
}

function fromBase64url(value) {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function sameKey(buffer, key) {
  if (!buffer) return false;
  const a = new Uint8Array(buffer);
  const b = fromBase64url(key);
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

const buttons = {
  enable: document.getElementById("push-enable"),
  test: document.getElementById("push-test"),
  disable: document.getElementById("push-disable"),
};

/** Show `state` ("on", "off", "denied", "unsupported") and the buttons that fit it. */
function show(state) {
  const line = document.getElementById("push-state");
  if (line) line.textContent = say(`state_${state}`);
  if (section) section.dataset.pushState = state;
  buttons.enable.hidden = state !== "off";
  buttons.test.hidden = state !== "on";
  buttons.disable.hidden = state !== "on";
}

async function registration() {
  return navigator.serviceWorker.ready;
}

/** Mark this browser's own entry in the list of devices. */
async function markThisDevice(subscription) {
  const mine = subscription ? await sha256Hex(subscription.endpoint) : "";
  for (const item of document.querySelectorAll(".push-device")) {
    const tag = item.querySelector(".push-this-device");
    const here = mine !== "" && item.dataset.endpointSha256 === mine;
    if (tag) {
      tag.textContent = say("this_device");
      tag.hidden = !here;
    }
  }
}

/** Send this browser's subscription to the server (it may have been removed there, or
 * belong to whoever used this browser before). */
async function register(subscription) {
  const body = subscription.toJSON();
  await api("POST", "/api/v1/push/subscriptions", body);
}

async function current() {
  const reg = await registration();
  return reg.pushManager.getSubscription();
}

async function refresh() {
  if (!supported()) {
    show("unsupported");
    return;
  }
  if (Notification.permission === "denied") {
    show("denied");
    return;
  }
  let subscription = null;
  try {
    subscription = await current();
  } catch {
    subscription = null;
  }
  if (subscription && Notification.permission === "granted") {
    show("on");
    await markThisDevice(subscription);
    try {
      const { public_key: key } = await api("GET", "/api/v1/push/key");
      if (!sameKey(subscription.options && subscription.options.applicationServerKey, key)) {
        // Made with another server key (a restored or moved server): make a new one.
        await subscription.unsubscribe();
        show("off");
        return;
      }
      await register(subscription);
    } catch {
      // Offline or the server is away: the state shown is the browser's own.
    }
    return;
  }
  show("off");
}

async function enable() {
  busy(buttons.enable, true);
  status(say("asking"));
  try {
    // Asked only now, after the section explained what it is for.
    const permission = await Notification.requestPermission();
    if (permission === "denied") {
      show("denied");
      error(say("state_denied"));
      return;
    }
    if (permission !== "granted") {
      error(say("dismissed"));
      return;
    }
    const { public_key: key } = await api("GET", "/api/v1/push/key");
    const reg = await registration();
    let subscription;
    try {
      subscription = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: fromBase64url(key),
      });
    } catch (problem) {
      // Chrome refuses push in incognito windows with "permission denied", and there is
      // deliberately no way to tell beforehand; anything else is the push service away.
      const refused =
        problem && (problem.name === "NotAllowedError" || /permission/i.test(problem.message));
      error(say(refused ? "push_refused" : "push_failed"));
      console.warn("Koroena: push subscription failed", problem);
      return;
    }
    await register(subscription);
    reloadWith(say("enabled"));
  } catch (problem) {
    error(explain(problem));
  } finally {
    busy(buttons.enable, false);
  }
}

async function disable() {
  busy(buttons.disable, true);
  try {
    const subscription = await current();
    if (subscription) {
      const mine = await sha256Hex(subscription.endpoint);
      const item = document.querySelector(`.push-device[data-endpoint-sha256="${mine}"]`);
      const button = item && item.querySelector("[data-push-remove]");
      if (button) {
        await api("DELETE", `/api/v1/push/subscriptions/${button.dataset.pushRemove}`);
      }
      await subscription.unsubscribe();
    }
    reloadWith(say("disabled"));
  } catch (problem) {
    error(explain(problem));
    busy(buttons.disable, false);
  }
}

async function sendTest() {
  busy(buttons.test, true);
  try {
    const sent = await api("POST", "/api/v1/push/test");
    status(say("test_sent", { count: sent.devices }));
  } catch (problem) {
    error(explain(problem));
  } finally {
    busy(buttons.test, false);
  }
}

async function saveTopics(form) {
  const submit = form.querySelector('button[type="submit"]');
  busy(submit, true);
  try {
    const topics = {};
    for (const box of form.querySelectorAll('input[name="topic"]')) topics[box.value] = box.checked;
    await api("PUT", "/api/v1/push/preferences", { topics });
    status(say("topics_saved"));
  } catch (problem) {
    error(explain(problem));
  } finally {
    busy(submit, false);
  }
}

async function removeDevice(button) {
  const device = button.dataset.device || "";
  if (!window.confirm(say("confirm_remove", { device }))) return;
  busy(button, true);
  try {
    await api("DELETE", `/api/v1/push/subscriptions/${button.dataset.pushRemove}`);
    const item = button.closest(".push-device");
    // Removing this browser's own entry also ends its subscription.
    const subscription = supported() ? await current().catch(() => null) : null;
    const own = subscription ? await sha256Hex(subscription.endpoint) : "";
    if (subscription && item && item.dataset.endpointSha256 === own) {
      await subscription.unsubscribe();
    }
    reloadWith(say("removed", { device }));
  } catch (problem) {
    error(explain(problem));
    busy(button, false);
  }
}

const FLASH_KEY = "koroena-flash"; // account.js shows it after the reload

function reloadWith(message) {
  try {
    sessionStorage.setItem(FLASH_KEY, message);
  } catch {
    // No storage (private mode): the reloaded page shows the new state anyway.
  }
  window.location.reload();
}

if (section) {
  buttons.enable.addEventListener("click", enable);
  buttons.disable.addEventListener("click", disable);
  buttons.test.addEventListener("click", sendTest);
  const form = document.getElementById("push-topics");
  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      saveTopics(form);
    });
  }
  for (const button of document.querySelectorAll("[data-push-remove]")) {
    button.addEventListener("click", () => removeDevice(button));
  }
  refresh();
}
