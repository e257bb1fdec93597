"""City series: tables and the sentences that state what each trend shows."""

import pandas as pd

from explorer.models.series import series_table, trend_sentence
from tests.conftest import PROCESSED


def series():
    return pd.read_csv(PROCESSED / "series.csv")


def test_life_expectancy_trend_sentence_golden():
    wide = series_table(series(), "le_birth_male")
    assert list(wide.columns) == ["Coventry", "England", "West Midlands"]
    assert len(wide) == 16
    assert trend_sentence(wide, "years", 1) == (
        "Coventry: 75.5 in 2001-2003, 78.5 in 2016-2018 (up 3.1 years); "
        "England: 76.2 in 2001-2003, 79.6 in 2016-2018 (up 3.4 years); "
        "West Midlands: 75.6 in 2001-2003, 78.9 in 2016-2018 (up 3.3 years). "
        "The series stops before 2022, when the One Coventry Plan began."
    )


def test_defra_fly_tipping_totals():
    wide = series_table(series(), "flytipping_incidents")
    assert wide.loc["2012-13", "Coventry"] == 2836 and wide.loc["2020-21", "Coventry"] == 10727
    assert trend_sentence(wide, "incidents", 0) == "Coventry: 2,836 in 2012-13, 6,840 in 2022-23 (up 4,004 incidents)."


def test_a_count_series_rises_or_falls_and_is_never_judged():
    from explorer.models.series import travel

    rows = series()
    uc = rows[rows["series"] == "uc_households"]
    assert travel(uc, 2022).startswith("rose: 29,936 in 2022-01 to 35,214 in 2023-11 (provisional)")
    assert uc["change_rule"].eq("described").all()
    cilif = rows[rows["series"] == "cilif_children"]
    assert travel(cilif, 2013).startswith("rose: 15,029 in 2014-15 to 22,286 in 2021-22 (provisional)")
    assert travel(cilif, 2022).startswith("no data since 2022")
