"""What a visitor can do at the kiosk, and no more.

A staff number that locks after wrong tries, a keypad that types only a postcode, and web addresses shown as
words, never as links (a link is a way out).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from geo.postcodes import LONGEST

PIN_TRIES, PIN_LOCK_SECONDS = 5, 60  # wrong staff numbers in a row, then the pad is locked for a minute
MAX_POSTCODE = LONGEST  # "BFPO 1234" is the longest UK postcode ("CV34 5AB" the longest street one)
KEYPAD_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM")
KEYS = set("".join(KEYPAD_ROWS)) | {" "}
ADDRESS = re.compile(r"(?:https?://|www\.)[^\s'\"()`<>\[\]\\]+?(?=[.,;:)]*(?:\s|$|['\"]))")


@dataclass
class PinGuard:
    """Wrong staff numbers in a row, and the lock that follows ``PIN_TRIES`` of them.

    Times are seconds from any monotonic clock. One guard is kept per kiosk (by address) in the
    server, so starting the page again does not reset it.

    Examples
    --------
    >>> guard = PinGuard()
    >>> [guard.wrong(now=10.0) for _ in range(5)]
    [4, 3, 2, 1, 0]
    >>> guard.seconds_left(now=30.0)
    40
    >>> guard.seconds_left(now=70.0)
    0
    """

    tries: int = 0
    locked_until: float = 0.0

    def seconds_left(self, now: float) -> int:
        """Whole seconds until the number pad opens again (0 when it is open)."""
        return max(0, math.ceil(self.locked_until - now))

    def wrong(self, now: float) -> int:
        """Count a wrong number; return how many tries are left before the lock (0: locked now)."""
        self.tries += 1
        if self.tries >= PIN_TRIES:
            self.tries = 0
            self.locked_until = now + PIN_LOCK_SECONDS
            return 0
        return PIN_TRIES - self.tries

    def right(self) -> None:
        """The right number: forget the wrong ones."""
        self.tries = 0


def type_key(text: str, key: str) -> str:
    """The postcode typed so far after pressing ``key`` on the on-screen keypad.

    Examples
    --------
    >>> type_key("CV1", "5")
    'CV15'
    >>> type_key("CV1", "Space")
    'CV1 '
    >>> type_key("CV1", "Delete")
    'CV'
    >>> type_key("BFPO 123", "4")
    'BFPO 1234'
    >>> type_key("BFPO 1234", "5")
    'BFPO 1234'
    """
    if key == "Delete":
        return text[:-1]
    if key == "Clear":
        return ""
    char = " " if key == "Space" else key.upper()
    if len(char) != 1 or char not in KEYS or len(text) >= MAX_POSTCODE:
        return text
    if char == " " and (not text or text.endswith(" ")):
        return text
    return text + char


def words_with_addresses(text: str) -> str:
    r"""Markdown that shows ``text`` as written, with every web address as code, never as a link.

    Markdown makes a link of any bare address; on the kiosk a link is a way out.

    Examples
    --------
    >>> print(words_with_addresses("Set it to https://explorer.example.org/ or www.x.org"))
    Set it to `https://explorer.example.org/` or `www.x.org`
    >>> print(words_with_addresses("EXPLORER_PUBLIC_URL='http://127.0.0.1:8501/': no [link]"))
    EXPLORER\_PUBLIC\_URL='`http://127.0.0.1:8501/`'\: no \[link\]
    """
    from explorer.models.text import md_escape

    out, at = [], 0
    for match in ADDRESS.finditer(text):
        out += [md_escape(text[at:match.start()]), f"`{match.group(0)}`"]
        at = match.end()
    return "".join(out) + md_escape(text[at:])
