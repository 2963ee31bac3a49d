// Every page: register the service worker, show the offline banner, and hand the
// pre-rendered page over to its live ReactPy component once the websocket answers.
const banner = document.getElementById("offline-banner");

function showConnectivity() {
  if (banner) banner.hidden = navigator.onLine;
}

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  } catch (error) {
    console.warn("Koroena: service worker not registered", error);
  }
}

let mounted = false;

async function mountLive() {
  const prerendered = document.querySelector("[data-reactpy-component]");
  if (!prerendered || mounted || !navigator.onLine) return;
  mounted = true;
  try {
    const { mountReactPy } = await import("/_reactpy/static/index.js");
    // Mount beside the pre-rendered copy and swap only when the first frame arrives,
    // so the page never flashes empty.
    const live = document.createElement("div");
    live.hidden = true;
    prerendered.after(live);
    const observer = new MutationObserver(() => {
      if (!live.firstElementChild) return;
      observer.disconnect();
      prerendered.remove();
      live.id = "app";
      live.hidden = false;
      document.documentElement.dataset.live = "true";
    });
    observer.observe(live, { childList: true, subtree: true });
    mountReactPy({
      mountElement: live,
      pathPrefix: "/_reactpy/",
      componentPath: `${prerendered.dataset.reactpyComponent}/`,
      reconnectInterval: 1000,
      reconnectMaxInterval: 30000,
      reconnectMaxRetries: 200,
      reconnectBackoffMultiplier: 1.5,
    });
  } catch (error) {
    mounted = false;
    console.warn("Koroena: live page not available", error);
  }
}

window.addEventListener("online", () => { showConnectivity(); mountLive(); });
window.addEventListener("offline", showConnectivity);
showConnectivity();
registerServiceWorker();
mountLive();
