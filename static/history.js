/* One Back step per choice, on every page but the kiosk.

   Streamlit writes a bound widget's new value into the address with history.replaceState, so a
   choice never adds a history entry and Back leaves the app. On a page switch it also pushes the
   old page's address without its query before the new page's, so Back lands on a reset page.
   Streamlit already restores a view from the address on Back and Forward (popstate): what is
   missing is the entries. This script gives each user action (a pointer or key press, on the page
   or inside one of its same-origin frames) at most one entry: the action's first change of
   address is pushed, any later change it causes (the server's corrections, a page switch's
   second step) replaces it, and a change that no action caused (a first load, Back, Forward)
   never adds one. The kiosk does not load this file: it keeps nothing in the address. */
(function () {
  if (window.__explorerHistory) { return; }
  window.__explorerHistory = true;
  var push = history.pushState.bind(history);
  var replace = history.replaceState.bind(history);
  var armed = false;
  // Keys that move focus or close a list but never change a choice do not count as an action.
  var idle = {Escape: 1, Tab: 1, Shift: 1, Control: 1, Alt: 1, Meta: 1, CapsLock: 1};

  function arm(event) { if (!(event.type === "keydown" && idle[event.key])) { armed = true; } }

  function changes(url) {
    return url !== undefined && url !== null && new URL(String(url), location.href).href !== location.href;
  }

  function write(state, title, url) {
    if (changes(url) && armed) {
      armed = false;
      return push(state, title, url);
    }
    return replace(state, title, url);
  }

  history.pushState = write;
  history.replaceState = write;
  window.addEventListener("popstate", function () { armed = false; }, true);

  function watch(doc) {
    if (!doc || doc.__explorerHistoryWatched) { return; }
    doc.__explorerHistoryWatched = true;
    ["pointerdown", "keydown"].forEach(function (name) {
      doc.addEventListener(name, arm, {capture: true, passive: true});
    });
  }

  watch(document);
  // Ward pickers are drawn in frames whose clicks never reach this page: listen inside them too.
  setInterval(function () {
    document.querySelectorAll("iframe").forEach(function (frame) {
      try { watch(frame.contentDocument); } catch (e) { /* not same-origin: nothing to watch */ }
    });
  }, 1000);
})();
