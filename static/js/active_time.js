// Honest seat time (modules.seat_time, docs/follow-through.md): counts the time this module
// page is visible AND the teacher has used it (scrolled, tapped, typed, moved the pointer)
// within the last 90 seconds, and sends it in numbered batches: every 30 seconds of such
// time, and whenever the page is hidden or left. It sends nothing else: no clicks, no
// positions, no text. Sending never holds the page up: sendBeacon (or fetch with keepalive),
// no answer awaited. Loaded from templates/modules/module_page.html; no inline script (CSP).
(function () {
  "use strict";
  var holder = document.querySelector("[data-active-time]");
  if (!holder || !window.FormData) return;
  var IDLE_MS = 90 * 1000;
  var BATCH_MS = 30 * 1000;
  var TICK_MS = 1000;
  var url = holder.getAttribute("data-url");
  var token = holder.getAttribute("data-token");
  var csrf = holder.getAttribute("data-csrf");
  var seq = 0;
  var pending = 0; // active milliseconds not sent yet
  var lastUse = Date.now(); // opening the page counts as using it
  var lastTick = Date.now();

  function active() {
    return document.visibilityState === "visible" && Date.now() - lastUse < IDLE_MS;
  }

  function send() {
    var ms = Math.round(pending);
    if (ms < 1000) return; // less than a second is not worth a request
    pending = 0;
    seq += 1;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("token", token);
    body.append("seq", String(seq));
    body.append("ms", String(ms));
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
    } catch (error) {
      // fall through to fetch
    }
    if (window.fetch) {
      window.fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: true,
      }).catch(function () {});
    }
  }

  function tick() {
    var now = Date.now();
    // A tick that came late (a sleeping laptop) adds at most one tick's worth.
    if (active()) pending += Math.min(now - lastTick, 2 * TICK_MS);
    lastTick = now;
    if (pending >= BATCH_MS) send();
  }

  function used() {
    if (!active()) lastTick = Date.now(); // idle time before this is not counted
    lastUse = Date.now();
  }

  ["pointerdown", "pointermove", "keydown", "scroll", "wheel", "touchstart", "input"].forEach(
    function (name) {
      window.addEventListener(name, used, { passive: true, capture: true });
    }
  );
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      tick();
      send();
    } else {
      lastTick = Date.now();
    }
  });
  window.addEventListener("pagehide", function () {
    tick();
    send();
  });
  window.setInterval(tick, TICK_MS);
})();
