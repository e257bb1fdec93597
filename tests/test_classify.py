"""Class breaks (mapclassify Fisher-Jenks) and ColorBrewer colours: golden values."""

import pandas as pd

from explorer.stats.classify import NO_DATA_COLOUR, classify, palette


def test_imd_2025_ward_breaks_golden(values):
    wards = values.query("indicator == 'imd25_score' and geography == 'ward'")["value"]
    classes = classify(wards, "higher_is_worse", 1)
    # The 18 ward scores, sorted: 6.437 8.846 | 16.090 18.588 18.893 19.608 19.792 21.035 | 24.032 24.250 29.108 |
    # 32.216 34.067 35.790 36.887 37.141 38.459 | 50.198. Each class ends at its top ward's score as shown (1 dp).
    assert classes.bins == (8.8, 21.0, 29.1, 38.5, 50.2)
    assert classes.labels == ("6.4 to 8.8", "16.1 to 21.0", "24.0 to 29.1", "32.2 to 38.5", "50.2")
    assert classes.counts == (2, 6, 3, 6, 1)
    assert classes.colours == ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")


def test_higher_is_better_puts_dark_at_the_low_end():
    assert palette("higher_is_better", 5)[0] == "#bd0026"
    assert palette("higher_is_worse", 5)[-1] == "#bd0026"


def test_no_data_colour_is_never_a_class_colour():
    for polarity in ("higher_is_worse", "higher_is_better", "neither"):
        for k in range(1, 8):
            assert NO_DATA_COLOUR not in palette(polarity, k)


def test_missing_values_get_the_no_data_colour_and_are_not_counted():
    classes = classify(pd.Series([1.0, 2.0, 3.0, float("nan")]), "higher_is_worse", 0)
    assert classes.colour_of(float("nan")) == NO_DATA_COLOUR
    assert sum(classes.counts) == 3


def test_fewer_distinct_values_than_classes():
    classes = classify(pd.Series([0.0, 0.0, 100.0]), "higher_is_worse", 0)
    assert classes.labels == ("0", "100")
    assert classes.colour_of(0.0) != classes.colour_of(100.0)


def test_every_value_falls_in_a_class_whose_label_contains_it(values):
    wards = values.query("indicator == 'le_male' and geography == 'ward'")["value"]
    classes = classify(wards, "higher_is_better", 1)
    for v in wards:
        i = classes.colours.index(classes.colour_of(v))
        assert round(v, 1) <= classes.bins[i]  # as shown: 79.905 prints 79.9 and sits in the class ending 79.9
        assert i == 0 or round(v, 1) > classes.bins[i - 1]


def test_neighbourhood_pm25_classes_share_no_end_value(values):
    """Coventry's 203 LSOAs by background PM2.5: no two classes may share a printed end value.

    Classified on the raw values, neighbouring classes met inside one printed value: 7.1072 | 7.1206 both print
    7.1, 7.4326 | 7.4476 both 7.4, 7.6850 | 7.7117 both 7.7, so the legend read "6.7 to 7.1", "7.1 to 7.4",
    "7.4 to 7.7". Classified as printed (one decimal), counted from values.csv by printed value: 25 LSOAs print
    6.7 to 7.0, 49 print 7.1 to 7.3, 75 print 7.4 to 7.6, 51 print 7.7 to 8.1 and 3 print 8.4 to 8.6.
    """
    lsoas = values.query("indicator == 'pm25_background' and geography == 'lsoa21'")["value"]
    classes = classify(lsoas, "higher_is_worse", 1)
    assert classes.labels == ("6.7 to 7.0", "7.1 to 7.3", "7.4 to 7.6", "7.7 to 8.1", "8.4 to 8.6")
    assert classes.counts == (25, 49, 75, 51, 3)
    shown = lsoas.map(lambda v: float(f"{v:.1f}"))
    assert [int(shown.between(lo, hi).sum()) for lo, hi in
            ((6.7, 7.0), (7.1, 7.3), (7.4, 7.6), (7.7, 8.1), (8.4, 8.6))] == [25, 49, 75, 51, 3]


def _ends(label: str) -> tuple[float, float]:
    """A legend label's two ends as printed ("1,234.5 to 2,000.0", or one value)."""
    parts = [float(part.replace(",", "")) for part in label.split(" to ")]
    return parts[0], parts[-1]


def _check_labels(rows: pd.DataFrame, registry: dict, where: str) -> list[str]:
    """Every map legend drawn from ``rows`` (long values table): what is wrong with it, if anything.

    Each map classifies one indicator at one geography (citymap.ward_view, small_area_view): neighbouring labels
    must not share an end value at the decimals shown, and every area's printed value must lie in its class's label.
    """
    problems = []
    shown_rows = rows[~rows["geography"].isin(["city", "city_computed", "authority", "authority_computed", "england"])]
    for (indicator, geography), group in shown_rows.groupby(["indicator", "geography"]):
        if indicator not in registry:
            continue
        ind = registry[indicator]
        classes = classify(group["value"], ind.polarity, ind.decimals)
        ends = [_ends(label) for label in classes.labels]
        for (lo, hi), (next_lo, _) in zip(ends, ends[1:], strict=False):
            if not lo <= hi < next_lo:
                problems.append(f"{where} {indicator} {geography}: {classes.labels}")
        for value in group["value"].dropna():
            lo, hi = ends[classes.colours.index(classes.colour_of(value))]
            if not lo <= float(f"{value:.{ind.decimals}f}") <= hi:
                problems.append(f"{where} {indicator} {geography}: {value} outside its class {lo} to {hi}")
    return problems


def test_no_legend_of_coventry_shares_an_end_value(values, registry):
    assert _check_labels(values, registry, "Coventry") == []


def test_no_legend_of_any_authority_shares_an_end_value(national_built):
    from explorer.pipeline.authorities import NationalStore
    from tests.conftest import FIVE

    store = NationalStore(national_built[0])
    problems = []
    for code in FIVE:
        place = store.authority(code)
        problems += _check_labels(place.values, place.registry, place.name)
    assert problems == []
