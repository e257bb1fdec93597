"""In Chromium: the kiosk's Start button draws its icon from the subset font as one glyph, not as the word.

The font's answer is recorded as the page loads it: it must be the subset (deploy/icon_font.py), and with it the
drawn text must be about one glyph wide (the font's icons are 1 em square) rather than the letters "touch_app"
(the span itself is always 1 em square: Streamlit sizes it, so its text is measured with a DOM range).
"""

import pytest

from deploy import icon_font
from tests.browser import ARTIFACTS, offline_browser_page, open_page, running_server

pytestmark = pytest.mark.browser

PORTRAIT = {"width": 1080, "height": 1920}
# The Start button's icon: its box, font size, the font family it asks for and whether that font is loaded.
ICON = """() => {
  const button = [...document.querySelectorAll('button')].find((b) => b.innerText.includes('Start'));
  const icon = button.querySelector('[data-testid=stIconMaterial]');
  // the drawn text's own width: the span itself is sized 1 em square by Streamlit, whatever it holds
  const range = document.createRange();
  range.selectNodeContents(icon);
  const style = getComputedStyle(icon), box = range.getBoundingClientRect();
  return {text: icon.textContent, width: box.width, height: box.height, px: parseFloat(style.fontSize),
          family: style.fontFamily, loaded: document.fonts.check(`${style.fontSize} ${style.fontFamily}`)};
}"""


def test_the_start_buttons_icon_is_one_glyph_of_the_subset():
    if not icon_font.OUTPUT.is_file():
        icon_font.build()
    answers = []
    with running_server() as server, offline_browser_page(viewport=PORTRAIT, has_touch=True) as page:
        page.on("response", lambda r: answers.append(r) if "MaterialSymbols" in r.url else None)
        open_page(page, server.rstrip("/") + "/kiosk")
        page.get_by_role("button", name="Start").wait_for()
        page.wait_for_function("document.fonts.status === 'loaded' && document.fonts.size > 0")
        page.wait_for_function(f"({ICON})().loaded")
        icon = page.evaluate(ICON)
        page.screenshot(path=str(ARTIFACTS / "icon_font_kiosk_start.png"))
        assert page.outside == []
        fonts = [(r.url, len(r.body())) for r in answers]
    assert icon["text"] == "touch_app" and "Material Symbols Rounded" in icon["family"]
    assert icon["width"] <= 1.2 * icon["px"], f"the icon is drawn as the word: {icon}"
    assert fonts and all(size == icon_font.OUTPUT.stat().st_size for _, size in fonts), fonts
