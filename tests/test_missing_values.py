"""One missing value never crashes a page or shows "nan", "None" or "<NA>".

Each ward-level indicator in turn has Foleshill's value blanked (value, limits and counts) in a copy of the
processed data, and every page that can show it is run: the city map on that indicator, the ward profile,
compare, my area, the plan priority that uses it, and the kiosk's "my area" screen.
"""

import re
import shutil

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from explorer.models.tables import table_text
from explorer.pipeline.priorities import load_priorities
from explorer.registry import load_registry
from tests.conftest import DATA, PROCESSED, REPO

APP = str(REPO / "streamlit_app.py")
WARD = "Foleshill"
REGISTRY = load_registry(DATA / "registry" / "indicators.csv")
PRIORITIES = load_priorities(DATA / "registry" / "priorities.csv",  # the plan names national themes too
                             {**REGISTRY, **load_registry(DATA / "registry" / "national_themes.csv")})
WARD_INDICATORS = [ind.id for ind in REGISTRY.values() if ind.on_ward_map]
# "nan" and friends as Python prints them; "None" is allowed only as the English word ("None of its residents").
BAD = re.compile(r"\bnan\b|\bNaN\b|<NA>|\bNone\b(?! of)|\bNaT\b")


def blanked(tmp_path, indicator: str) -> str:
    """A packs folder whose Coventry pack has Foleshill's value of ``indicator`` blanked (for EXPLORER_PACKS_DIR)."""
    folder = tmp_path / "packs" / "coventry" / "built"
    shutil.copytree(PROCESSED, folder)
    values = pd.read_csv(folder / "values.csv", dtype={"code": str})
    wards = pd.read_csv(folder / "wards.csv")
    code = wards.loc[wards["name"] == WARD, "code"].iloc[0]
    row = (values["indicator"] == indicator) & (values["geography"] == "ward") & (values["code"] == code)
    assert row.sum() == 1
    values.loc[row, ["value", "lower", "upper", "numerator", "denominator"]] = float("nan")
    values.to_csv(folder / "values.csv", index=False, float_format="%.10g")
    return str(folder.parent.parent)


def shown_text(at: AppTest) -> str:
    """Everything a visitor reads: text elements, tables, and data grids as displayed."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(getattr(element, "value", "")) for element in getattr(at, kind)]
    parts += [table.value.astype(str).to_string() for table in at.table]
    parts += [table_text(fragment.value) for fragment in at.html]  # the HTML tables (explorer/models/tables.py)
    for grid in at.dataframe:
        display = grid.proto.arrow_data.styler.display_values
        if display:  # a pandas Styler: what is shown is its formatted text
            parts.append(pa.ipc.open_stream(display).read_pandas().astype(str).to_string())
        else:
            frame = grid.value
            assert not frame.isna().any().any(), f"a data grid would show None: {list(frame.columns)}"
            parts.append(frame.astype(str).to_string())
    return "\n".join(parts)


def pages_for(indicator: str):
    ind = REGISTRY[indicator]
    yield "pages/city_map.py", {"theme": ind.theme, "indicator": ind.label}, {}
    yield "pages/ward_profile.py", {"ward": WARD}, {}
    yield "pages/compare.py", {"a": WARD, "indicator": ind.label}, {}
    yield "pages/my_area.py", {"ward": WARD}, {}
    for priority in PRIORITIES:
        if indicator in priority.indicators:
            yield "pages/priorities.py", {"priority": priority.title}, {}
    yield "pages/kiosk.py", {}, {"kiosk_screen": "area", "ward": "E05001222"}


@pytest.mark.slow  # every page, per indicator
@pytest.mark.parametrize("indicator", WARD_INDICATORS)
def test_a_missing_ward_value_never_crashes_a_page_or_prints_nan(tmp_path, monkeypatch, indicator):
    monkeypatch.setenv("EXPLORER_PACKS_DIR", blanked(tmp_path, indicator))
    for page, params, state in pages_for(indicator):
        at = AppTest.from_file(APP, default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        for key, value in state.items():
            at.session_state[key] = value
        at.switch_page(page).run()
        assert not at.exception, (indicator, page, [e.value for e in at.exception])
        assert not at.error, (indicator, page, [e.value for e in at.error])
        found = BAD.findall(shown_text(at))
        assert not found, (indicator, page, found[:5])


def test_the_blanked_ward_reads_no_data_on_its_profile(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_PACKS_DIR", blanked(tmp_path, "no2_background"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["ward"] = WARD
    at.switch_page("pages/ward_profile.py").run()
    (table,) = [table_text(h.value) for h in at.html if "Every indicator for Foleshill" in h.value]
    ind = REGISTRY["no2_background"]
    # Indicator, its unit and period, this ward, 95% CI, rank, Coventry, England, judgement.
    row = table.split(f"{ind.label} | {ind.unit} · {ind.period} | ")[1].split(" | ")[:6]
    assert row[0] == "no data" and row[2] == "not ranked" and row[5] == "– no data", row
