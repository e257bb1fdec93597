/* Library kiosk, in the visitor's browser. Loaded once per page load (window.__kioskIdle).
   1. Idle reset: after window.KIOSK.idle quiet seconds ask "Still there?", and after window.KIOSK.prompt more
      seconds load the kiosk afresh: a new session, no query string, no history added.
   2. No way out: no context menu (right click or long press), text selection, dragging of images or links,
      page zoom (pinch, ctrl + wheel, ctrl + plus) or browser shortcut (static/kiosk_keys.js), in this page and
      in every frame.
   3. "Just a moment": shown the moment a button or a ward on the map is tapped, until the app has answered.
   4. Trouble: an error box or a lost connection is covered by a plain message, and the kiosk starts again
      by itself once the server answers. Streamlit's own error box and dialogs (with their links) never show.
   5. The map fills the height the screen has left. */
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

  /* 1. Idle reset ----------------------------------------------------------------------------------------- */
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

  /* 2. No way out ----------------------------------------------------------------------------------------- */
  function stop(e) { e.preventDefault(); }

  function guard(doc) {
    if (!doc || doc.__kioskWatched) { return; }
    doc.__kioskWatched = true;
    events.forEach(function (name) { doc.addEventListener(name, activity, {capture: true, passive: true}); });
    ["contextmenu", "selectstart", "dragstart", "gesturestart", "auxclick"].forEach(function (name) {
      doc.addEventListener(name, stop, {capture: true});
    });
    doc.addEventListener("wheel", function (e) { if (e.ctrlKey || e.metaKey) { e.preventDefault(); } },
                         {capture: true, passive: false});
    if (window.kioskGuardKeys) { window.kioskGuardKeys(doc); }  // static/kiosk_keys.js: every shortcut key
  }

  // Two fingers on the page itself never zoom it (the map's frame handles its own pinch).
  document.addEventListener("touchmove", function (e) { if (e.touches.length > 1) { e.preventDefault(); } },
                            {capture: true, passive: false});
  var viewport = document.querySelector("meta[name=viewport]");
  if (!viewport) { viewport = element("meta", {name: "viewport"}, document.head); }
  viewport.setAttribute("content", "width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no");

  /* 3. "Just a moment" -------------------------------------------------------------------------------------- */
  var working = element("div", {"class": "kiosk-working", role: "status", "aria-live": "polite"}, document.body);
  element("span", {"class": "kiosk-spinner", "aria-hidden": "true"}, working);
  working.append("Just a moment…");
  var sawRun = false, busyTimers = [];

  function idle() {
    working.classList.remove("on");
    busyTimers.forEach(clearTimeout);
    busyTimers = [];
  }

  function busy() {
    sawRun = false;
    working.classList.add("on");
    busyTimers.forEach(clearTimeout);
    // A tap that starts no work (a disabled button, a finger dragged away) clears itself; nothing waits forever.
    busyTimers = [setTimeout(function () { if (!sawRun) { idle(); } }, 1500), setTimeout(idle, 15000)];
  }

  document.addEventListener("pointerdown", function (e) {
    var button = e.target.closest && e.target.closest("button");
    if (button && !button.disabled && !button.closest("#kiosk-still-there")) { busy(); }
  }, true);

  // A tap on a ward in the map's frame arrives here: press that ward's (hidden) button.
  window.kioskPick = function (code) {
    if (!/^E[0-9]{8}$/.test(String(code))) { return; }
    var button = document.querySelector(".st-key-pick_" + code + " button");
    if (!button) { return; }
    busy();
    button.click();
  };

  /* 4. Trouble ----------------------------------------------------------------------------------------------- */
  var trouble = null, troubleSince = 0, lostSince = 0, wasConnected = false;

  function showTrouble(words) {
    if (trouble) { return; }
    idle();
    troubleSince = Date.now();
    trouble = element("div", {id: "kiosk-trouble", role: "alert"}, document.body);
    var box = element("div", {"class": "kiosk-still-box"}, trouble);
    element("h2", {}, box).textContent = "Sorry";
    element("p", {}, box).textContent = words;
    (function retry() {  // start again only once the server answers, so no browser error page ever shows
      fetch("/_stcore/health", {cache: "no-store"}).then(function (r) {
        if (r.ok && Date.now() - troubleSince > 4000) { startAgain(); } else { setTimeout(retry, 2000); }
      }, function () { setTimeout(retry, 2000); });
    })();
  }

  function look() {
    // The map is kept on every screen (pages/kiosk.py, map_box) and shown only with its tap buttons.
    var mapOn = !!document.querySelector(".st-key-kiosk_map_picks");
    if (mapOn !== document.body.classList.contains("kiosk-map-on")) {
      document.body.classList.toggle("kiosk-map-on", mapOn);
      var shown = document.querySelector(".st-key-kiosk_map iframe");
      try { if (mapOn && shown.contentWindow.kioskReset) { shown.contentWindow.kioskReset(); } } catch (e) { /* none */ }
    }
    var app = document.querySelector("[data-testid=stApp]");
    if (app) {
      var link = app.getAttribute("data-test-connection-state");
      if (link === "CONNECTED") { wasConnected = true; lostSince = 0; }
      else if (link && wasConnected) { lostSince = lostSince || Date.now(); }  // reconnecting, or given up
    }
    if (document.querySelector("[data-testid=stException]")) {
      showTrouble("Something went wrong. This screen will start again by itself in a moment.");
    } else if (lostSince && Date.now() - lostSince > 2000) {
      showTrouble("This screen has lost touch with the library's computer. It will start again by itself "
                  + "when it is back.");
    }
    fitMap();
  }

  /* 5. The map fills the height left on the screen ------------------------------------------------------ */
  function fitMap() {
    var box = document.querySelector(".st-key-kiosk_map");
    var holder = box && box.querySelector(":scope > [data-testid=stElementContainer]:first-child");
    if (!holder || !document.body.classList.contains("kiosk-map-on")) { return; }
    // From the map's top to the bottom of the screen, less what comes under the map (its words, Start again, and
    // the page's own padding: a guess of 16 px for it left the page 6 px too tall to fit, so it scrolled).
    var scroller = document.querySelector("[data-testid=stMain]") || document.scrollingElement;
    var page = document.querySelector("[data-testid=stMainBlockContainer]") || box;
    var place = holder.getBoundingClientRect(), frame = scroller.getBoundingClientRect();
    var top = place.top - frame.top + scroller.scrollTop;
    var under = page.getBoundingClientRect().bottom - place.bottom;
    var want = Math.max(360, Math.floor(scroller.clientHeight - top - under));
    if (Math.abs(holder.getBoundingClientRect().height - want) > 2) {
      document.documentElement.style.setProperty("--kiosk-map-h", want + "px");
    }
  }

  // The app's run state, every change of it (a quick run can start and end within one frame): the tap's
  // "Just a moment" goes as soon as a run that started after the tap has finished.
  function watchRuns(records) {
    records.forEach(function (r) {
      if (r.attributeName !== "data-test-script-state") { return; }
      var now = r.target.getAttribute("data-test-script-state");
      if (r.oldValue === "running" || now === "running") { sawRun = true; }
      if (now === "notRunning" && sawRun) { sawRun = false; idle(); }
    });
  }
  new MutationObserver(watchRuns).observe(document.documentElement, {subtree: true, attributes: true,
    attributeOldValue: true, attributeFilter: ["data-test-script-state"]});

  var queued = false;
  new MutationObserver(function () {
    if (queued) { return; }
    queued = true;
    requestAnimationFrame(function () { queued = false; look(); });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        attributeFilter: ["data-test-script-state", "data-test-connection-state"]});
  window.addEventListener("resize", fitMap);
  setInterval(look, 1000);  // a lost connection changes nothing else on the page

  guard(document);
  // Frames (the map) have documents of their own, whose touches never reach this page: guard each one too.
  setInterval(function () {
    document.querySelectorAll("iframe").forEach(function (frame) {
      try { guard(frame.contentDocument); } catch (e) { /* a frame from elsewhere: there are none */ }
    });
  }, 500);
  arm();
  look();
})();
