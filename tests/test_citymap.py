"""What the city map shows: the ward table, tooltips, the summary sentence and the CSV export."""

import io

import pandas as pd

from explorer.models.citymap import small_area_view, summary_sentence, tooltip, ward_csv, ward_table, ward_view
from explorer.models.text import safe_cell


def test_ward_table_ranks_foleshill_most_deprived(values, wards, registry):
    table = ward_table(values, wards, registry["imd25_score"], "Coventry")
    assert len(table) == 18
    assert list(table["name"][:3]) == ["Foleshill", "Longford", "Binley and Willenhall"]
    assert table["rank"].tolist() == list(range(1, 19)) and table["rank_text"].iloc[0] == "1 of 18"
    assert table["name"].iloc[-1] == "Wainbody"


def test_life_expectancy_comparison_uses_confidence_limits(values, wards, registry):
    table = ward_table(values, wards, registry["le_male"], "Coventry").set_index("name")
    assert table.loc["Radford", "compared"] == "worse" and table.loc["Wainbody", "compared"] == "better"
    assert table.loc["Radford", "basis"] == "95% confidence interval excludes Coventry's 77.9 years"
    assert table["authority_note"].iloc[0].startswith("ONS's own figure for Coventry")
    assert (table["lower"] < table["value"]).all() and (table["value"] < table["upper"]).all()


def test_summary_sentence_golden(values, wards, registry):
    table = ward_table(values, wards, registry["imd25_score"], "Coventry")
    assert summary_sentence(table, registry["imd25_score"]) == (
        "Index of Multiple Deprivation 2025: average score, IoD 2025 (mostly 2022/23 data): "
        "highest in Foleshill (50.2), lowest in Wainbody (6.4); Coventry as a whole 27.5."
    )


def test_summary_sentence_says_why_the_authority_has_no_figure(values, wards, registry):
    """Cornwall's park distance said "Cornwall as a whole no data", its reason only in the files."""
    table = ward_table(values, wards, registry["imd25_score"], "Coventry").assign(
        authority=float("nan"), authority_note="computed here: mean of 195 neighbourhoods; no figure: the source "
                                               "gives no figure for 2 of the authority's neighbourhoods")
    assert summary_sentence(table, registry["imd25_score"]).endswith(
        "Coventry as a whole has no figure: the source gives no figure for 2 of the authority's neighbourhoods.")


def test_tooltip_names_value_unit_rank_and_city(values, wards, registry):
    ind = registry["le_female"]
    table = ward_table(values, wards, ind, "Coventry")
    text = tooltip(table.iloc[0], ind, 18)
    lines = text.split("\n")
    assert lines[1].endswith(" years") and lines[2].startswith("95% CI ")
    assert lines[3] == "rank 1 of 18 (1 = worst)" and lines[4] == "Coventry: 82.1 years"
    assert lines[5] == "Compared with Coventry: worse"


def test_ward_view_and_small_area_view_cover_every_area(values, wards, registry):
    table = ward_table(values, wards, registry["no2_background"], "Coventry")
    view = ward_view(table, registry["no2_background"])
    assert len(view.tips) == 18 and view.no_data_count == 0
    areas = pd.DataFrame({"code": ["E01009522", "E01999999"], "name": ["Coventry 014A", "Nowhere"]})
    small = small_area_view(values, areas, registry["imd25_decile"], "lsoa21")
    assert small.values.iloc[0] == 5 and small.no_data_count == 1
    assert small.tips["E01999999"].endswith("no data")


def test_csv_export_carries_source_period_licence(values, wards, registry):
    ind = registry["flytipping_fms"]
    frame = pd.read_csv(io.BytesIO(ward_csv(ward_table(values, wards, ind, "Coventry"), ind)))
    assert len(frame) == 18
    assert set(frame["source"]) == {ind.source} and set(frame["period"]) == {"2017-2020 (pooled)"}
    assert set(frame["licence"]) == {"ODC Attribution License (ODC-By 1.0)"}


def test_spreadsheet_formulas_are_neutralised():
    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_cell("Foleshill") == "Foleshill"
    assert safe_cell(-3.5) == -3.5


def test_small_area_sentence_golden(values, registry):
    from explorer.models.citymap import small_area_sentence
    from explorer.pipeline.store import read_layer
    from tests.conftest import PROCESSED

    areas = read_layer(PROCESSED, "lsoa21")
    ind = registry["imd25_score"]
    view = small_area_view(values, areas, ind, "lsoa21")
    names = areas.set_index("code")["name"]
    assert small_area_sentence(view, names, ind, "neighbourhoods (2021 LSOAs)") == (
        "Index of Multiple Deprivation 2025: average score across 203 neighbourhoods (2021 LSOAs): "
        "from 2.5 (Coventry 040D) to 76.7 (Coventry 004C)."
    )


def test_every_tooltip_says_its_unit(values, wards, registry):
    """A tooltip is read without the legend: a score or a decile says so, as years and µg/m³ do."""
    for key in ("imd25_score", "imd25_income", "le_male", "no2_background", "iod_air_quality"):
        ind = registry[key]
        lines = tooltip(ward_table(values, wards, ind, "Coventry").iloc[0], ind, 18).split("\n")
        unit = ind.unit if ind.unit.startswith("%") else ind.unit.split(" ")[0]
        coventry = next(line for line in lines if line.startswith("Coventry: "))
        assert unit in lines[1] and unit in coventry, (key, lines)
