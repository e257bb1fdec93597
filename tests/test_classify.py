"""Class breaks (mapclassify Fisher-Jenks) and ColorBrewer colours: golden values."""

import pandas as pd

from explorer.stats.classify import NO_DATA_COLOUR, classify, palette


def test_imd_2025_ward_breaks_golden(values):
    wards = values.query("indicator == 'imd25_score' and geography == 'ward'")["value"]
    classes = classify(wards, "higher_is_worse", 1)
    assert [round(b, 3) for b in classes.bins] == [8.846, 21.035, 29.108, 38.459, 50.198]
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
        assert v <= classes.bins[i]
        assert i == 0 or v > classes.bins[i - 1]
