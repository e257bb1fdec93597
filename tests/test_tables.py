"""Tables that fit: the shared HTML table and what each page's table holds."""

import re

import pandas as pd
import pytest

from explorer.models.citymap import ward_display_table, ward_html, ward_table
from explorer.models.compare import pair_frame, pair_html, two_wards
from explorer.models.gap_views import gap_html, groups_frame
from explorer.models.profile import display_frame, profile_table, sources_frame, table_html
from explorer.models.series import series_html, series_table
from explorer.models.tables import Column, html_table, needed_width, table_text
from explorer.stats.gaps import gap_summary, marmot_gap
from tests.conftest import PROCESSED

FOLESHILL, WAINBODY = "E05001222", "E05001231"
BAD = re.compile(r"\bnan\b|\bNaN\b|<NA>|\bNone\b|\bNaT\b")


def cells(fragment: str) -> list[str]:
    return table_text(fragment).split(" | ")


def test_numbers_are_right_aligned_and_text_is_not():
    frame = pd.DataFrame({"name": ["Foleshill"], "value": [50.24], "words": ["worst fifth"]})
    fragment = html_table(frame, [Column("name", "Ward"), Column("value", "Value (score)", numeric=True, decimals=1),
                                  Column("words", "Compared")], caption="t")
    assert '<th scope="col" role="columnheader" class="n">Value (score)</th>' in fragment
    assert 'data-h="Value (score)" class="n">50.2</td>' in fragment
    assert 'data-h="Compared">worst fifth</td>' in fragment
    assert '<th scope="row" role="rowheader">Foleshill</th>' in fragment  # the first column names the row
    assert ".xt .n{text-align:right" in fragment


def test_a_missing_cell_reads_no_data_never_nan_or_none():
    frame = pd.DataFrame({"name": ["A", "B", "C"], "value": [1.0, float("nan"), None],
                          "rank": pd.array([1, pd.NA, 3], dtype="Int64"), "note": [None, "", "x"]})
    fragment = html_table(frame, [Column("name", "Ward"), Column("value", "Value", numeric=True, decimals=1),
                                  Column("rank", "Rank", numeric=True, decimals=0)], caption="t", details="note")
    assert cells(fragment) == ["t", "Ward", "Value", "Rank", "A", "1.0", "1", "B", "no data", "no data",
                               "C", "no data", "3", "x"]
    assert not BAD.search(table_text(fragment))


def test_every_text_is_escaped():
    frame = pd.DataFrame({"name": ["<script>alert(1)</script>"], "v": ['" onmouseover="x']})
    fragment = html_table(frame, [Column("name", "<b>Ward</b>"), Column("v", "V")], caption="<i>c</i>")
    assert "<script>alert" not in fragment and "<b>" not in fragment and "<i>" not in fragment
    assert "&lt;script&gt;" in fragment and "&quot; onmouseover=&quot;x" in fragment


def test_below_the_width_the_columns_need_each_row_becomes_a_block():
    frame = pd.DataFrame({"name": ["Binley and Willenhall"], "value": [74.93]})
    columns = [Column("name", "Ward"), Column("value", "Life expectancy (years)", numeric=True, decimals=1)]
    px = needed_width(frame, columns)
    fragment = html_table(frame, columns, caption="t")
    assert f"@container (max-width:{px}px)" in fragment and f'class="xt xt-w{px}"' in fragment
    # Each cell carries its header for the narrow layout, where the header row is hidden.
    assert 'data-h="Life expectancy (years)"' in fragment and "content:attr(data-h)" in fragment
    # Text wraps (its longest word counts), numbers do not (the whole number counts).
    assert needed_width(frame, columns[:1]) < len("Binley and Willenhall") * 7.5


def test_theme_rows_group_the_rows_and_an_empty_table_says_so():
    frame = pd.DataFrame({"theme": ["Health", "Health", "Air"], "name": ["a", "b", "c"]})
    fragment = html_table(frame, [Column("name", "Indicator")], caption="t", group="theme")
    assert fragment.count('<tr class="g"') == 2
    assert html_table(frame.iloc[:0], [Column("name", "x")], caption="t", empty="Nothing here.") == (
        '<p class="xt-empty">Nothing here.</p>')


