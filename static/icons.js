/* An icon beside words is decoration. Streamlit's markdown draws ":material/home:" as a span with role="img" and
   the label "home icon", so a screen reader says "home icon Money and jobs". This hides such icons from assistive
   technology wherever words sit beside them; an icon alone keeps its name. Loaded on every page, the kiosk too. */
(function () {
  if (window.__explorerIcons) { return; }
  window.__explorerIcons = true;
  var pending = false;

  function hide() {
    pending = false;
    var icons = document.querySelectorAll('span[role="img"][aria-label$=" icon"]');
    for (var i = 0; i < icons.length; i++) {
      var icon = icons[i];
      var words = (icon.parentElement.textContent || "").replace(icon.textContent, "").trim();
      if (words) {
        icon.removeAttribute("role");
        icon.removeAttribute("aria-label");
        icon.setAttribute("aria-hidden", "true");
      }
    }
  }

  hide();
  new MutationObserver(function () {
    if (!pending) { pending = true; window.requestAnimationFrame(hide); }
  }).observe(document.body, {childList: true, subtree: true});
})();
