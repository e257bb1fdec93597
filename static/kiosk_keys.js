/* Library kiosk: the keys a kiosk keyboard (or a visitor's own) may press that would reach the browser.
   Loaded by the kiosk page and by its map's frame, so both cancel the same keys. Every key pressed with Ctrl,
   Alt or the Windows/Command key is a browser or system shortcut here (the kiosk has no text field: postcodes
   are typed on its own keypad), and so are the function keys, Esc and the keyboard's browser keys. Tab, the
   arrows, Enter and Space still move about the page and press its buttons. A page cannot stop the shortcuts
   the browser keeps for itself (Ctrl+N, Ctrl+T, Ctrl+W, Ctrl+Tab, Alt+F4, the Windows key): the browser's
   kiosk flags and the computer's own lock-down do (docs/kiosk.md, "No way out"). */
(function () {
  var NAMED = /^(F([1-9]|1[0-9]|2[0-4])|Escape|Esc|ContextMenu|Help|Browser[A-Za-z]+|Launch[A-Za-z0-9]+|Print|Find|Open|Save|Close|New|Props|ZoomIn|ZoomOut|ZoomToggle)$/;

  window.kioskShortcut = function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || NAMED.test(e.key || "")) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  window.kioskGuardKeys = function (doc) {
    if (!doc || doc.__kioskKeys) { return; }
    doc.__kioskKeys = true;
    doc.addEventListener("keydown", window.kioskShortcut, true);
    doc.addEventListener("keyup", window.kioskShortcut, true);
  };

  window.kioskGuardKeys(document);
})();
