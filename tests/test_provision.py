"""Need versus provision on hand-worked small cases, and the interventions register."""

import pandas as pd
import pytest

from explorer.models.provision import flagged_sentence, need_and_provision, need_index, reach_share
from explorer.pipeline.interventions import validate_register


def test_reach_share_by_hand():
    # W1: a (300 people, 100 m) reached, b (100 people, 900 m) not: 300 / 400 = 75%. W2: c reached: 100%.
    d = pd.Series({"a": 100.0, "b": 900.0, "c": 50.0})
    p = pd.Series({"a": 300, "b": 100, "c": 200})
    w = pd.Series({"a": "W1", "b": "W1", "c": "W2"})
    assert reach_share(d, p, w, 800).to_dict() == {"W1": 75.0, "W2": 100.0}
    assert reach_share(d, p, w, 1000).to_dict() == {"W1": 100.0, "W2": 100.0}
    assert reach_share(d, p, w, 10).to_dict() == {"W1": 0.0, "W2": 0.0}


def test_need_index_signs_and_weights_by_hand():
    values = pd.DataFrame({"bad": [1.0, 2.0, 3.0], "good": [3.0, 2.0, 1.0]}, index=["A", "B", "C"])
    polarity = {"bad": "higher_is_worse", "good": "higher_is_better"}
    z = 1 / (2 / 3) ** 0.5  # population z-score of 3 in (1, 2, 3)
    need = need_index(values, polarity, {"bad": 1, "good": 1})
    assert need["C"] == pytest.approx(z) and need["B"] == pytest.approx(0) and need["A"] == pytest.approx(-z)
    only_bad = need_index(values, polarity, {"bad": 2, "good": 0})
    assert only_bad["C"] == pytest.approx(z)


def test_flag_is_high_need_and_low_provision():
    need = pd.Series({"A": 2.0, "B": 1.0, "C": 0.0, "D": -1.0, "E": -2.0, "F": -3.0})
    provision = pd.Series({"A": 10.0, "B": 90.0, "C": 50.0, "D": 5.0, "E": 60.0, "F": 70.0})
    table = need_and_provision(need, provision, {k: f"Ward {k}" for k in need.index})
    assert list(table.index[table["flag"]]) == ["A"]
    assert flagged_sentence(table, "reach of Family hubs") == (
        "High need, low provision: Ward A is in the highest-need third of wards and the lowest third for reach of "
        "Family hubs.")


ROW = {"id": "x1", "name": "Test site", "type": "Family hub", "priority": "communities", "marmot_principle": "1",
       "location": "point", "lat": "52.41", "lon": "-1.51", "ward": "E05001222", "period": "2025", "source": "me",
       "dating": "snapshot", "date_from": "2025-03", "date_to": ""}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"name": ""}, "row 2, column 'name': value is required"),
        ({"priority": "parks"}, "row 2, column 'priority': 'parks' is not a priority id"),
        ({"location": "nowhere"}, "row 2, column 'location'"),
        ({"marmot_principle": "9"}, "row 2, column 'marmot_principle': Marmot principles are numbered 1 to 8"),
        ({"lat": "-1.51", "lon": "52.41"}, "row 2, column 'lat': (-1.51, 52.41) is nowhere near Coventry"),
        ({"lat": "abc"}, "row 2, column 'lat': a point needs numeric lat and lon"),
        ({"ward": "E05999999"}, "row 2, column 'ward': 'E05999999' is not one of Coventry's ward codes"),
        ({"location": "ward", "ward": ""}, "row 2, column 'ward': a ward-wide programme needs its ward code"),
        ({"id": "x1"}, "row 2, column 'id': duplicate id 'x1'"),
        ({"dating": "once"}, "row 2, column 'dating': 'once' is not 'snapshot'"),
        ({"date_from": "March 2025"}, "row 2, column 'date_from': dates are a year (2022) or a year and month"),
        ({"dating": "period", "date_to": "2024-01"}, "row 2, column 'date_to': 2024-01 is before 2025-03"),
        ({"date_to": "2025-06"}, "row 2, column 'date_to': a snapshot has one date"),
    ],
)
def test_bad_rows_are_named_and_good_rows_kept(change, message):
    frame = pd.DataFrame([ROW, {**ROW, "id": "x2", **change}])
    # The box is the pack build's (the authority's wards, widened): here about Coventry's.
    result = validate_register(frame, {"communities", "climate"}, {"E05001222"}, "register.csv",
                               box=(-1.75, 52.30, -1.30, 52.55), area="Coventry")
    assert len(result.rows) == 1 and result.rows.iloc[0]["id"] == "x1"
    assert len(result.problems) == 1 and message in result.problems[0], result.problems


def test_seeded_register_is_valid_and_reproducible(registry):
    from explorer.pipeline.interventions import load_register
    from explorer.pipeline.seed_register import seed
    from tests.conftest import DATA

    committed = pd.read_csv(DATA / "registry/interventions.csv", dtype=str).fillna("")
    seeded = seed()
    assert seeded.astype(str).equals(committed[committed["id"].str.startswith("seed-")].reset_index(drop=True)
                                     .astype(str))
    wards = set(pd.read_csv(DATA / "packs/coventry/built/wards.csv")["code"])
    result = load_register(DATA / "registry/interventions.csv", {"economy", "communities", "climate"}, wards)
    assert result.problems == []
    import geopandas as gpd

    from geo.points import ward_of

    shapes = gpd.read_parquet(DATA / "packs/coventry/built/wards.parquet")
    located = ward_of(result.rows["lat"], result.rows["lon"], shapes)
    assert located.notna().all(), result.rows[located.isna()][["id", "name"]]  # every seeded point is in Coventry
    assert set(result.rows["type"]) >= {"Family hub", "Library", "GP practice", "Pharmacy", "EV charge point",
                                        "Waste drop site", "Air quality monitoring site", "Fly-tipping hot street"}


def test_tied_full_provision_is_never_low_provision():
    need = pd.Series({"A": 2.0, "B": 1.0, "C": 0.0, "D": -1.0, "E": -2.0, "F": -3.0})
    provision = pd.Series({"A": 100.0, "B": 100.0, "C": 100.0, "D": 100.0, "E": 60.0, "F": 100.0})
    table = need_and_provision(need, provision, {k: k for k in need.index})
    assert not table["flag"].any()
    assert table.loc["A", "provision_rank"] == 6 and table.loc["E", "provision_rank"] == 1
