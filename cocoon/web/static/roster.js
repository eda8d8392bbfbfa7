/* cocoon field app: a roster's taps that survive a dead spot. Each tap gets its own id (a
   version 4 UUID) on the phone, is kept in localStorage (per user and roster) before it is
   sent, and leaves the phone's queue only when the server has answered for it. The server keeps
   each id once, so a tap sent twice (a lost answer, a retry) is recorded once. The page and its
   files are kept for a reload without a connection (offline.js, the service worker); outcomes
   sent from this phone are remembered, so that a kept copy shows them. Without this script the
   page still works: each stop is a form. */
(function () {
  "use strict";
  var root = document.getElementById("roster");
  if (!root || !window.localStorage || !window.fetch || !window.crypto) { return; }
  var words = JSON.parse(document.getElementById("roster-words").textContent);
  var status = document.getElementById("queue");
  var failedList = document.getElementById("failed");
  var storeKey = "cocoon.taps." + root.getAttribute("data-user") + "." +
    root.getAttribute("data-key");
  var failedKey = storeKey + ".refused";
  var sentKey = storeKey + ".sent";
  var postUrl = root.getAttribute("data-post");
  var loginUrl = root.getAttribute("data-login");
  var token = root.querySelector("input[name=csrf_token]").value;
  var RETRY_MS = 10000;
  var sending = false, offline = false, loginNeeded = false;
  var lastButton = null;

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function write(key, list) { localStorage.setItem(key, JSON.stringify(list)); }

  function uuid4() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); })
      .join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function card(addressId) {
    return root.querySelector('li.stop[data-address="' + CSS.escape(addressId) + '"]');
  }

  function mark(addressId, outcome, note) {
    var li = card(addressId);
    if (!li) { return; }
    li.setAttribute("data-outcome", outcome);
    li.querySelector("[data-state]").textContent = words.outcome[outcome] + (note ? " (" + note + ")" : "");
    document.dispatchEvent(new CustomEvent("cocoon:outcome", { detail: { id: addressId, outcome: outcome } }));
  }

  function show() {
    var queue = read(storeKey);
    read(sentKey).forEach(function (tap) {  // a kept copy of the page is older than these
      var li = card(tap.address_id);
      if (li && li.getAttribute("data-outcome") === "pending") { mark(tap.address_id, tap.outcome, ""); }
    });
    Array.prototype.forEach.call(root.querySelectorAll("li.stop.unsent"), function (li) {
      li.classList.remove("unsent");
    });
    queue.forEach(function (tap) {
      var li = card(tap.address_id);
      if (li) { li.classList.add("unsent"); }
      mark(tap.address_id, tap.outcome, words.not_sent);
    });
    var done = root.querySelectorAll('li.stop:not([data-outcome="pending"])').length;
    var progress = document.getElementById("progress");
    if (progress) { progress.textContent = done + " / " + root.querySelectorAll("li.stop").length; }
    status.textContent = "";
    status.className = "queue" + (queue.length ? " waiting" : " sent");
    if (!queue.length) {
      status.textContent = words.all_sent;
    } else {
      status.textContent = words.unsent.replace("{n}", queue.length) +
        (offline ? " – " + words.offline : sending ? " – " + words.sending : "");
      if (loginNeeded) {
        var link = document.createElement("a");
        link.href = loginUrl;
        link.textContent = " " + words.login_again;
        status.appendChild(link);
      }
    }
    status.setAttribute("data-unsent", String(queue.length));
    failedList.textContent = "";
    read(failedKey).forEach(function (tap) {
      var item = document.createElement("li");
      item.textContent = tap.address_id + ": " + words.outcome[tap.outcome] + " – " +
        words.refused + ": " + tap.error;
      failedList.appendChild(item);
    });
  }

  function forget(tapId) {
    write(storeKey, read(storeKey).filter(function (t) { return t.tap_id !== tapId; }));
  }

  function send(tap) {
    return fetch(postUrl, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
        "X-CSRF-Token": token },
      body: JSON.stringify(tap)
    });
  }

  async function flush() {
    if (sending) { return; }
    sending = true;
    try {
      for (;;) {
        var queue = read(storeKey);
        if (!queue.length) { break; }
        var tap = queue[0];
        var answer;
        show();
        try {
          answer = await send(tap);
        } catch (e) {
          offline = true;  // no connection: the tap stays, and is sent later
          break;
        }
        offline = false;
        if (answer.ok) {
          var body = await answer.json();
          forget(tap.tap_id);
          write(sentKey, read(sentKey).filter(function (t) {
            return t.address_id !== tap.address_id;
          }).concat([{ address_id: tap.address_id, outcome: tap.outcome }]));
          loginNeeded = false;
          mark(tap.address_id, tap.outcome, body.result === "superseded" ? words.superseded : "");
          continue;
        }
        if (answer.status === 403 || answer.status === 401 || answer.type === "opaqueredirect") {
          loginNeeded = true;  // the session ended: kept until the user logs in again
          break;
        }
        if (answer.status >= 500 || answer.status === 429 || answer.status === 0) { break; }
        var reason = String(answer.status);
        try { reason = (await answer.json()).error || reason; } catch (e) { /* not JSON */ }
        var refused = read(failedKey);
        tap.error = reason;
        refused.push(tap);
        write(failedKey, refused);
        forget(tap.tap_id);
      }
    } finally {
      sending = false;
      show();
    }
  }

  function keepForOffline() {
    var worker = root.getAttribute("data-worker");
    if (!worker || !("serviceWorker" in navigator) || !window.caches) { return; }
    var controlled = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.register(worker).then(function () {
      if (controlled) { return; }  // the worker kept this page as it came
      var files = [location.pathname];
      document.querySelectorAll("script[src], link[rel=stylesheet]").forEach(function (el) {
        var url = new URL(el.src || el.href, location.href);
        if (url.origin === location.origin) { files.push(url.pathname); }
      });
      return caches.open("cocoon-offline").then(function (cache) { return cache.addAll(files); });
    }).then(function () {
      root.setAttribute("data-offline-copy", "1");
    }, function () { /* no copy: the page still works while it stays open */ });
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=outcome]");
    if (button) { lastButton = button; }
  });
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("tap")) { return; }
    event.preventDefault();
    var button = event.submitter || lastButton;
    if (!button || !button.value) { return; }
    var fields = new FormData(form);
    var queue = read(storeKey);
    queue.push({
      tap_id: uuid4(), address_id: fields.get("address_id"), outcome: button.value,
      tapped_at: new Date().toISOString(), note: fields.get("note") || "",
      saw_what: fields.get("saw_what") || "", saw_when: fields.get("saw_when") || ""
    });
    write(storeKey, queue);  // kept on the phone before anything is sent
    show();
    flush();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { offline = true; show(); });
  setInterval(function () { if (read(storeKey).length) { flush(); } }, RETRY_MS);
  keepForOffline();
  show();
  flush();
  root.setAttribute("data-ready", "1");
})();
