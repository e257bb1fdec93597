/* Kiosk idle reset: after window.KIOSK.idle quiet seconds ask "Still there?", and after
   window.KIOSK.prompt more seconds load the kiosk afresh: a new session, no query string, no history added. */
(function () {
  if (window.__kioskIdle) { return; }
  window.__kioskIdle = true;
  var cfg = window.KIOSK || {idle: 90, prompt: 20};
  var home = location.origin + location.pathname;
  var events = ["pointerdown", "keydown", "touchstart", "wheel"];
  var timer = null, ticker = null, overlay = null;

  function element(tag, attributes, parent) {
    var made = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { made.setAttribute(name, attributes[name]); });
    parent.appendChild(made);
    return made;
  }

  function onAttractScreen() { return !!document.querySelector(".st-key-kiosk_attract"); }

  function startAgain() {
    try { sessionStorage.clear(); localStorage.clear(); } catch (e) { /* storage may be off */ }
    location.replace(home);
  }

  function dismiss() {
    if (overlay) { overlay.remove(); overlay = null; }
    clearInterval(ticker);
    arm();
  }

  function ask() {
    if (onAttractScreen()) { arm(); return; }
    var left = cfg.prompt;
    overlay = document.createElement("div");
    overlay.id = "kiosk-still-there";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", "kiosk-still-title");
    overlay.setAttribute("aria-describedby", "kiosk-still-words");
    var box = element("div", {"class": "kiosk-still-box"}, overlay);
    element("h2", {id: "kiosk-still-title"}, box).textContent = "Still there?";
    var words = element("p", {id: "kiosk-still-words"}, box);
    words.append("This screen will start again in ");
    var shown = element("span", {id: "kiosk-still-left"}, words);
    words.append(" seconds, so the next person can use it.");
    var yes = element("button", {type: "button", id: "kiosk-still-yes"}, box);
    yes.textContent = "Yes, I am still here";
    document.body.appendChild(overlay);
    shown.textContent = left;
    overlay.addEventListener("click", dismiss);
    yes.focus();
    ticker = setInterval(function () {
      left -= 1;
      shown.textContent = Math.max(left, 0);
      if (left <= 0) { clearInterval(ticker); startAgain(); }
    }, 1000);
  }

  function arm() {
    clearTimeout(timer);
    timer = setTimeout(ask, cfg.idle * 1000);
  }

  function activity() { if (!overlay) { arm(); } }

  function watch(doc) {
    if (!doc || doc.__kioskWatched) { return; }
    doc.__kioskWatched = true;
    events.forEach(function (name) { doc.addEventListener(name, activity, {capture: true, passive: true}); });
  }

  watch(document);
  // The map is drawn in a frame whose touches never reach this page: listen inside each frame too.
  setInterval(function () {
    document.querySelectorAll("iframe").forEach(function (frame) {
      try { watch(frame.contentDocument); } catch (e) { /* a frame from elsewhere: there are none */ }
    });
  }, 1000);
  arm();
})();
