// Passkeys in the browser: sign in (/masuk), join by invitation (/undangan/…), and the
// helpers account.js uses. No framework. Every text shown comes from the page
// (<template id="koroena-messages">, rendered by the server in the page's language).

const MESSAGES = document.getElementById("koroena-messages");

/** The page's text for `key`, with {placeholders} filled in. */
export function text(key, values = {}) {
  const node = MESSAGES && MESSAGES.content.querySelector(`[data-key="${key}"]`);
  let result = node ? node.textContent : key;
  for (const [name, value] of Object.entries(values)) {
    result = result.split(`{${name}}`).join(String(value));
  }
  return result;
}

// The page's message boxes, or a section's own (`where`: an element holding a role="alert"
// and a role="status" `.message`), closer to what was tapped on a long page. Only one box
// speaks at a time: showing a message clears every other one.
const box = (where, role) =>
  where
    ? where.querySelector(`.message[role="${role}"]`)
    : document.getElementById(role === "alert" ? "message-alert" : "message-status");

function clearMessages() {
  for (const message of document.querySelectorAll(".message")) message.textContent = "";
}

/** An error: into the page's (or `where`'s) role="alert" element (read out at once). */
export function showError(message, where) {
  clearMessages();
  const alert = box(where, "alert");
  if (alert) {
    alert.textContent = message;
    alert.scrollIntoView({ block: "nearest" });
  }
}

/** Progress or success: into the page's (or `where`'s) role="status" element. */
export function showStatus(message, where) {
  clearMessages();
  const status = box(where, "status");
  if (status) status.textContent = message;
}

/** An answer of the API that is not 2xx; `message` is the server's (for people). */
export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || text("failed"));
    this.name = "ApiError";
    this.status = status;
    this.code = error.code || "";
    this.details = error.details || []; // e.g. [{field, code, message}]: the form field to fix
  }
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function csrfFromPage() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

async function csrfFromSession() {
  const response = await fetch("/api/v1/me", { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) return "";
  const me = await readJson(response);
  return (me && me.csrf_token) || "";
}

/** Call the JSON API. Writes carry the session's CSRF token: from the page's
 * <meta name="csrf-token">, or asked for once when the server refuses without it (public
 * pages such as /masuk are the same for everyone and carry none). A `FormData` body goes
 * as a multipart upload; anything else as JSON. */
export async function api(method, path, body) {
  const isForm = body instanceof FormData;
  const send = (token) => {
    const headers = { Accept: "application/json" };
    if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
    if (token) headers["X-CSRF-Token"] = token;
    return fetch(path, {
      method,
      headers,
      body: body === undefined || isForm ? body : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  };
  const token = csrfFromPage();
  let response = await send(token);
  if (response.status === 403 && !token) {
    const refusal = await readJson(response.clone());
    if (refusal && refusal.error && refusal.error.code === "csrf_failed") {
      const fresh = await csrfFromSession();
      if (fresh) response = await send(fresh);
    }
  }
  const data = response.status === 204 ? null : await readJson(response);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// WebAuthn. The JSON forms come from py_webauthn on the server; Chromium, Firefox and
// Safari parse and serialize them natively, older browsers get the small fallback below.

export function passkeysSupported() {
  return typeof window.PublicKeyCredential === "function" && !!navigator.credentials;
}

function fromBase64url(value) {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toBase64url(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const withIds = (list) => (list || []).map((item) => ({ ...item, id: fromBase64url(item.id) }));

function creationOptions(json) {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    user: { ...json.user, id: fromBase64url(json.user.id) },
    excludeCredentials: withIds(json.excludeCredentials),
  };
}

function requestOptions(json) {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function") {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    allowCredentials: withIds(json.allowCredentials),
  };
}

function credentialJSON(credential) {
  if (typeof credential.toJSON === "function") return credential.toJSON();
  const answer = credential.response;
  const response = { clientDataJSON: toBase64url(answer.clientDataJSON) };
  if (answer.attestationObject) {
    response.attestationObject = toBase64url(answer.attestationObject);
    response.transports = answer.getTransports ? answer.getTransports() : [];
  } else {
    response.authenticatorData = toBase64url(answer.authenticatorData);
    response.signature = toBase64url(answer.signature);
    response.userHandle = answer.userHandle ? toBase64url(answer.userHandle) : null;
  }
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment || null,
  };
}

/** navigator.credentials.create() from the server's options; the credential as JSON. */
export async function createPasskey(optionsJSON) {
  const credential = await navigator.credentials.create({
    publicKey: creationOptions(optionsJSON),
  });
  return credentialJSON(credential);
}

/** navigator.credentials.get() from the server's options; the credential as JSON. */
export async function usePasskey(optionsJSON) {
  const credential = await navigator.credentials.get({ publicKey: requestOptions(optionsJSON) });
  return credentialJSON(credential);
}

/** What to tell the person about `error`; `ceremony` is "create" or "get". */
export function explain(error, ceremony) {
  if (error instanceof ApiError) return error.message;
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "AbortError") {
    return text(ceremony === "create" ? "cancelled_create" : "cancelled_get");
  }
  if (name === "InvalidStateError") return text("exists");
  if (name === "SecurityError") return text("wrong_address");
  if (error instanceof TypeError) return text("network"); // fetch could not reach us
  return text("failed");
}

/** Disable a button while its action runs (no double submissions). */
export function busy(button, on) {
  button.disabled = on;
  button.setAttribute("aria-busy", on ? "true" : "false");
}

/** Stop if this browser has no passkeys: say so and disable `button`. */
export function requireSupport(button) {
  if (passkeysSupported()) return true;
  showError(text("unsupported"));
  button.disabled = true;
  return false;
}

function localTarget(value, fallback) {
  const ok = typeof value === "string" && value.startsWith("/") && !value.startsWith("//") &&
    !value.includes("\\");
  return ok ? value : fallback;
}

async function signIn(button) {
  busy(button, true);
  showStatus(text("waiting"));
  try {
    const { flow_id: flowId, options } = await api("POST", "/api/v1/auth/login/options");
    const credential = await usePasskey(options);
    showStatus(text("checking"));
    const result = await api("POST", "/api/v1/auth/login", { flow_id: flowId, credential });
    showStatus(text("signed_in"));
    const next = button.dataset.next && button.dataset.next !== "/" ? button.dataset.next : "";
    window.location.assign(localTarget(next || result.redirect, "/"));
  } catch (error) {
    showError(explain(error, "get"));
    busy(button, false);
  }
}

async function join(button) {
  const token = encodeURIComponent(button.dataset.token || "");
  const nameInput = document.getElementById("device-name");
  busy(button, true);
  showStatus(text("waiting"));
  try {
    const base = `/api/v1/auth/invitations/${token}`;
    const { flow_id: flowId, options } = await api("POST", `${base}/options`);
    const credential = await createPasskey(options);
    showStatus(text("checking"));
    const result = await api("POST", `${base}/register`, {
      flow_id: flowId,
      credential,
      device_name: nameInput ? nameInput.value.trim() : "",
    });
    showStatus(text("joined"));
    window.location.assign(localTarget(result.redirect, "/akun"));
  } catch (error) {
    showError(explain(error, "create"));
    busy(button, false);
  }
}

const signInButton = document.getElementById("passkey-sign-in");
if (signInButton && requireSupport(signInButton)) {
  signInButton.addEventListener("click", () => signIn(signInButton));
  signInButton.disabled = false;
}
const joinButton = document.getElementById("passkey-join");
if (joinButton && requireSupport(joinButton)) {
  joinButton.addEventListener("click", () => join(joinButton));
  joinButton.disabled = false;
}
