"""How a kiosk is set up: its settings from the server's environment, and the address its QR code gives phones.

Every setting is read from an ``EXPLORER_KIOSK_*`` (or ``EXPLORER_PUBLIC_URL``) variable; a bad one keeps its
default and is described to staff, never to visitors.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


@dataclass(frozen=True)
class KioskSettings:
    """How a kiosk behaves, read from the environment of the server.

    Attributes
    ----------
    idle_seconds : int
        Quiet time before the "Still there?" prompt (EXPLORER_KIOSK_IDLE_SECONDS, default 90).
    prompt_seconds : int
        How long the prompt waits before starting again (EXPLORER_KIOSK_PROMPT_SECONDS, default 20).
    staff_pin : str or None
        Digits that open the way out for staff (EXPLORER_KIOSK_PIN); None turns the way out off.
    public_url : str or None
        Address phones can reach, for the QR code (EXPLORER_PUBLIC_URL), e.g. https://explorer.example.org/.
    library : str or None
        The library the kiosk stands in (EXPLORER_KIOSK_LIBRARY), exactly as named in the council's register of
        sites (its local pack); the map marks it "You are here" and opens on its ward. None: no marker, the whole
        authority.
    """

    idle_seconds: int = 90
    prompt_seconds: int = 20
    staff_pin: str | None = None
    public_url: str | None = None
    library: str | None = None


def _seconds(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not re.fullmatch(r"[0-9]{1,6}", text) or not low <= int(text) <= high:  # isdigit() would accept "²"
        raise ValueError(f"{name}={text!r}: set it to a whole number of seconds from {low} to {high}")
    return int(text)


def read_settings(env: Mapping[str, str], libraries: Sequence[str] | None = None,
                  register: str = "the council's register of sites") -> tuple[KioskSettings, list[str]]:
    """Read kiosk settings; a bad variable keeps its default and is described in the returned problems.

    ``libraries`` are the names of the Library rows of the council's register, which EXPLORER_KIOSK_LIBRARY must
    name (any case; the register's spelling is kept); ``register`` says where they were read from, for staff
    (its file, or that the authority's pack holds none).

    Examples
    --------
    >>> read_settings({"EXPLORER_KIOSK_IDLE_SECONDS": "soon", "EXPLORER_KIOSK_PIN": "2468"})[0].staff_pin
    '2468'
    >>> read_settings({"EXPLORER_KIOSK_LIBRARY": "foleshill library"}, ["Foleshill Library"])[0].library
    'Foleshill Library'
    """
    values, problems = {}, []
    readers = {
        "idle_seconds": lambda: _seconds(env, "EXPLORER_KIOSK_IDLE_SECONDS", 90, 5, 3600),
        "prompt_seconds": lambda: _seconds(env, "EXPLORER_KIOSK_PROMPT_SECONDS", 20, 3, 600),
        "staff_pin": lambda: _pin(env),
        "public_url": lambda: _public_url(env),
        "library": lambda: _library(env, libraries or [], register),
    }
    for field, read in readers.items():
        try:
            values[field] = read()
        except ValueError as exc:
            problems.append(str(exc))
    return KioskSettings(**values), problems


def settings_from(env: Mapping[str, str], libraries: Sequence[str] | None = None) -> KioskSettings:
    """Read kiosk settings strictly, saying which variable is wrong and what it should be.

    Examples
    --------
    >>> settings_from({}).idle_seconds
    90
    >>> read_settings({"EXPLORER_KIOSK_PROMPT_SECONDS": "²"})[1]
    ["EXPLORER_KIOSK_PROMPT_SECONDS='²': set it to a whole number of seconds from 3 to 600"]
    >>> settings_from({"EXPLORER_KIOSK_IDLE_SECONDS": "30", "EXPLORER_KIOSK_PIN": "2468"}).staff_pin
    '2468'
    """
    settings, problems = read_settings(env, libraries)
    if problems:
        raise ValueError("; ".join(problems))
    return settings


def _pin(env: Mapping[str, str]) -> str | None:
    pin = env.get("EXPLORER_KIOSK_PIN", "").strip() or None
    if pin is not None and not re.fullmatch(r"\d{4,8}", pin):
        raise ValueError("EXPLORER_KIOSK_PIN must be 4 to 8 digits (staff type it on the kiosk's number pad)")
    return pin


def _public_url(env: Mapping[str, str]) -> str | None:
    public = env.get("EXPLORER_PUBLIC_URL", "").strip() or None
    if public is None:
        return None
    parts = urlsplit(public)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"EXPLORER_PUBLIC_URL={public!r}: give the full address, e.g. https://explorer.example.org/")
    if is_loopback(parts.hostname or ""):
        raise ValueError(f"EXPLORER_PUBLIC_URL={public!r}: a phone cannot open this machine's own address; "
                         "give the address phones use, e.g. https://explorer.example.org/")
    return public.rstrip("/") + "/"


def _library(env: Mapping[str, str], libraries: Sequence[str], register: str) -> str | None:
    wanted = " ".join(env.get("EXPLORER_KIOSK_LIBRARY", "").split())
    if not wanted:
        return None
    for name in libraries:
        if name.casefold() == wanted.casefold():
            return name
    known = f"Use one of: {', '.join(sorted(libraries))}" if libraries else "There is none to name: leave it unset"
    raise ValueError(f"EXPLORER_KIOSK_LIBRARY={wanted[:60]!r} names no library (type Library) in {register}. {known}")


def is_loopback(host: str) -> bool:
    """True for an address that only this machine can open (localhost, 127.x, ::1, 0.0.0.0).

    Examples
    --------
    >>> [is_loopback(h) for h in ("localhost", "127.0.0.1", "127.8.0.2", "::1", "[::1]", "0.0.0.0")]
    [True, True, True, True, True, True]
    >>> [is_loopback(h) for h in ("explorer.example.org", "10.1.2.3", "kiosk-server")]
    [False, False, False]
    """
    host = host.strip("[]").lower().rstrip(".")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@dataclass(frozen=True)
class QrAddress:
    """The address the "take this page with you" QR code opens, and any warning for staff."""

    base: str | None  # None: no code is shown to visitors (a phone could not open it)
    warning: str | None


def qr_address(public_url: str | None, page_url: str | None) -> QrAddress:
    """Choose the QR code's address: EXPLORER_PUBLIC_URL, else the address this screen was opened with.

    Examples
    --------
    >>> qr_address(None, "http://127.0.0.1:8501/kiosk").base is None
    True
    >>> qr_address(None, "http://kiosk-server:8501/kiosk").base
    'http://kiosk-server:8501/'
    >>> qr_address("https://explorer.example.org/", "http://127.0.0.1:8501/kiosk").warning is None
    True
    """
    if public_url:
        return QrAddress(public_url, None)
    here = urlsplit(page_url or "")
    if not here.netloc:
        return QrAddress(None, "EXPLORER_PUBLIC_URL is not set and this screen's own address is not known, "
                               "so visitors are shown no QR code. Set EXPLORER_PUBLIC_URL to the address phones use.")
    base = f"{here.scheme}://{here.netloc}/"
    if is_loopback(here.hostname or ""):
        return QrAddress(None, f"The QR code would open {base}, this machine's own address, which no phone can "
                               "open, so visitors are shown no QR code. Set EXPLORER_PUBLIC_URL to the address "
                               "phones use (for example https://explorer.example.org/).")
    return QrAddress(base, f"EXPLORER_PUBLIC_URL is not set, so the QR code opens {base}, the address this "
                           "screen uses. Check that a phone on the library's public network can open it, or set "
                           "EXPLORER_PUBLIC_URL.")



def phone_link(base_url: str, ward_name: str, authority: str | None = None) -> str:
    """The address of the same "my area" view for a phone.

    ``authority`` (its name) is written into the address (``la``) when the kiosk shows an authority other than
    the app's default, so the phone opens the same authority's ward.

    Examples
    --------
    >>> print(phone_link("https://explorer.example.org/", "St Michael's"))
    https://explorer.example.org/my_area?ward=St%20Michael%27s
    >>> print(phone_link("https://explorer.example.org/", "Ladywood", "Birmingham"))
    https://explorer.example.org/my_area?la=Birmingham&ward=Ladywood
    """
    la = f"la={quote(authority, safe='')}&" if authority else ""
    return f"{base_url.rstrip('/')}/my_area?{la}ward={quote(ward_name, safe='')}"


def qr_svg_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI (drawn here: no network, no image files)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=8, border=3, dark="#000000", light="#ffffff")
