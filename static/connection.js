/* Our own plain words when the server cannot be reached, on every page but the kiosk (static/kiosk.js has its own).

   When the page loses its connection, Streamlit opens a "Connection error" dialog telling the reader to
   "restart it in your terminal: streamlit run yourscript.py" (or asking whether they are connected to the
   internet). That is for the person running the server, not the public. While the page is not connected this
   script hides Streamlit's dialog and covers the page with a plain message, with no link. It asks the server's
   health address every two seconds (Streamlit's own retries slow down to a minute or more), and once the server
   answers, or Streamlit has reconnected, the page is loaded again: a server that restarted holds no session for
   it, and would leave the old page standing until the next click. The page is drawn from its address. */
(function () {
  if (window.__explorerConnection) { return; }
  window.__explorerConnection = true;
  var wasConnected = false, lostSince = 0, cover = null;

  var style = document.createElement("style");
  style.textContent = "body.explorer-offline .stDialog, body.explorer-offline [role=dialog] { display: none !important; }"
    + " #explorer-offline { position: fixed; inset: 0; z-index: 1000000; background: rgba(0, 0, 0, 0.6);"
    + " display: flex; align-items: center; justify-content: center; }"
    + " #explorer-offline div { background: #fff; color: #000; padding: 1.5rem 2rem; border-radius: 0.6rem;"
    + " max-width: 32rem; font-size: 1.1rem; line-height: 1.5; }"
    + " #explorer-offline h2 { font-size: 1.5rem; margin: 0 0 0.6rem; }";
  document.head.appendChild(style);

  function showCover() {
    if (cover) { return; }
    cover = document.createElement("section");
    cover.id = "explorer-offline";
    cover.setAttribute("role", "alert");
    cover.setAttribute("aria-labelledby", "explorer-offline-title");
    var box = document.createElement("div");
    var title = document.createElement("h2");
    title.id = "explorer-offline-title";
    title.textContent = "The explorer cannot be reached";
    var words = document.createElement("p");
    words.textContent = "This page has lost touch with the explorer's server. It will open again by itself when the "
      + "server answers, showing what you chose (that is kept in the page's address). If this lasts, try again "
      + "later.";
    box.appendChild(title);
    box.appendChild(words);
    cover.appendChild(box);
    document.body.appendChild(cover);
    var since = Date.now();
    (function retry() {  // open the page again only once the server answers, so no browser error page shows
      fetch("/_stcore/health", {cache: "no-store"}).then(function (r) {
        // Not within four seconds: a server that is stopping may still answer while its connections close.
        if (r.ok && Date.now() - since > 4000) { location.reload(); } else { setTimeout(retry, 2000); }
      }, function () { setTimeout(retry, 2000); });
    })();
  }

  function look() {
    var app = document.querySelector("[data-testid=stApp]");
    var state = app && app.getAttribute("data-test-connection-state");
    if (!state) { return; }
    if (state === "CONNECTED") {
      if (cover) { location.reload(); return; }  // back after a lost connection: open the page afresh
      wasConnected = true;
      lostSince = 0;
      document.body.classList.remove("explorer-offline");
      return;
    }
    // Not connected: Streamlit's dialog never shows. The cover comes at once after a lost connection, and after
    // three seconds when the page never connected (a first connection passes through these states briefly).
    document.body.classList.add("explorer-offline");
    lostSince = lostSince || Date.now();
    if (wasConnected || Date.now() - lostSince > 3000) { showCover(); }
  }

  new MutationObserver(look).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                                                attributeFilter: ["data-test-connection-state"]});
  setInterval(look, 500);  // the time since the connection was lost moves on with nothing else changing
  look();
})();
