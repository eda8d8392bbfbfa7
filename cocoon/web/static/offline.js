/* cocoon field app: the service worker that lets a team reopen a roster in a dead spot.
   It serves the pages under /rosters/ (and the files they load) from the network when there is
   one, and keeps a copy of each roster page and its files; without a connection it answers with
   that copy, for at most the session's longest life (max_hours in its address). A tap is never
   answered from the copy: it goes to the network, and the page keeps it until it has gone. The
   login page deletes the copies, so logging out leaves no roster on the phone. */
"use strict";
var CACHE = "cocoon-offline";
var MAX_MS = Number(new URL(self.location).searchParams.get("max_hours") || "12") * 3600 * 1000;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function kept(request) {
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return false; }
  if (request.mode === "navigate") { return /^\/rosters\/[^/]+$/.test(url.pathname); }
  return url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/vendor/leaflet/") === 0;
}

function fresh(response) {
  var made = Date.parse(response.headers.get("Date") || "");
  return !isNaN(made) && Date.now() - made <= MAX_MS;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !kept(request)) { return; }
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit && fresh(hit) ? hit : Response.error();
      });
    });
  }));
});
