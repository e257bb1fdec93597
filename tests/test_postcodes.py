"""Postcode entry: valid, messy, invalid, terminated and out-of-area postcodes."""

import pandas as pd
import pytest

from geo.postcodes import find, normalise
from tests.conftest import PROCESSED

POSTCODES = pd.read_csv(PROCESSED / "postcodes.csv")
NAMES = pd.read_csv(PROCESSED / "wards.csv").set_index("code")["name"].to_dict()


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("CV1 5FB", "CV1 5FB"),
        ("cv1 5fb", "CV1 5FB"),
        ("CV15FB", "CV1 5FB"),
        ("  cv1   5fb  ", "CV1 5FB"),
        ("C V 1 5 F B", "CV1 5FB"),
        ("CV1 5FB.", "CV1 5FB"),
        ("cv2\t2dx", "CV2 2DX"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("b11aa", "B1 1AA"),
        ("CV31 1AA", "CV31 1AA"),
        ("BFPO 1234", "BFPO 1234"),
        ("bfpo1", "BFPO 1"),
        ("BFPO 0012", "BFPO 12"),
        ("gir 0aa", "GIR 0AA"),
        ("fiqq1zz", "FIQQ 1ZZ"),
    ],
)
def test_messy_postcodes_are_tidied(typed, expected):
    assert normalise(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "hello", "12345", "CV1", "CV1 5F", "CV1 55B", "CVV1 5FB", "1CV 5FB", "<script>alert(1)</script>",
     "'; DROP TABLE wards; --", "CV1 5FB" * 10, "ĆV1 5FB", "CV1 5FB CV2 2DX", None],
)
def test_non_postcodes_are_rejected_helpfully(typed):
    result = find(typed, POSTCODES, NAMES)
    assert not result.ok
    assert result.status in {"invalid", "empty"}
    assert "CV1 5FB" in result.message  # always shows what a postcode looks like


@pytest.mark.parametrize(
    "typed, ward",
    [("CV1 5FB", "St Michael's"), ("cv2 2dx", "Henley"), ("CV5 6FG", "Earlsdon"), ("CV3 1AA", "Lower Stoke")],
)
def test_live_coventry_postcodes_find_their_ward(typed, ward):
    result = find(typed, POSTCODES, NAMES)
    assert result.status == "found" and NAMES[result.ward] == ward
    assert result.message == f"{normalise(typed)} is in {ward} ward."


def test_terminated_postcode_says_so_and_still_finds_the_ward():
    result = find("cv11af", POSTCODES, NAMES)
    assert result.status == "terminated" and result.ok
    assert result.message == "CV1 1AF is no longer in use (terminated); it was in St Michael's ward, so that is shown."


@pytest.mark.parametrize("typed", ["SW1A 1AA", "B1 1AA", "CV31 1AA", "CV8 9ZZ", "BFPO 1234", "GIR 0AA", "STHL 1ZZ"])
def test_valid_postcodes_outside_coventry(typed):
    result = find(typed, POSTCODES, NAMES)
    assert result.status == "outside" and not result.ok
    assert "not a Coventry postcode" in result.message
    assert normalise(typed) in result.message


def test_a_bfpo_number_is_answered_as_one():
    result = find("bfpo1234", POSTCODES, NAMES)
    assert result.postcode == "BFPO 1234"
    assert result.message.startswith("BFPO 1234 is a British Forces Post Office number")


def test_lookup_covers_live_and_terminated():
    assert len(POSTCODES) == 9277
    assert int(POSTCODES["terminated"].sum()) == 2946
    assert POSTCODES["ward"].nunique() == 18
