/* cocoon field app: the login page forgets what a session left on the phone for offline use
   (the roster pages the service worker kept, and the outcomes shown as sent); taps not yet
   sent stay, and go once the user is logged in again. */
(function () {
  "use strict";
  if (window.caches) { caches.delete("cocoon-offline"); }
  if (!window.localStorage) { return; }
  for (var i = localStorage.length - 1; i >= 0; i--) {
    var key = localStorage.key(i);
    if (key && key.indexOf("cocoon.taps.") === 0 && /\.sent$/.test(key)) {
      localStorage.removeItem(key);
    }
  }
})();