def test_profile_table_key_columns_and_units_under_each_name(registry, values):
    table = profile_table(FOLESHILL, registry, values)
    shown = display_frame(table, registry).set_index("label")
    le = shown.loc["Life expectancy at birth: men"]
    assert (le["value"], le["authority"], le["england"], le["judgement"]) == ("74.9", "77.9", "79.1", "▼ worse")
    assert le["about"] == "years · 2009-2013 (old: the newest small-area figures held)"
    no2 = shown.loc["Background nitrogen dioxide (NO2) concentration"]
    assert no2["england"] == "not held" and no2["interval"] == "–"  # a 1 km grid held for Coventry only
    header = cells(table_html(table, registry, "Foleshill"))[:8]
    assert header == ["Every indicator for Foleshill against Coventry and England", "Indicator", "This ward",
                      "95% CI", "Rank (1 = worst)", "Coventry", "England", "Compared with Coventry"]
    # Period, method and sources moved to the details table, one row per indicator.
    details = sources_frame(table)
    assert len(details) == len(table) and details["source"].notna().all() and details["basis"].str.len().min() > 0


def test_two_ward_table_has_difference_which_is_better_and_period(registry, values, wards):
    names = dict(zip(wards["code"], wards["name"], strict=True))
    pair = two_wards(FOLESHILL, WAINBODY, registry, values, names)
    shown = pair_frame(pair).set_index("label")
    assert shown.loc["Life expectancy at birth: men", "difference"] == "6.8"
    pct = "% of residents in England's most deprived 10% of neighbourhoods (IMD 2025)"
    assert shown.loc[pct, "difference"] == "75.8 points"
    assert shown.loc["Life expectancy at birth: men", "direction"] == "better in Wainbody"
    assert shown.loc["Life expectancy at birth: men", "about"].endswith("2009-2013 (old: the newest small-area "
                                                                        "figures held)")
    table, method = pair_html(pair, "Foleshill", "Wainbody")
    assert cells(table)[1:6] == ["Indicator", "Foleshill", "Wainbody", "Difference", "Which is better"]
    assert "How the difference is judged" in method and "95% interval of the difference excludes zero" in method


def test_group_labels_are_whole_and_the_gap_table_gives_every_figure(registry, values):
    lookups = pd.read_csv(PROCESSED / "lookups.csv")
    weights = pd.read_csv(PROCESSED / "lsoa_weights.csv")
    tenths = marmot_gap(registry["le_male"], values, lookups, weights, registry, 10)
    assert list(groups_frame(tenths, registry["le_male"])["group"])[::9] == ["1 (most deprived)",
                                                                           "10 (least deprived)"]
    fragment = gap_html(gap_summary(registry, values, lookups, weights, 5), 5)
    assert cells(fragment)[1:7] == ["Indicator", "Most deprived", "Least deprived", "Gap (most − least)",
                                    "SII (most − least, 95% CI)", "RII (least ÷ most, 95% CI)"]
    assert "It is part of IMD 2025, the index the areas are ordered by" in fragment  # the note, under its row
    assert not BAD.search(table_text(fragment))


def test_counts_by_iod_edition_print_as_whole_numbers():
    series = pd.read_csv(PROCESSED / "series.csv")
    wide = series_table(series, "imd_decile1_lsoas")
    shown = cells(series_html(wide, "neighbourhoods", "Neighbourhoods in England's most deprived 10%"))
    assert shown[-6:] == ["IoD 2015", "36", "IoD 2019", "28", "IoD 2025", "36"]
    life = cells(series_html(series_table(series, "le_birth_male"), "years", "Life expectancy"))
    assert "Coventry (years)" in life and "75.5" in life  # 2001-2003: 75.480


@pytest.mark.parametrize("indicator", ["le_male", "imd25_score", "no2_background"])
def test_city_map_ward_table_puts_the_interval_in_one_column(registry, values, wards, indicator):
    ind = registry[indicator]
    fragment = ward_html(ward_display_table(ward_table(values, wards, ind, "Coventry"), ind), ind)
    shown = cells(fragment)
    assert shown[1] == "Ward" and f"Coventry ({ind.unit})" in shown
    assert (f"95% CI ({ind.unit})" in shown) == ind.has_interval
    assert len(re.findall(r'<tr class="r"', fragment)) == 18
