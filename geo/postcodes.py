"""Postcodes: tidy what people type, check it is a postcode, and find its ward.

The lookup is ONS's NSPL (August 2024) for Coventry, so a valid postcode that
is not in it is outside Coventry (or newer than August 2024). Terminated
postcodes keep their last location and are flagged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from geo.validate import check_codes, check_known, check_unique

# The UK postcode shapes (outward code, then digit and two letters).
POSTCODE = re.compile(r"^(?P<out>[A-Z]{1,2}[0-9][0-9A-Z]?) ?(?P<in>[0-9][A-Z]{2})$")
# Postcodes of other shapes that Royal Mail uses (none is a place in England's wards): Girobank's GIR 0AA, the
# British Forces Post Office's BFPO numbers (1 to 4 digits), and the overseas territories' single postcodes.
BFPO = re.compile(r"^BFPO(?P<number>[0-9]{1,4})$")
NON_GEOGRAPHIC = {"GIR0AA": "GIR 0AA", "ASCN1ZZ": "ASCN 1ZZ", "BBND1ZZ": "BBND 1ZZ", "BIQQ1ZZ": "BIQQ 1ZZ",
                  "FIQQ1ZZ": "FIQQ 1ZZ", "PCRN1ZZ": "PCRN 1ZZ", "SIQQ1ZZ": "SIQQ 1ZZ", "STHL1ZZ": "STHL 1ZZ",
                  "TDCU1ZZ": "TDCU 1ZZ", "TKCA1ZZ": "TKCA 1ZZ"}
LONGEST = len("BFPO 1234")  # the longest postcode, as written with its space
MAX_INPUT = 40


@dataclass(frozen=True)
class PostcodeResult:
    """What a postcode search found, with a message to show as it is."""

    status: str  # "found", "terminated", "outside", "invalid", "empty"
    postcode: str | None
    ward: str | None
    lsoa21: str | None
    message: str

    @property
    def ok(self) -> bool:
        """True when the postcode gave a ward (live or terminated)."""
        return self.ward is not None


def normalise(text: str | None) -> str | None:
    """Return ``text`` as a postcode in standard form ("CV1 5FB"), or None if it is not one.

    Whatever a person may paste around or inside one is forgiven: case, spaces of any kind (anywhere), quotes,
    brackets, hyphens and other punctuation, invisible characters (zero-width spaces, direction marks) and
    full-width letters and digits (read as plain ones, Unicode NFKC). Postcodes of Royal Mail's other shapes
    (GIR 0AA, BFPO numbers, the overseas territories') are postcodes too.

    Examples
    --------
    >>> normalise(" cv15fb ")
    'CV1 5FB'
    >>> normalise("CV1  5 FB")
    'CV1 5FB'
    >>> normalise("bfpo 1234"), normalise("gir0aa"), normalise("BFPO12345"), normalise("BFPO 0")
    ('BFPO 1234', 'GIR 0AA', None, None)
    >>> normalise("“CV1‑5FB”"), normalise("ＣＶ１ ５ＦＢ"), normalise("(cv1\u200b 5fb)"), normalise("BFPO\u00a01234")
    ('CV1 5FB', 'CV1 5FB', 'CV1 5FB', 'BFPO 1234')
    >>> normalise("not a postcode") is None
    True
    """
    if not text or len(text) > MAX_INPUT:
        return None
    compact = "".join(ch for ch in unicodedata.normalize("NFKC", text).upper() if ch.isalnum())
    if compact in NON_GEOGRAPHIC:
        return NON_GEOGRAPHIC[compact]
    forces = BFPO.match(compact)
    if forces:
        return f"BFPO {int(forces['number'])}" if int(forces["number"]) else None  # numbers start at 1
    match = POSTCODE.match(compact[:-3] + " " + compact[-3:]) if len(compact) >= 5 else None
    if not match:
        return None
    return f"{match['out']} {match['in']}"


def postcode_table(frame: pd.DataFrame, wards: set[str], lsoas: set[str], name: str) -> pd.DataFrame:
    """A postcode lookup, checked: one row per postcode, known LSOAs and wards, a 0 or 1 terminated flag.

    Parameters
    ----------
    frame : DataFrame
        The lookup as read (text): ``postcode``, ``terminated`` (0 or 1), ``lsoa21``, ``ward``.
    wards, lsoas : set of str
        The authority's ward and 2021 LSOA codes.
    name : str
        The file's name for messages.

    Returns
    -------
    DataFrame
        ``postcode``, ``terminated`` (bool), ``lsoa21``, ``ward``; one row per postcode, sorted.
    """
    check_unique(frame, ["postcode"], name)
    check_codes(frame, "lsoa21", "lsoa", name)
    check_known(frame, "lsoa21", lsoas, name, "LSOA21 code")
    check_known(frame, "ward", wards, name, "ward code")
    check_known(frame, "terminated", {"0", "1"}, name, "terminated flag (0 or 1)")
    return pd.DataFrame(
        {
            "postcode": frame["postcode"].str.strip(),
            "terminated": frame["terminated"] == "1",
            "lsoa21": frame["lsoa21"],
            "ward": frame["ward"],
        }
    ).sort_values("postcode", ignore_index=True)


def find(text: str | None, postcodes: pd.DataFrame, ward_names: dict[str, str], *,
         ended: str | None = None) -> PostcodeResult:
    """Look up what someone typed and say, in plain words, what was found.

    Parameters
    ----------
    text : str or None
        The raw input.
    postcodes : DataFrame
        From :func:`postcode_table` (a local pack's ``built/postcodes.csv``).
    ward_names : dict
        Ward code to name.
    ended : str, optional
        When the ward set of ``ward_names`` stopped being used ("May 2026"), if it has
        (:meth:`geo.vintages.WardVintage.ended`): the answer is then in the past tense, "CV4 9AJ was in
        Westwood ward (one of the wards used until May 2026)".

    Examples
    --------
    >>> table = pd.DataFrame({"postcode": ["CV4 9AJ"], "terminated": [False], "lsoa21": ["E01009676"],
    ...                       "ward": ["E05001232"]})
    >>> find("cv49aj", table, {"E05001232": "Westwood"}).message
    'CV4 9AJ is in Westwood ward.'
    >>> find("cv49aj", table, {"E05001232": "Westwood"}, ended="May 2026").message
    'CV4 9AJ was in Westwood ward (one of the wards used until May 2026).'
    """
    if text is None or not text.strip():
        return PostcodeResult("empty", None, None, None, "Type a Coventry postcode, for example CV1 5FB.")
    postcode = normalise(text)
    if postcode is None:
        return PostcodeResult(
            "invalid", None, None, None,
            "That does not look like a postcode. A postcode looks like CV1 5FB: letters and a number, "
            "a space, then a number and two letters.",
        )
    if not POSTCODE.match(postcode):
        kind = ("a British Forces Post Office number" if postcode.startswith("BFPO") else
                "a postcode Royal Mail gives to an organisation or a territory, not to a street")
        return PostcodeResult(
            "outside", postcode, None, None,
            f"{postcode} is {kind}, so it is not a Coventry postcode: it has no ward here. Choose a ward from the "
            "list instead.",
        )
    rows = postcodes[postcodes["postcode"] == postcode]
    if rows.empty:
        return PostcodeResult(
            "outside", postcode, None, None,
            f"{postcode} is not a Coventry postcode in the August 2024 list, so it is outside Coventry or newer "
            "than the list. Choose a ward from the list instead.",
        )
    row = rows.iloc[0]
    ward = ward_names.get(row["ward"], row["ward"])
    which = f" (one of the wards used until {ended})" if ended else ""
    if row["terminated"]:
        return PostcodeResult(
            "terminated", postcode, row["ward"], row["lsoa21"],
            f"{postcode} is no longer in use (terminated); it was in {ward} ward{which}, so that is shown.",
        )
    said = f"{postcode} was in {ward} ward{which}." if ended else f"{postcode} is in {ward} ward."
    return PostcodeResult("found", postcode, row["ward"], row["lsoa21"], said)
